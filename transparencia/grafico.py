"""Geometry of the page's chart, drawn as inline SVG by a template (no JavaScript, no external library).

Two panels share the month axis: atenciones on top, quejas below (their scales differ by two or three orders of
magnitude, so one axis would flatten the complaints). Flagged months are drawn in red with a mark; the month in
progress is drawn faded. Months without figures leave a gap. `descripcion` is the text alternative; the page also
has the same data as a table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.utils.formats import number_format

from .registro import NOMBRES_MES, meses, nombre_mes
from .selectors import FilaMes

ANCHO = 960
IZQUIERDA = 64
DERECHA = 12
ARRIBA = 28
ALTO_ATENCIONES = 190
ALTO_QUEJAS = 110
SEPARACION = 44
ABAJO = 34


@dataclass
class Barra:
    x: float
    y: float
    ancho: float
    alto: float
    clase: str
    etiqueta: str


@dataclass
class Marca:
    x: float
    y: float


@dataclass
class Linea:
    y: float
    texto: str


@dataclass
class Panel:
    titulo: str
    y: float
    alto: float
    clase: str
    lineas: list[Linea] = field(default_factory=list)
    barras: list[Barra] = field(default_factory=list)
    marcas: list[Marca] = field(default_factory=list)

    @property
    def base(self) -> float:
        return self.y + self.alto

    @property
    def y_titulo(self) -> float:
        return self.y - 12


@dataclass
class EtiquetaX:
    x: float
    y: float
    texto: str
    ancla: str = "middle"
    separador: bool = False


@dataclass
class Grafico:
    titulo: str
    descripcion: str
    ancho: int
    alto: int
    paneles: list[Panel]
    etiquetas_x: list[EtiquetaX]
    izquierda: int = IZQUIERDA
    derecha: int = ANCHO - DERECHA

    @property
    def x_eje(self) -> int:
        return self.izquierda - 6

    @property
    def arriba(self) -> float:
        return self.paneles[0].y

    @property
    def abajo(self) -> float:
        return self.paneles[-1].base


def _n(valor: float) -> str:
    return number_format(valor, decimal_pos=0, force_grouping=True)


def escala(maximo: int, *, divisiones: int = 4) -> tuple[int, int]:
    """A round step (1, 2, 2.5 or 5 × 10ⁿ, an integer ≥ 1) and the top of the axis (a multiple of it) for `maximo`."""
    if maximo <= 0:
        return 1, divisiones
    bruto = maximo / divisiones
    potencia = 10 ** math.floor(math.log10(bruto)) if bruto >= 1 else 1
    multiplos = (1, 2, 2.5, 5, 10) if potencia >= 10 else (1, 2, 5, 10)
    paso = next(m * potencia for m in multiplos if m * potencia >= bruto)
    paso = max(1, int(paso))
    return paso, paso * math.ceil(maximo / paso)


def _panel(titulo: str, y: float, alto: float, *, filas, valor, posiciones, ancho_barra: float, senalar: bool) -> Panel:
    """One panel of bars; `senalar`: draw the flagged months in red with a mark (only where the rule looks)."""
    unidad = titulo.lower()
    panel = Panel(titulo=titulo, y=y, alto=alto, clase=unidad)
    paso, tope = escala(max((valor(f) for f in filas), default=0))
    for v in range(0, tope + 1, paso):
        panel.lineas.append(Linea(y=round(panel.base - alto * v / tope, 1), texto=_n(v)))
    for f in filas:
        altura = alto * valor(f) / tope
        x = posiciones[f.periodo]
        alertas = f.alertas if senalar else ()
        clase_barra = "alerta" if alertas else ("parcial" if f.parcial else "")
        nota = "; ".join(a.titulo.lower() for a in alertas)
        etiqueta = f"{nombre_mes(f.periodo)}: {_n(valor(f))} {unidad}" + (f" ({nota})" if nota else "")
        if f.parcial:
            etiqueta += " (mes en curso, cifra parcial)"
        panel.barras.append(
            Barra(
                x=round(x - ancho_barra / 2, 1),
                y=round(panel.base - altura, 1),
                ancho=round(ancho_barra, 1),
                alto=round(altura, 1),
                clase=clase_barra,
                etiqueta=etiqueta,
            )
        )
        if alertas:
            panel.marcas.append(Marca(x=round(x, 1), y=round(panel.base - altura - 10, 1)))
    return panel


def _extremo(filas: list[FilaMes], valor, funcion) -> str:
    fila = funcion(filas, key=valor)
    return f"{_n(valor(fila))} ({nombre_mes(fila.periodo)})"


def grafico_series(filas: list[FilaMes], *, titulo: str, tabla: str) -> Grafico | None:
    """The chart of `filas` (oldest first), or None without rows. `tabla` names the equivalent data table."""
    if not filas:
        return None
    periodos = list(meses(filas[0].periodo, filas[-1].periodo))
    util = ANCHO - IZQUIERDA - DERECHA
    ranura = util / len(periodos)
    ancho_barra = max(1.5, min(28.0, ranura * 0.72))
    posiciones = {m: IZQUIERDA + ranura * (i + 0.5) for i, m in enumerate(periodos)}
    y_quejas = ARRIBA + ALTO_ATENCIONES + SEPARACION
    comun = {"filas": filas, "posiciones": posiciones, "ancho_barra": ancho_barra}
    paneles = [
        _panel("Atenciones", ARRIBA, ALTO_ATENCIONES, valor=lambda f: f.atenciones, senalar=True, **comun),
        _panel("Quejas", y_quejas, ALTO_QUEJAS, valor=lambda f: f.quejas, senalar=False, **comun),
    ]
    un_anio = len({a for a, _ in periodos}) == 1
    y_etiquetas = y_quejas + ALTO_QUEJAS + 20
    etiquetas = []
    for i, (anio, mes) in enumerate(periodos):
        if un_anio:
            etiquetas.append(EtiquetaX(x=round(posiciones[(anio, mes)], 1), y=y_etiquetas, texto=NOMBRES_MES[mes - 1][:3]))
        elif mes == 1 or i == 0:
            x = round(IZQUIERDA + ranura * i, 1)
            etiquetas.append(EtiquetaX(x=x, y=y_etiquetas, texto=str(anio), ancla="start", separador=i > 0))
    cerradas = [f for f in filas if not f.parcial] or filas
    senaladas = [f for f in filas if f.alertas]
    descripcion = (
        f"Gráfico de barras de {len(filas)} meses, de {nombre_mes(filas[0].periodo)} a {nombre_mes(filas[-1].periodo)}. "
        f"Atenciones por mes: mínimo {_extremo(cerradas, lambda f: f.atenciones, min)}, "
        f"máximo {_extremo(cerradas, lambda f: f.atenciones, max)}. "
        f"Quejas por mes: máximo {_extremo(cerradas, lambda f: f.quejas, max)}. "
        + (
            "Meses señalados en rojo: "
            + "; ".join(f"{nombre_mes(f.periodo)} ({', '.join(a.titulo.lower() for a in f.alertas)})" for f in senaladas)
            + ". "
            if senaladas
            else "Ningún mes señalado. "
        )
        + f"Los mismos datos están en la tabla «{tabla}»."
    )
    return Grafico(
        titulo=titulo,
        descripcion=descripcion,
        ancho=ANCHO,
        alto=int(y_quejas + ALTO_QUEJAS + ABAJO),
        paneles=paneles,
        etiquetas_x=etiquetas,
    )
