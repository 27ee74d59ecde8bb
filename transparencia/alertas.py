"""Data-quality flags on a monthly series: pure functions (no database), documented thresholds.

Both cases exist in the figures SENAE published on gob.ec and are imported as they are (DOMAIN.md §B7): the
page shows them with a warning instead of correcting them.

1. **Mes muy por debajo de sus vecinos** (`meses_bajos`): the month's *atenciones* are below
   `UMBRAL_BAJO` (30 %) of the median of its neighbours — the months within `VENTANA` (3) calendar months
   before and after it that have figures — when there are at least `MINIMO_VECINOS` (2). Régimen 21, March
   2025: 25 against a median of 806. The lowest ordinary month of both published series is at 43 % (Mesa de
   Servicios, January 2020, the first month, with neighbours on one side only), so 30 % leaves a margin.
   Complaints are not checked: they are small counts, often zero, where a low month is normal.
2. **Cifras repetidas** (`meses_repetidos`): two consecutive months with the same *quejas* AND the same
   *atenciones*, when the atenciones reach `MINIMO_REPETIDO` (100): with large volumes an exact repeat is
   almost certainly a copied figure; with small ones it may be chance. Both months are flagged, since the
   data cannot say which one is wrong. Mesa de Servicios, March and April 2021: 0 quejas and 4,848 atenciones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from statistics import median

from django.db import models
from django.utils.formats import number_format

from .registro import Mes, anterior, nombre_mes, siguiente

UMBRAL_BAJO = 0.30
VENTANA = 3
MINIMO_VECINOS = 2
MINIMO_REPETIDO = 100


class TipoAlerta(models.TextChoices):
    MES_BAJO = "mes_bajo", "Muy por debajo de los meses vecinos"
    CIFRAS_REPETIDAS = "cifras_repetidas", "Cifras repetidas"


@dataclass(frozen=True)
class Alerta:
    tipo: TipoAlerta
    mensaje: str

    @property
    def titulo(self) -> str:
        return TipoAlerta(self.tipo).label


def _n(valor: float) -> str:
    return number_format(round(valor), force_grouping=True)


def vecinos(serie: Mapping[Mes, int], mes: Mes, *, ventana: int = VENTANA) -> list[int]:
    """Values of the months within `ventana` calendar months before and after `mes` that are in the series."""
    valores = []
    antes = despues = mes
    for _ in range(ventana):
        antes, despues = anterior(antes), siguiente(despues)
        valores += [serie[m] for m in (antes, despues) if m in serie]
    return valores


def meses_bajos(
    atenciones: Mapping[Mes, int],
    *,
    umbral: float = UMBRAL_BAJO,
    ventana: int = VENTANA,
    minimo_vecinos: int = MINIMO_VECINOS,
) -> dict[Mes, Alerta]:
    """Months whose value is below `umbral` × the median of their neighbours."""
    alertas = {}
    for mes, valor in atenciones.items():
        cercanos = vecinos(atenciones, mes, ventana=ventana)
        if len(cercanos) < minimo_vecinos:
            continue
        mediana = median(cercanos)
        if mediana > 0 and valor < umbral * mediana:
            alertas[mes] = Alerta(
                TipoAlerta.MES_BAJO,
                f"{_n(valor)} atenciones: {round(100 * valor / mediana)} % de la mediana de los meses vecinos "
                f"({_n(mediana)}). Posible cifra incompleta o mal transcrita.",
            )
    return alertas


def meses_repetidos(serie: Mapping[Mes, tuple[int, int]], *, minimo: int = MINIMO_REPETIDO) -> dict[Mes, Alerta]:
    """Both months of every pair of consecutive months with identical (quejas, atenciones)."""
    alertas = {}
    for mes, cifras in serie.items():
        previo = anterior(mes)
        if previo in serie and serie[previo] == cifras and cifras[1] >= minimo:
            quejas, atenciones = cifras
            detalle = f"{_n(quejas)} quejas y {_n(atenciones)} atenciones"
            alertas[mes] = Alerta(TipoAlerta.CIFRAS_REPETIDAS, f"Mismas cifras que {nombre_mes(previo)} ({detalle}).")
            alertas.setdefault(previo, Alerta(TipoAlerta.CIFRAS_REPETIDAS, f"Mismas cifras que {nombre_mes(mes)} ({detalle})."))
    return alertas


def alertas_de_serie(serie: Mapping[Mes, tuple[int, int]]) -> dict[Mes, list[Alerta]]:
    """Every flag of a (quejas, atenciones) series, by month."""
    resultado: dict[Mes, list[Alerta]] = {}
    for regla in (meses_bajos({m: a for m, (_, a) in serie.items()}), meses_repetidos(serie)):
        for mes, alerta in regla.items():
            resultado.setdefault(mes, []).append(alerta)
    return resultado
