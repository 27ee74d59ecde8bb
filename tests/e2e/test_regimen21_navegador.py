"""Régimen 21 in Debian's Chromium: an operator files an authorization request with its document, an
official approves it in the admin, and the operator downloads the authorization PDF."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from perfeccionamiento.models import SolicitudAutorizacion
from tests.factories import FuncionarioFactory, UsuarioOperadorFactory
from tests.pdf import texto_pdf
from tests.perfeccionamiento.factories import PDF_MINIMO

CAPTURAS = Path(__file__).parent / "capturas"
CLAVE = "clave-de-prueba-123"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def ingresar(page, base, usuario):
    page.goto(f"{base}/cuenta/ingresar/")
    page.get_by_label("Correo electrónico o usuario").fill(usuario.username)
    page.get_by_label("Contraseña").fill(CLAVE)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url("**/panel/")


def test_solicitud_aprobada_y_pdf_descargado(page, live_server, tmp_path):
    CAPTURAS.mkdir(exist_ok=True)
    oce = UsuarioOperadorFactory(operador__razon_social="Textiles de Prueba S.A.")
    funcionario = FuncionarioFactory()
    documento = tmp_path / "diagrama-proceso.pdf"
    documento.write_bytes(PDF_MINIMO)

    ingresar(page, live_server.url, oce)
    page.get_by_role("link", name="Régimen 21").first.click()
    page.get_by_role("link", name="Nueva solicitud").click()
    page.get_by_label("Maquila").check()
    page.get_by_label("Elaboración (incluido montaje o ensamblaje)").check()
    page.get_by_label("Descripción del proceso productivo").fill(
        "Confección de camisas de algodón: corte automático, costura industrial, planchado y empaque."
    )
    page.get_by_label("Mercancías que importará").fill("Tela de algodón 5208.12")
    page.get_by_label("Productos compensadores").fill("Camisas 6205.20 para Colombia")
    page.get_by_label("Plazo solicitado (meses)").fill("12")
    page.get_by_role("button", name="Presentar a SENAE").click()
    resumen = page.get_by_role("alert")  # no document yet: clear error, nothing filed
    assert "Adjunte al menos un documento" in resumen.inner_text()
    page.screenshot(path=CAPTURAS / "r21_solicitud_error.png", full_page=True)
    page.get_by_label("Documentos del proceso productivo").set_input_files(str(documento))
    page.get_by_role("button", name="Presentar a SENAE").click()
    page.wait_for_url("**/regimen21/solicitudes/*/")
    expect(page.get_by_text("Enviada", exact=True).first).to_be_visible()
    solicitud = SolicitudAutorizacion.objects.get()
    assert solicitud.estado == "enviada"
    page.screenshot(path=CAPTURAS / "r21_solicitud_enviada.png", full_page=True)
    page.get_by_role("button", name=f"Salir ({oce.first_name})").click()

    ingresar(page, live_server.url, funcionario)
    page.goto(f"{live_server.url}/admin/perfeccionamiento/solicitudautorizacion/?estado__exact=enviada")
    page.get_by_role("link", name=solicitud.numero).first.click()
    page.get_by_role("link", name="Iniciar revisión").click()
    page.get_by_role("button", name="Confirmar: Iniciar revisión").click()
    page.get_by_role("link", name="Aprobar").click()
    page.get_by_label("Comentario").fill("Cumple los requisitos.")
    page.get_by_role("button", name="Confirmar: Aprobar").click()
    expect(page.get_by_text("«Aprobar» aplicado")).to_be_visible()
    page.screenshot(path=CAPTURAS / "r21_admin_aprobada.png", full_page=True)
    page.get_by_role("button", name="Cerrar sesión").click()

    ingresar(page, live_server.url, oce)
    page.goto(f"{live_server.url}/regimen21/solicitudes/{solicitud.pk}/")
    solicitud.refresh_from_db()
    expect(page.get_by_role("heading", name=f"Autorización {solicitud.numero_autorizacion}")).to_be_visible()
    with page.expect_download() as descarga:
        page.get_by_role("link", name="Descargar autorización (PDF)").click()
    ruta = tmp_path / "autorizacion.pdf"
    descarga.value.save_as(ruta)
    texto = texto_pdf(ruta.read_bytes())
    assert solicitud.numero_autorizacion in texto and "Textiles de Prueba S.A." in texto
    page.screenshot(path=CAPTURAS / "r21_autorizacion.png", full_page=True)
