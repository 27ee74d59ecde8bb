"""The portal as a person sees it, in Debian's headless Chromium (Playwright). Screenshots go to
tests/e2e/capturas/ (git-ignored) so a developer can look at them."""

from pathlib import Path

import pytest
from django.core.management import call_command

CAPTURAS = Path(__file__).parent / "capturas"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", verbosity=0)


def test_login_y_panel_del_operador(page, live_server, demo):
    CAPTURAS.mkdir(exist_ok=True)
    page.goto(f"{live_server.url}/cuenta/ingresar/")
    assert page.title().startswith("Ingresar")
    page.screenshot(path=CAPTURAS / "login.png", full_page=True)
    page.get_by_label("Correo electrónico o usuario").fill("oce")
    page.get_by_label("Contraseña").fill("clave equivocada")
    page.get_by_role("button", name="Ingresar").click()
    assert page.get_by_role("alert").is_visible()
    page.get_by_label("Contraseña").fill("Demo-SENAE-2026")
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url("**/panel/")
    assert page.get_by_role("heading", name="Mi empresa").is_visible()
    assert "Textiles Andinos" in page.content()
    page.screenshot(path=CAPTURAS / "panel_operador.png", full_page=True)


def test_registro_muestra_resumen_de_errores_accesible(page, live_server):
    page.goto(f"{live_server.url}/registro/")
    page.get_by_label("Representante de un operador").check()
    page.get_by_label("RUC del operador").fill("1763154690001")
    page.get_by_role("button", name="Crear cuenta").click()
    resumen = page.get_by_role("alert")
    assert "El RUC no es válido" in resumen.inner_text()
    assert "Este campo es requerido" in resumen.inner_text()  # Django's own messages in Spanish too
    assert page.get_by_label("RUC del operador").get_attribute("aria-invalid") == "true"
    page.screenshot(path=CAPTURAS / "registro_errores.png", full_page=True)
