"""Ecuador's working calendar: business days and business hours (Monday–Friday, 08h00–17h00 by default) over
the holiday table `tramites.Feriado` (ADR 0012).

- National holidays are seeded from `holidays` with each holiday the 2016 law moves counted once: the day
  actually rested is a holiday, the original day is worked (1 May 2024, a Wednesday, was rested on Friday 3 May).
- Officials add local (cantonal) holidays per customs district, decreed extra rest days and decreed moves in
  the admin; a district row prevails over the national row of the same date for that district.
- A year with no seeded national rows (far future) still gets the law's holidays, computed from `holidays`
  with the same rule, plus whatever rows officials entered for it. Never "no holidays".
- Every function takes an optional `distrito=` (a `Distrito` or its id): without it, national days only.
- The rested days of a year and scope are cached per process under a version token kept in the `calendario`
  cache (Redis when `REDIS_URL` is set); saving or deleting a `Feriado` replaces the token when the transaction
  commits, so every process sees the change at once. Inside a transaction that changed holidays the table is
  read directly (the change is visible there and is never cached if it is rolled back).

Used by the service desk's SLA clock and automatic close, and by legal terms counted in business days
(guarantee challenge and enforcement, transfer acceptance, anexo deadlines). All datetimes are aware; they are
read in America/Guayaquil.
"""

from __future__ import annotations

import calendar
import logging
import threading
import uuid
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

import holidays
from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Q
from django.utils import timezone

if TYPE_CHECKING:
    from .models import Distrito

logger = logging.getLogger(__name__)

ALIAS_CACHE = "calendario"
CLAVE_VERSION = "tramites:feriados:version"


def _jornada() -> tuple[time, time]:
    return time(getattr(settings, "JORNADA_INICIO_HORA", 8)), time(getattr(settings, "JORNADA_FIN_HORA", 17))


# --- The law's national holidays, from `holidays` ---------------------------------------------------------


@lru_cache(maxsize=128)
def feriados_de_ley(anio: int) -> dict[date, tuple[bool, str]]:
    """Ecuador's national holidays of `anio` under the 2016 law, as `{fecha: (descanso, nombre)}`.

    `holidays` (observed=True, its default) lists both the original day and the day the rest moves to
    ("… (observado)"). Each observed day is matched with its original (same name, nearest date; the next
    year's 1 January may be rested on 31 December) and only the observed day is rested; the original day is
    kept with `descanso=False`, so officials see where each rest went. The neighbouring years are computed too,
    for rests that cross a year boundary.
    """
    calculados = holidays.country_holidays("EC", years=range(anio - 1, anio + 2), observed=True, language="es")
    prefijo, sufijo = calculados.tr(calculados.observed_label).split("%s")  # "%s (observado)"
    originales: dict[str, list[date]] = {}
    observados: list[tuple[date, str]] = []
    for dia in sorted(calculados):
        for nombre in calculados.get_list(dia):
            base = nombre.removeprefix(prefijo).removesuffix(sufijo)
            if base != nombre and nombre.startswith(prefijo) and nombre.endswith(sufijo):
                observados.append((dia, base))
            else:
                originales.setdefault(nombre, []).append(dia)
    descansos: dict[date, list[str]] = {}
    trabajados: dict[date, list[str]] = {}
    trasladados: set[tuple[date, str]] = set()
    for dia, nombre in observados:
        origen = min(originales.get(nombre, []), key=lambda d: abs((d - dia).days), default=None)
        if origen is None or abs((origen - dia).days) > 7:
            descansos.setdefault(dia, []).append(nombre)
            continue
        trasladados.add((origen, nombre))
        descansos.setdefault(dia, []).append(f"{nombre} (trasladado desde el {origen:%d/%m/%Y})")
        trabajados.setdefault(origen, []).append(f"{nombre} (descanso trasladado al {dia:%d/%m/%Y})")
    for nombre, dias in originales.items():
        for dia in dias:
            if (dia, nombre) not in trasladados:
                descansos.setdefault(dia, []).insert(0, nombre)
    resultado: dict[date, tuple[bool, str]] = {}
    for dia in sorted(set(descansos) | set(trabajados)):
        if dia.year == anio:
            resultado[dia] = (True, "; ".join(descansos[dia])) if dia in descansos else (False, "; ".join(trabajados[dia]))
    return resultado


