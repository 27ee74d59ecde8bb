"""Ecuador's working calendar: business days and business hours (Monday–Friday, 08h00–17h00 by default,
national holidays from `holidays`, including the days the law moves them to).

Used by the service desk's SLA clock and by legal terms counted in business days (guarantee enforcement).
All datetimes are aware; they are read in America/Guayaquil.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
from django.conf import settings
from django.utils import timezone


def _jornada() -> tuple[time, time]:
    return time(getattr(settings, "JORNADA_INICIO_HORA", 8)), time(getattr(settings, "JORNADA_FIN_HORA", 17))


@lru_cache(maxsize=64)
def _feriados(anio: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("EC", years=anio))


def es_feriado(dia: date) -> bool:
    return dia in _feriados(dia.year)


def nombre_feriado(dia: date) -> str | None:
    return holidays.country_holidays("EC", years=dia.year, language="es").get(dia)


def es_dia_habil(dia: date) -> bool:
    return dia.weekday() < 5 and not es_feriado(dia)


def sumar_dias_habiles(desde: date, dias: int) -> date:
    """The business day `dias` business days after `desde` (`desde` itself is not counted)."""
    if dias < 0:
        raise ValueError("dias debe ser >= 0")
    dia = desde
    while dias:
        dia += timedelta(days=1)
        if es_dia_habil(dia):
            dias -= 1
    return dia


def dias_habiles_entre(desde: date, hasta: date) -> int:
    """Business days in (desde, hasta]."""
    n, dia = 0, desde
    while dia < hasta:
        dia += timedelta(days=1)
        n += es_dia_habil(dia)
    return n


def _local(momento: datetime) -> datetime:
    return timezone.localtime(momento)


def _tramos(desde: datetime, hasta: datetime):
    """Business-hour intervals [a, b) between two aware datetimes, day by day, in local time."""
    inicio_j, fin_j = _jornada()
    a, b = _local(desde), _local(hasta)
    dia = a.date()
    while dia <= b.date():
        if es_dia_habil(dia):
            abre = a.replace(year=dia.year, month=dia.month, day=dia.day, hour=inicio_j.hour, minute=0, second=0, microsecond=0)
            cierra = abre.replace(hour=fin_j.hour)
            ini, fin = max(a, abre), min(b, cierra)
            if ini < fin:
                yield ini, fin
        dia += timedelta(days=1)


def segundos_habiles_entre(desde: datetime, hasta: datetime) -> int:
    """Business seconds between two moments (0 if `hasta` is not after `desde`)."""
    if hasta <= desde:
        return 0
    return int(sum((fin - ini).total_seconds() for ini, fin in _tramos(desde, hasta)))


def sumar_horas_habiles(desde: datetime, horas: float) -> datetime:
    """The moment `horas` business hours after `desde` (e.g. an SLA deadline)."""
    restante = timedelta(hours=horas)
    inicio_j, fin_j = _jornada()
    actual = _local(desde)
    while True:
        dia = actual.date()
        if es_dia_habil(dia):
            abre = actual.replace(hour=inicio_j.hour, minute=0, second=0, microsecond=0)
            cierra = actual.replace(hour=fin_j.hour, minute=0, second=0, microsecond=0)
            ini = max(actual, abre)
            if ini < cierra:
                disponible = cierra - ini
                if restante <= disponible:
                    return ini + restante
                restante -= disponible
        siguiente = dia + timedelta(days=1)
        actual = timezone.make_aware(datetime.combine(siguiente, inicio_j), timezone.get_current_timezone())


def sumar_meses(desde: date, meses: int) -> date:
    """Same day `meses` months later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    import calendar

    total = desde.month - 1 + meses
    anio, mes = desde.year + total // 12, total % 12 + 1
    return date(anio, mes, min(desde.day, calendar.monthrange(anio, mes)[1]))
