"""Registry of the trámites whose monthly statistics are published, and the month arithmetic they share.

A source (`Fuente`) is one trámite: its code, its public name, the written definitions of what counts as a
*queja* and as an *atención*, and `contar(desde, hasta)`, which returns ``{(anio, mes): (quejas, atenciones)}``
for every month of the range that has any record (months without records are absent, not zero). The two
sources of the portal are declared in `transparencia/fuentes.py` and registered by `TransparenciaConfig.ready()`;
see docs/decisions/0009-estadisticas-de-transparencia.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet, Value
from django.utils import timezone

from tramites.exceptions import NoEncontrado

Mes = tuple[int, int]
"""A calendar month as (año, mes)."""

Conteo = dict[Mes, tuple[int, int]]
"""{(año, mes): (quejas, atenciones)}"""

NOMBRES_MES = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
]


# --- Months ----------------------------------------------------------------------------------------------------


def siguiente(m: Mes) -> Mes:
    anio, mes = m
    return (anio + 1, 1) if mes == 12 else (anio, mes + 1)


def anterior(m: Mes) -> Mes:
    anio, mes = m
    return (anio - 1, 12) if mes == 1 else (anio, mes - 1)


def meses(desde: Mes, hasta: Mes) -> Iterator[Mes]:
    """Every month from `desde` to `hasta`, both included (nothing if desde > hasta)."""
    m = desde
    while m <= hasta:
        yield m
        m = siguiente(m)


def mes_de(dia: date) -> Mes:
    return (dia.year, dia.month)


def mes_actual() -> Mes:
    """The month in progress in Ecuador (America/Guayaquil, the portal's time zone)."""
    return mes_de(timezone.localdate())


def inicio_de_mes(m: Mes) -> datetime:
    """00:00 of the first day of the month in the portal's time zone (aware)."""
    return datetime(m[0], m[1], 1, tzinfo=timezone.get_default_timezone())


def nombre_mes(m: Mes) -> str:
    """«marzo de 2025»."""
    return f"{NOMBRES_MES[m[1] - 1]} de {m[0]}"


def texto_mes(m: Mes) -> str:
    """«2025-03» (the form used in files and messages)."""
    return f"{m[0]:04d}-{m[1]:02d}"


# --- Counting ----------------------------------------------------------------------------------------------------


def contar_series(quejas: QuerySet, atenciones: QuerySet) -> Conteo:
    """Run two monthly aggregates as ONE SQL statement (``… GROUP BY mes UNION ALL … GROUP BY mes``) and merge them.

    Each queryset must yield rows with ``mes`` (a month truncated in the portal's time zone) and ``total``; the
    owning app's selectors build them (e.g. `mesa_servicios.selectors.quejas_por_mes`)."""
    filas_q = quejas.annotate(serie=Value(0)).values_list("serie", "mes", "total")
    filas_a = atenciones.annotate(serie=Value(1)).values_list("serie", "mes", "total")
    resultado: dict[Mes, list[int]] = {}
    for serie, mes, total in filas_q.union(filas_a, all=True):
        local = mes.astimezone(timezone.get_default_timezone()) if timezone.is_aware(mes) else mes
        resultado.setdefault((local.year, local.month), [0, 0])[serie] += total
    return {m: (q, a) for m, (q, a) in resultado.items()}


# --- Registry ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fuente:
    codigo: str
    nombre: str
    definicion_queja: str
    definicion_atencion: str
    contar: Callable[[Mes, Mes], Conteo]
    nombre_corto: str = ""
    orden: int = 0

    @property
    def titulo(self) -> str:
        return self.nombre_corto or self.nombre


FUENTES: dict[str, Fuente] = {}


def registrar(fuente: Fuente) -> None:
    FUENTES[fuente.codigo] = fuente


class TramiteDesconocido(NoEncontrado):
    code = "tramite_desconocido"
    plantilla = "No se publican estadísticas del trámite «{codigo}»."


def obtener(codigo: str) -> Fuente:
    try:
        return FUENTES[codigo]
    except KeyError:
        raise TramiteDesconocido(codigo=codigo) from None


def todas() -> list[Fuente]:
    return sorted(FUENTES.values(), key=lambda f: (f.orden, f.codigo))


def opciones() -> list[tuple[str, str]]:
    """Choices of `EstadisticaMensual.tramite` (a callable, so registering a trámite needs no migration)."""
    return [(f.codigo, f.titulo) for f in todas()]
