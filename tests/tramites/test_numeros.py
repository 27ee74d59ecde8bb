"""Decimal input as Ecuadorian users type it (issue 14, point 4): the one parser of the portal, its shared form
field (messages that name the field and say what to write, values shown back as 1.000,50) and the services
that read typed quantities with it."""

from decimal import Decimal

import pytest
from django import forms

from tramites.forms import CampoDecimal, EntradaDecimal
from tramites.numeros import NumeroInvalido, a_decimal, formatear_decimal, interpretar_decimal


@pytest.mark.parametrize(
    ("texto", "valor"),
    [
        ("1000,50", "1000.50"),
        ("1.000,50", "1000.50"),
        ("1000.50", "1000.50"),
        ("1,000.50", "1000.50"),
        ("1.000.000,5", "1000000.5"),
        ("1.000.000", "1000000"),
        ("1000", "1000"),
        ("0,000001", "0.000001"),
        ("0.125", "0.125"),  # a leading 0 cannot start a thousands group: decimal
        ("1234.567", "1234.567"),  # four digits before the dot: not a thousands group
        ("1,000", "1.000"),  # the lone comma is always decimal (es-EC)
        ("12,5", "12.5"),
        (",5", "0.5"),
        ("-5", "-5"),
        ("+5", "5"),
        ("\u22123,5", "-3.5"),  # typographic minus
        ("  1000,50 ", "1000.50"),
        ("1 000,50", "1000.50"),
        ("1\u00a0500", "1500"),  # as the portal's tables print it (non-breaking space)
        ("1\u202f000\u202f000,25", "1000000.25"),
        ("1 000.5", "1000.5"),
        ("007", "7"),
    ],
)
def test_lee_lo_que_escriben_los_usuarios(texto, valor):
    assert interpretar_decimal(texto) == Decimal(valor)
    assert str(interpretar_decimal(texto)) == valor  # exact: no float, no rounding


@pytest.mark.parametrize(
    ("texto", "codigo", "mensaje"),
    [
        (
            "1.000",
            "ambiguo",
            "«1.000» es ambiguo: ¿1000 o 1,000? Escriba 1000 (o 1.000,00) si el punto separa miles, o 1,000 si es decimal.",
        ),
        ("12.345", "ambiguo", "«12.345» es ambiguo: ¿12345 o 12,345?"),
        ("-100.000", "ambiguo", "¿-100000 o -100,000?"),
        ("abc", "invalido", "«abc» no es un número."),
        ("1e5", "invalido", "«1e5» no es un número."),
        ("NaN", "invalido", "«NaN» no es un número."),
        ("Infinity", "invalido", "«Infinity» no es un número."),
        ("USD 5", "invalido", "«USD 5» no es un número."),
        ("١٢", "invalido", "«١٢» no es un número."),  # only ASCII digits
        ("-", "invalido", "«-» no es un número."),
        ("+-5", "invalido", "«+-5» no es un número."),
        ("1,2,3", "varias_comas", "«1,2,3» tiene más de una coma"),
        ("1,000,000", "varias_comas", "la coma separa los decimales y va una sola vez"),
        ("", "vacio", "Escriba un número."),
        ("   ", "vacio", "Escriba un número."),
        ("1" * 41, "largo", "es demasiado largo para un número (máximo 40 caracteres)"),
        ("5,", "separador_final", "«5,» termina en un separador"),
        ("1.00,5", "grupos", "«1.00,5» separa mal los miles: van en grupos de tres cifras"),
        ("1.2.3", "grupos", "separa mal los miles"),
        ("0.500.000", "grupos", "separa mal los miles"),
        ("1,5.3", "grupos", "separa mal los miles"),
        ("10 00", "grupos", "separa mal los miles"),
        ("1.000,5.0", "mezcla", "mezcla separadores"),
        ("1 000.000,5", "mezcla", "mezcla separadores"),
    ],
)
def test_rechaza_lo_ambiguo_o_mal_escrito_con_un_mensaje_claro(texto, codigo, mensaje):
    with pytest.raises(NumeroInvalido) as e:
        interpretar_decimal(texto)
    assert e.value.code == codigo
    assert mensaje in str(e.value)


def test_el_mensaje_nombra_el_campo():
    with pytest.raises(NumeroInvalido) as e:
        interpretar_decimal("1.000")
    assert e.value.mensaje("FOB (USD)").startswith("En «FOB (USD)», «1.000» es ambiguo")


@pytest.mark.parametrize(
    ("valor", "texto", "sin_minimo"),
    [
        ("1000.50", "1.000,50", "1.000,5"),
        ("1000.500000", "1.000,50", "1.000,5"),
        ("1000", "1.000,00", "1000"),  # never «1.000» alone: it would come back ambiguous
        ("0.000001", "0,000001", "0,000001"),
        ("-1234567.891", "-1.234.567,891", "-1.234.567,891"),
        ("12.0000", "12,00", "12"),
        ("0", "0,00", "0"),
        ("-0", "0,00", "0"),
    ],
)
def test_formatea_como_se_escribe(valor, texto, sin_minimo):
    assert formatear_decimal(Decimal(valor)) == texto
    assert formatear_decimal(Decimal(valor), minimo_decimales=0) == sin_minimo


