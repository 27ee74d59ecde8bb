"""Issue 14, point 4, in Debian's Chromium with a Spanish (Ecuador) locale: an agent types 1000,50 into a DAI
item's quantity and FOB as people in Ecuador write it; an ambiguous 1.000 is refused naming the field and
nothing is filed; the values that were read come back as 1.000,50, and the stored values are exactly 1000.50
(not 100050, as with the old <input type="number">)."""

from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from perfeccionamiento.models import DAI

from .test_regimen21_navegador import ingresar

CAPTURAS = Path(__file__).parent / "capturas"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "es-EC"}


def escribir(page, etiqueta: str, texto: str) -> None:
    """Type key by key, as a person does (not `fill`, which skips the browser's own number handling)."""
    campo = page.get_by_label(etiqueta, exact=True)
    campo.fill("")
    campo.press_sequentially(texto)


def test_dai_con_coma_decimal_en_chromium_espanol(page, live_server, escenario):
    CAPTURAS.mkdir(exist_ok=True)
    esc = escenario
    ingresar(page, live_server.url, esc.agente)
    assert page.evaluate("navigator.language") == "es-EC"

    page.goto(f"{live_server.url}/regimen21/dai/nueva/")
    page.get_by_label("Distrito aduanero").select_option(str(esc.distrito.pk))
    page.get_by_label("Documento de transporte (BL o guía aérea)").fill("MSCU7654321")
    page.get_by_label("Código de insumo del ítem 1", exact=True).select_option(str(esc.tela.pk))
    page.get_by_label("Subpartida del ítem 1", exact=True).fill(esc.tela.subpartida)
    page.get_by_label("País de origen del ítem 1", exact=True).fill("CN")
    page.get_by_label("Unidad del ítem 1", exact=True).select_option(esc.tela.unidad)
    cantidad = page.get_by_label("Cantidad del ítem 1", exact=True)
    expect(cantidad).to_have_attribute("type", "text")
    expect(cantidad).to_have_attribute("inputmode", "decimal")
    escribir(page, "Cantidad del ítem 1", "1000,50")
    expect(cantidad).to_have_value("1000,50")  # the browser keeps the comma
    escribir(page, "FOB (USD) del ítem 1", "1.000")  # a thousand, or one? refused
    page.get_by_role("button", name="Transmitir").click()

    expect(page.get_by_text("En «FOB (USD)», «1.000» es ambiguo")).to_be_visible()
    expect(cantidad).to_have_value("1.000,50")  # read, and shown back the way it is written in Ecuador
    assert not DAI.objects.exists()
    page.screenshot(path=CAPTURAS / "decimales_dai_ambiguo.png", full_page=True)

    escribir(page, "FOB (USD) del ítem 1", "1000,50")
    escribir(page, "Flete (USD) del ítem 1", "80,25")
    page.get_by_role("button", name="Transmitir").click()
    page.wait_for_url("**/regimen21/dai/*/")
    linea = DAI.objects.get().lineas.get()
    assert (linea.cantidad, linea.fob, linea.flete) == (Decimal("1000.50"), Decimal("1000.50"), Decimal("80.25"))
    page.screenshot(path=CAPTURAS / "decimales_dai_transmitida.png", full_page=True)