# --- The holiday table, cached --------------------------------------------------------------------------


def _distrito_id(distrito: Distrito | int | None) -> int | None:
    if distrito is None or isinstance(distrito, int):
        return distrito
    return distrito.pk


def _leer_tabla(anio: int, distrito_id: int | None) -> dict[date, str]:
    """Rested days of `anio` for the scope: the law's days (from the table, or computed if the year was never
    seeded), then national rows, then the district's rows, each prevailing over the previous ones by date."""
    from .models import Feriado

    ambito = Q(distrito__isnull=True) | Q(distrito_id=distrito_id) if distrito_id else Q(distrito__isnull=True)
    filas = Feriado.objects.filter(ambito, fecha__gte=date(anio, 1, 1), fecha__lte=date(anio, 12, 31)).values_list(
        "fecha", "distrito_id", "origen", "descanso", "nombre"
    )
    nacionales: dict[date, tuple[bool, str]] = {}
    del_distrito: dict[date, tuple[bool, str]] = {}
    sembrado = False
    for fecha, distrito, origen, descanso, nombre in filas:
        (del_distrito if distrito else nacionales)[fecha] = (descanso, nombre)
        sembrado = sembrado or (distrito is None and origen == Feriado.Origen.LEY)
    dias = {} if sembrado else dict(feriados_de_ley(anio))
    dias.update(nacionales)
    dias.update(del_distrito)
    return {fecha: nombre for fecha, (descanso, nombre) in sorted(dias.items()) if descanso}


class _CacheDeProceso:
    """Rested days per (year, district) for one version token; a new token empties it."""

    def __init__(self) -> None:
        self.version: str | None = None
        self.anios: dict[tuple[int, int | None], dict[date, str]] = {}
        self.lock = threading.Lock()

    def obtener(self, version: str, anio: int, distrito_id: int | None) -> dict[date, str]:
        clave = (anio, distrito_id)
        with self.lock:
            if self.version == version and clave in self.anios:
                return self.anios[clave]
        dias = _leer_tabla(anio, distrito_id)
        with self.lock:
            if self.version != version:
                self.version, self.anios = version, {}
            self.anios[clave] = dias
        return dias

    def vaciar(self) -> None:
        with self.lock:
            self.version, self.anios = None, {}


_cache_de_proceso = _CacheDeProceso()


def _version_vigente() -> str | None:
    """The shared version token (created if missing); None if the cache cannot be read (then no caching)."""
    try:
        cache = caches[ALIAS_CACHE]
        version = cache.get(CLAVE_VERSION)
        if version is None:
            cache.add(CLAVE_VERSION, uuid.uuid4().hex, timeout=None)
            version = cache.get(CLAVE_VERSION)
        return version
    except Exception:  # a cache outage must not stop legal terms: read the table directly
        logger.warning("No se pudo leer la versión del calendario en la caché; se lee la tabla de feriados.", exc_info=True)
        return None


def _nueva_version() -> None:
    try:
        caches[ALIAS_CACHE].set(CLAVE_VERSION, uuid.uuid4().hex, timeout=None)
    except Exception:
        logger.exception("No se pudo renovar la versión del calendario de feriados en la caché.")
    _cache_de_proceso.vaciar()


