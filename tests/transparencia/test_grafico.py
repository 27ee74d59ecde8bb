"""The chart's geometry (pure): round axis steps, one bar per month per panel, gaps kept, flags and partial month."""

import pytest

from transparencia.alertas import Alerta, TipoAlerta
from transparencia.grafico import escala, grafico_series
from transparencia.selectors import FilaMes


@pytest.mark.parametrize(
    ("maximo", "esperado"),
    [(0, (1, 4)), (3, (1, 3)), (4, (1, 4)), (65, (20, 80)), (956, (250, 1000)), (4889, (2000, 6000)), (25, (10, 30))],
)
def test_escala_redonda(maximo, esperado):
    assert escala(maximo) == esperado


def _fila(anio, mes, quejas, atenciones, **extra):
    return FilaMes(anio=anio, mes=mes, quejas=quejas, atenciones=atenciones, origen="historico", **extra)


def test_barras_huecos_senales_y_mes_parcial():
    bajo = Alerta(TipoAlerta.MES_BAJO, "25 atenciones")
    filas = [
        _fila(2025, 1, 0, 800),
        _fila(2025, 2, 2, 25, alertas=(bajo,)),
        _fila(2025, 4, 1, 810),  # March missing: a gap
        _fila(2025, 5, 0, 30, parcial=True),
    ]
    g = grafico_series(filas, titulo="Prueba", tabla="Cifras")
    atenciones, quejas = g.paneles
    assert (atenciones.titulo, quejas.titulo) == ("Atenciones", "Quejas")
    assert len(atenciones.barras) == len(quejas.barras) == 4
    xs = [b.x for b in atenciones.barras]
    assert xs[2] - xs[1] == pytest.approx(2 * (xs[1] - xs[0]), abs=0.2)  # the gap keeps its slot
    assert [b.clase for b in atenciones.barras] == ["", "alerta", "", "parcial"]
    assert [b.clase for b in quejas.barras] == ["", "", "", "parcial"]  # the rule looks at attentions only
    assert len(atenciones.marcas) == 1 and not quejas.marcas
    assert atenciones.barras[1].etiqueta == "febrero de 2025: 25 atenciones (muy por debajo de los meses vecinos)"
    assert atenciones.barras[0].y + atenciones.barras[0].alto == pytest.approx(atenciones.base)
    assert [e.texto for e in g.etiquetas_x] == ["ene", "feb", "mar", "abr", "may"]
    assert "mínimo 25 (febrero de 2025)" in g.descripcion  # the partial month is not the minimum
    assert "Meses señalados en rojo: febrero de 2025" in g.descripcion
    assert "«Cifras»" in g.descripcion


def test_varios_anios_etiquetas_por_anio():
    filas = [_fila(2024, m, 0, 100) for m in range(10, 13)] + [_fila(2025, m, 0, 100) for m in range(1, 4)]
    g = grafico_series(filas, titulo="Prueba", tabla="Cifras")
    assert [(e.texto, e.separador) for e in g.etiquetas_x] == [("2024", False), ("2025", True)]
    assert "Ningún mes señalado" in g.descripcion


def test_sin_filas_no_hay_grafico():
    assert grafico_series([], titulo="Prueba", tabla="Cifras") is None
