"""An operator files an export anexo in Chromium: the live dry run shows what will be discharged; once SENAE
accepts it, the input stock page shows the lower balances."""

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from perfeccionamiento.models import AnexoCompensatorio
from perfeccionamiento.services.anexos import anexo_transicionar
from tests.factories import FuncionarioFactory

CAPTURAS = Path(__file__).parent / "capturas"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_anexo_de_exportacion_con_simulacion(page, live_server, con_saldos):
    CAPTURAS.mkdir(exist_ok=True)
    esc = con_saldos
    page.goto(f"{live_server.url}/cuenta/ingresar/")
    page.get_by_label("Correo electrónico o usuario").fill(esc.oce.username)
    page.get_by_label("Contraseña").fill("clave-de-prueba-123")
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url("**/panel/")

    page.goto(f"{live_server.url}/regimen21/existencias/")
    fila_tela = page.get_by_role("row", name="TELA-01")
    expect(fila_tela).to_contain_text("600 m")  # 1 600 m of fabric before

    page.goto(f"{live_server.url}/regimen21/anexos/nuevo/")
    page.get_by_label("Exportación a consumo (DAE 40)").check()
    page.get_by_label("Número de la declaración (DAE o DAI)").fill("028-2026-40-00000917")
    # the DAE is of today: a lot compensates only declarations dated on or after its release (ADR 0011)
    page.get_by_label("Fecha de aceptación de la declaración").fill(timezone.localdate().isoformat())
    page.get_by_label("Producto del ítem 1").select_option(label=str(esc.camisa))
    page.get_by_label("Cantidad del ítem 1").fill("550")
    simulacion = page.locator("#simulacion")
    expect(simulacion).to_contain_text("El descargo es posible")
    expect(simulacion).to_contain_text("582,5")  # what remains of the fabric
    page.screenshot(path=CAPTURAS / "anexo_simulacion.png", full_page=True)
    page.get_by_role("button", name="Registrar anexo").click()
    page.wait_for_url("**/regimen21/anexos/*/")
    expect(page.get_by_text("Registrado (por aceptar)").first).to_be_visible()

    anexo = AnexoCompensatorio.objects.get()
    anexo_transicionar(anexo_id=anexo.pk, accion="aceptar", por=FuncionarioFactory(), comentario="DAE conforme")
    page.reload()
    expect(page.get_by_role("heading", name="Movimientos de compensación")).to_be_visible()
    page.goto(f"{live_server.url}/regimen21/existencias/")
    expect(page.get_by_role("row", name="TELA-01")).to_contain_text("582,5 m")
    expect(page.get_by_role("row", name="BOTON-02")).to_contain_text("50 u")
    page.screenshot(path=CAPTURAS / "anexo_existencias.png", full_page=True)