def _cambios_sin_confirmar(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether the current transaction changed holidays (its `invalidar` is still waiting for the commit)."""
    return any(func is _nueva_version for _, func, _ in getattr(connections[using], "run_on_commit", ()))


def invalidar(using: str = DEFAULT_DB_ALIAS) -> None:
    """Call after changing `Feriado` rows (done for saves and deletes by the signals in TramitesConfig and by the
    seeding service). Every process drops its cached days when the transaction commits."""
    if not _cambios_sin_confirmar(using):
        transaction.on_commit(_nueva_version, using=using)


class Calendario:
    """The rested days of one scope (national, or national + one district), read once per year per call."""

    def __init__(self, distrito: Distrito | int | None = None) -> None:
        self.distrito_id = _distrito_id(distrito)
        self._version = None if _cambios_sin_confirmar() else _version_vigente()
        self._anios: dict[int, dict[date, str]] = {}

    def feriados(self, anio: int) -> dict[date, str]:
        if anio not in self._anios:
            if self._version is None:
                self._anios[anio] = _leer_tabla(anio, self.distrito_id)
            else:
                self._anios[anio] = _cache_de_proceso.obtener(self._version, anio, self.distrito_id)
        return self._anios[anio]

    def es_feriado(self, dia: date) -> bool:
        return dia in self.feriados(dia.year)

    def es_dia_habil(self, dia: date) -> bool:
        return dia.weekday() < 5 and not self.es_feriado(dia)


# --- Public API (distrito optional: national days only without it) ----------------------------------------


def feriados(anio: int, *, distrito: Distrito | int | None = None) -> dict[date, str]:
    """Rested holidays of `anio` for the scope, `{fecha: nombre}` in date order."""
    return dict(Calendario(distrito).feriados(anio))


def es_feriado(dia: date, *, distrito: Distrito | int | None = None) -> bool:
    return Calendario(distrito).es_feriado(dia)


def nombre_feriado(dia: date, *, distrito: Distrito | int | None = None) -> str | None:
    """The name of the holiday rested on `dia`, or None (a day whose rest was moved elsewhere is worked)."""
    return Calendario(distrito).feriados(dia.year).get(dia)


def es_dia_habil(dia: date, *, distrito: Distrito | int | None = None) -> bool:
    return Calendario(distrito).es_dia_habil(dia)


def sumar_dias_habiles(desde: date, dias: int, *, distrito: Distrito | int | None = None) -> date:
    """The business day `dias` business days after `desde` (`desde` itself is not counted)."""
    if dias < 0:
        raise ValueError("dias debe ser >= 0")
    cal = Calendario(distrito)
    dia = desde
    while dias:
        dia += timedelta(days=1)
        if cal.es_dia_habil(dia):
            dias -= 1
    return dia


def dias_habiles_entre(desde: date, hasta: date, *, distrito: Distrito | int | None = None) -> int:
    """Business days in (desde, hasta]."""
    cal = Calendario(distrito)
    n, dia = 0, desde
    while dia < hasta:
        dia += timedelta(days=1)
        n += cal.es_dia_habil(dia)
    return n


def _local(momento: datetime) -> datetime:
    return timezone.localtime(momento)


def _tramos(desde: datetime, hasta: datetime, cal: Calendario):
    """Business-hour intervals [a, b) between two aware datetimes, day by day, in local time."""
    inicio_j, fin_j = _jornada()
    a, b = _local(desde), _local(hasta)
    dia = a.date()
    while dia <= b.date():
        if cal.es_dia_habil(dia):
            abre = a.replace(year=dia.year, month=dia.month, day=dia.day, hour=inicio_j.hour, minute=0, second=0, microsecond=0)
            cierra = abre.replace(hour=fin_j.hour)
            ini, fin = max(a, abre), min(b, cierra)
            if ini < fin:
                yield ini, fin
        dia += timedelta(days=1)


def segundos_habiles_entre(desde: datetime, hasta: datetime, *, distrito: Distrito | int | None = None) -> int:
    """Business seconds between two moments (0 if `hasta` is not after `desde`)."""
    if hasta <= desde:
        return 0
    cal = Calendario(distrito)
    return int(sum((fin - ini).total_seconds() for ini, fin in _tramos(desde, hasta, cal)))


def sumar_horas_habiles(desde: datetime, horas: float, *, distrito: Distrito | int | None = None) -> datetime:
    """The moment `horas` business hours after `desde` (e.g. an SLA deadline)."""
    cal = Calendario(distrito)
    restante = timedelta(hours=horas)
    inicio_j, fin_j = _jornada()
    actual = _local(desde)
    while True:
        dia = actual.date()
        if cal.es_dia_habil(dia):
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
    total = desde.month - 1 + meses
    anio, mes = desde.year + total // 12, total % 12 + 1
    return date(anio, mes, min(desde.day, calendar.monthrange(anio, mes)[1]))
