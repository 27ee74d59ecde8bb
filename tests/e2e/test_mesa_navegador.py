"""Mesa de Servicios in Debian's Chromium: a citizen files an incident with a screenshot, an analyst of the
Jefatura de Análisis Funcional answers it in the admin, and the citizen sees the answer."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from mesa_servicios.demo import captura_png
from mesa_servicios.models import Ticket

CAPTURAS = Path(__file__).parent / "capturas"
CLAVE = "Demo-SENAE-2026"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def ingresar(page, url, usuario):
    page.goto(f"{url}/cuenta/ingresar/")
    page.get_by_label("Correo electrónico o usuario").fill(usuario)
    page.get_by_label("Contraseña").fill(CLAVE)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url("**/panel/")


def test_incidente_con_captura_respondido_en_el_admin(page, browser, live_server, transactional_db):
    call_command("seed_demo", verbosity=0)
    CAPTURAS.mkdir(exist_ok=True)
    url = live_server.url
    ingresar(page, url, "ciudadano")
    page.goto(f"{url}/mesa/")
    page.get_by_role("link", name="Reportar un incidente").click()
    ocurrido = timezone.localtime() - timedelta(minutes=30)
    page.get_by_label("Campo, pantalla u opción de ECUAPASS").fill("Trámites operativos > Declaración Aduanera de Importación")
    page.get_by_label("Sistema").select_option("portal_externo")
    page.get_by_label("Fecha y hora exacta del incidente").fill(ocurrido.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Distrito aduanero").select_option(label="028 Guayaquil Puerto Marítimo")
    page.get_by_label("Asunto").fill("La DAI no se transmite")
    page.get_by_label("Descripción").fill("Al pulsar «Transmitir» aparece «Error 500: servicio no disponible».")
    page.get_by_label("Teléfono de contacto").fill("0991234567")
    page.get_by_label("Capturas de pantalla").set_input_files(
        files=[{"name": "captura-ecuapass.png", "mimeType": "image/png", "buffer": captura_png("Error 500", ocurrido)}]
    )
    page.get_by_label("Confirmo que en las capturas se ven la fecha y la hora").check()
    page.get_by_role("button", name="Registrar").click()
    page.wait_for_url("**/mesa/tickets/MDS-*/")
    ticket = Ticket.objects.get(asunto="La DAI no se transmite")
    assert page.get_by_role("heading", name=f"Ticket {ticket.numero}").is_visible()
    assert page.get_by_role("link", name="captura-ecuapass.png").is_visible()
    assert ticket.area.nombre == "Jefatura de Análisis Funcional"
    page.screenshot(path=CAPTURAS / "mesa_ticket_registrado.png", full_page=True)

    analista = browser.new_context(locale="es-EC").new_page()
    ingresar(analista, url, "analisis")
    analista.goto(f"{url}/admin/mesa_servicios/ticket/?q={ticket.numero}")
    analista.get_by_role("link", name=ticket.numero).click()
    analista.get_by_role("link", name="Tomar y analizar").click()
    analista.get_by_role("button", name="Confirmar: Tomar y analizar").click()
    analista.get_by_role("link", name="Responder", exact=True).click()
    analista.get_by_label("Respuesta al usuario").fill("Se restableció el servicio de transmisión. Intente nuevamente.")
    analista.get_by_role("button", name="Confirmar: Responder").click()
    analista.screenshot(path=CAPTURAS / "mesa_admin_respondido.png", full_page=True)
    assert "Estado actual: Respondido" in analista.content()

    page.reload()
    assert page.get_by_role("heading", name="Respuesta de la Mesa de Servicios").is_visible()
    assert page.get_by_text("Se restableció el servicio de transmisión.").first.is_visible()
    assert page.get_by_role("button", name="Acepto la respuesta").is_visible()
    page.screenshot(path=CAPTURAS / "mesa_respuesta_usuario.png", full_page=True)
