"""Reads of the published statistics (public: no scoping). One query per trámite; flags computed in Python."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from . import registro
from .alertas import Alerta, alertas_de_serie
from .models import EstadisticaMensual, quejas_por_mil
from .registro import Fuente, Mes, mes_actual, nombre_mes


@dataclass(frozen=True)
class FilaMes:
    anio: int
    mes: int
    quejas: int
    atenciones: int
    origen: str
    calculado_en: datetime | None = None
    parcial: bool = False  # the month in progress: its figures will still grow
    alertas: tuple[Alerta, ...] = ()

    @property
    def periodo(self) -> Mes:
        return (self.anio, self.mes)

    @property
    def nombre_mes(self) -> str:
        return registro.NOMBRES_MES[self.mes - 1]

    @property
    def nombre_completo(self) -> str:
        """«marzo de 2025» (years are never written with a thousands separator)."""
        return nombre_mes(self.periodo)

    @property
    def iso(self) -> str:
        """«2025-03»."""
        return registro.texto_mes(self.periodo)

    @property
    def quejas_por_mil(self) -> Decimal | None:
        return quejas_por_mil(self.quejas, self.atenciones)

    @property
    def origen_texto(self) -> str:
        return EstadisticaMensual.Origen(self.origen).label

    @property
    def historico(self) -> bool:
        return self.origen == EstadisticaMensual.Origen.HISTORICO


@dataclass
class FilaAnio:
    anio: int
    quejas: int = 0
    atenciones: int = 0
    meses: int = 0
    parcial: bool = False
    alertas: int = 0

    @property
    def quejas_por_mil(self) -> Decimal | None:
        return quejas_por_mil(self.quejas, self.atenciones)


@dataclass
class Serie:
    fuente: Fuente
    filas: list[FilaMes] = field(default_factory=list)  # oldest first

    @property
    def anios(self) -> list[int]:
        return sorted({f.anio for f in self.filas}, reverse=True)

    def del_anio(self, anio: int | None) -> list[FilaMes]:
        return [f for f in self.filas if anio is None or f.anio == anio]

    def filtrar(self, anio: int | None) -> Serie:
        """The same series restricted to one year (None: all years)."""
        return Serie(fuente=self.fuente, filas=self.del_anio(anio))

    def por_anio(self) -> list[FilaAnio]:
        """Yearly totals, newest first (complaints per 1,000 attentions over the year's sums)."""
        anios: dict[int, FilaAnio] = {}
        for f in self.filas:
            a = anios.setdefault(f.anio, FilaAnio(anio=f.anio))
            a.quejas += f.quejas
            a.atenciones += f.atenciones
            a.meses += 1
            a.parcial = a.parcial or f.parcial
            a.alertas += bool(f.alertas)
        return sorted(anios.values(), key=lambda a: a.anio, reverse=True)

    @property
    def ultimo(self) -> FilaMes | None:
        return self.cerradas[-1] if self.cerradas else None

    @property
    def con_alertas(self) -> list[FilaMes]:
        return [f for f in self.filas if f.alertas]

    def faltantes(self) -> list[Mes]:
        """Months between the first and the last published month that have no figures."""
        if not self.filas:
            return []
        presentes = {f.periodo for f in self.filas}
        return [m for m in registro.meses(self.filas[0].periodo, self.filas[-1].periodo) if m not in presentes]

    @property
    def cerradas(self) -> list[FilaMes]:
        """Published months without the month in progress."""
        return [f for f in self.filas if not f.parcial]


def serie_obtener(*, tramite: str) -> Serie:
    """The whole published series of a trámite (all years), with its flags. The month in progress is marked as
    partial and left out of the flag rules (it would always look low). Raises TramiteDesconocido (404)."""
    fuente = registro.obtener(tramite)
    filas = list(
        EstadisticaMensual.objects.filter(tramite=tramite)
        .order_by("anio", "mes")
        .values_list("anio", "mes", "quejas", "atenciones", "origen", "calculado_en")
    )
    en_curso = mes_actual()
    cerradas = {(a, m): (q, at) for a, m, q, at, _o, _c in filas if (a, m) < en_curso}
    alertas = alertas_de_serie(cerradas)
    return Serie(
        fuente=fuente,
        filas=[
            FilaMes(
                anio=a,
                mes=m,
                quejas=q,
                atenciones=at,
                origen=o,
                calculado_en=c,
                parcial=(a, m) >= en_curso,
                alertas=tuple(alertas.get((a, m), ())),
            )
            for a, m, q, at, o, c in filas
        ],
    )


def series_listar() -> list[Serie]:
    """Every registered trámite with its series (one query per trámite)."""
    return [serie_obtener(tramite=f.codigo) for f in registro.todas()]