@pytest.mark.parametrize("valor", ["1000", "1000.5", "0.000001", "123456789012.123456", "1", "999.999", "1000000"])
@pytest.mark.parametrize("minimo", [0, 2])
def test_lo_que_se_muestra_se_vuelve_a_leer_igual(valor, minimo):
    assert interpretar_decimal(formatear_decimal(Decimal(valor), minimo_decimales=minimo)) == Decimal(valor)


def test_a_decimal_deja_pasar_los_numeros_de_maquina():
    assert a_decimal(Decimal("1.000")) == Decimal("1.000")  # a Decimal is never re-read as text
    assert a_decimal(1000) == Decimal(1000)
    assert a_decimal(1000.5) == Decimal("1000.5")
    assert a_decimal("1000.50") == Decimal("1000.50")
    assert a_decimal("1.000,50") == Decimal("1000.50")
    for malo in (None, True, [1], "1.000"):
        with pytest.raises(NumeroInvalido):
            a_decimal(malo)


class Formulario(forms.Form):
    cantidad = CampoDecimal(label="Cantidad", max_digits=18, decimal_places=6, min_value=Decimal("0.000001"))
    fob = CampoDecimal(label="FOB (USD)", max_digits=18, decimal_places=2, min_value=Decimal("0.01"))
    flete = CampoDecimal(label="Flete (USD)", max_digits=18, decimal_places=2, min_value=Decimal(0), required=False)
    tasa = CampoDecimal(
        label="ad valorem (%)", max_digits=7, decimal_places=4, min_value=Decimal(0), max_value=Decimal(100), required=False
    )


def errores(**datos) -> dict:
    form = Formulario({"cantidad": "1", "fob": "1", **datos})
    assert not form.is_valid()
    return {k: v[0] for k, v in form.errors.items()}


def test_campo_lee_coma_y_punto():
    form = Formulario({"cantidad": "1000,50", "fob": "1.000,50", "flete": "1000.50", "tasa": "12,5"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "cantidad": Decimal("1000.50"),
        "fob": Decimal("1000.50"),
        "flete": Decimal("1000.50"),
        "tasa": Decimal("12.5"),
    }


@pytest.mark.parametrize(
    ("datos", "campo", "mensaje"),
    [
        ({"fob": "1.000"}, "fob", "En «FOB (USD)», «1.000» es ambiguo: ¿1000 o 1,000?"),
        ({"fob": "abc"}, "fob", "En «FOB (USD)», «abc» no es un número. Escríbalo con coma decimal, por ejemplo 1.000,50"),
        ({"fob": "1,234"}, "fob", "En «FOB (USD)», escriba como máximo 2 decimales después de la coma (por ejemplo 1.000,50)."),
        ({"cantidad": "1,1234567"}, "cantidad", "En «Cantidad», escriba como máximo 6 decimales después de la coma"),
        ({"cantidad": "0"}, "cantidad", "En «Cantidad», escriba un valor mayor que cero."),
        ({"fob": "0,001"}, "fob", "En «FOB (USD)», escriba un valor de al menos 0,01."),
        ({"flete": "-5"}, "flete", "En «Flete (USD)», escriba 0 o un valor positivo."),
        ({"tasa": "100,5"}, "tasa", "En «ad valorem (%)», escriba un valor de hasta 100."),
        (
            {"tasa": "1,23456"},
            "tasa",
            "En «ad valorem (%)», escriba como máximo 4 decimales después de la coma (por ejemplo 12,50).",
        ),
        ({"cantidad": "1234567890123"}, "cantidad", "En «Cantidad», escriba como máximo 12 cifras antes de la coma decimal."),
        ({"cantidad": "1" * 41}, "cantidad", "En «Cantidad», «11111111111111111111…» es demasiado largo"),
    ],
)
def test_campo_explica_el_error_en_espanol(datos, campo, mensaje):
    texto = errores(**datos)[campo]
    assert texto.startswith(mensaje), texto
    assert "Asegúrese" not in texto and "0.0" not in texto


def test_campo_muestra_los_valores_como_se_escriben():
    inicial = Formulario(initial={"cantidad": Decimal("1000.500000"), "fob": Decimal("1000.50"), "tasa": Decimal("12.0000")})
    assert inicial["cantidad"].value() == "1.000,50"
    assert inicial["fob"].value() == "1.000,50"
    assert inicial["tasa"].value() == "12,00"
    enviado = Formulario({"cantidad": "1000.5", "fob": "1.000", "flete": "abc"})
    assert enviado["cantidad"].value() == "1.000,50"  # read: shown as the portal understood it
    assert enviado["fob"].value() == "1.000"  # not read: shown as typed, next to its error
    assert enviado["flete"].value() == "abc"
    html = str(inicial["fob"])
    assert 'type="text"' in html and 'inputmode="decimal"' in html and 'autocomplete="off"' in html
    assert 'value="1.000,50"' in html and "step" not in html


def test_campo_vacio_y_sin_cambios():
    form = Formulario({"cantidad": "1", "fob": "1", "flete": "  "})
    assert form.is_valid() and form.cleaned_data["flete"] is None
    inicial = Formulario(initial={"fob": Decimal("1000.50")}, data={"cantidad": "", "fob": "1.000,50"})
    assert not inicial["fob"].field.has_changed(Decimal("1000.50"), "1.000,50")
    assert isinstance(Formulario.base_fields["fob"].widget, EntradaDecimal)
