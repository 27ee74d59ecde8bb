"""Browser pages: filing with an error summary, the user's decisions, PDF receipt, suggestions, phone, activation,
dashboard widgets, constant query count of the list, and the admin queue with its transition buttons."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mesa_servicios import selectors
from mesa_servicios.models import Motivo, PlantillaRespuesta, Ticket
from mesa_servicios.services import correo, tickets
from tests.pdf import texto_pdf
from tramites.models import Distrito, Usuario

from .conftest import PNG, datos_consulta

pytestmark = pytest.mark.django_db


def formulario_incidente(**extra):
    return {
        "pantalla_opcion": "Trámites operativos > DAI",
        "modulo": "portal_externo",
        "ocurrido_en": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "distrito": Distrito.objects.get(codigo="028").pk,
        "asunto": "No transmite",
        "descripcion": "Al transmitir la DAI aparece un error 500 y no se envía.",
        "telefono_contacto": "0991234567",
        "capturas_con_fecha": "on",
        "adjuntos": SimpleUploadedFile("captura.png", PNG, "image/png"),
        **extra,
    }


def test_formulario_de_incidente_registra_y_redirige(client, usuario):
    client.force_login(usuario)
    r = client.post("/mesa/nuevo/incidente/", formulario_incidente())
    t = Ticket.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/mesa/tickets/{t.numero}/"
    assert t.adjuntos.count() == 1 and t.area.codigo == "analisis_funcional"


def test_formulario_incompleto_muestra_resumen_de_errores(client, usuario):
    client.force_login(usuario)
    datos = formulario_incidente(pantalla_opcion="", capturas_con_fecha="")
    del datos["adjuntos"]
    html = client.post("/mesa/nuevo/incidente/", datos).content.decode()
    assert 'class="resumen-errores"' in html
    assert "Este campo es obligatorio" in html or "Este campo es requerido" in html
    assert "Confirme que en las capturas se ven la fecha y la hora" in html
    assert 'aria-invalid="true"' in html
    assert not Ticket.objects.exists()


def test_adjunto_falso_en_el_formulario(client, usuario):
    client.force_login(usuario)
    falso = SimpleUploadedFile("captura.png", b"GIF89a esto no es png", "image/png")
    html = client.post("/mesa/nuevo/incidente/", formulario_incidente(adjuntos=falso)).content.decode()
    assert "no es un documento aceptado" in html and not Ticket.objects.exists()


def test_consulta_que_exige_documentos_explica_cuales(client, usuario):
    client.force_login(usuario)
    motivo = Motivo.objects.get(codigo="declaraciones")
    datos = {"motivo": motivo.pk, "asunto": "DAI", "descripcion": "¿Cómo corrijo una DAI ya transmitida al sistema?"}
    html = client.post("/mesa/nuevo/consulta/", datos).content.decode()
    assert "Número de la declaración y sus documentos de soporte" in html
    assert 'id="sugerencias"' in html and "consulta.js" in html


def test_usuario_acepta_o_no_conforme_desde_la_pagina(client, respondido, usuario):
    client.force_login(usuario)
    html = client.get(f"/mesa/tickets/{respondido.numero}/").content.decode()
    assert "Se corrigió el certificado del servicio." in html and "Acepto la respuesta" in html
    r = client.post(f"/mesa/tickets/{respondido.numero}/no-conforme/", {"comentario": ""})
    assert r.status_code == 400
    r = client.post(f"/mesa/tickets/{respondido.numero}/no-conforme/", {"comentario": "No funciona."})
    nuevo = Ticket.objects.get(origen=respondido)
    assert r["Location"] == f"/mesa/tickets/{nuevo.numero}/"


def test_comprobante_pdf(client, incidente):
    client.force_login(incidente.solicitante)
    r = client.get(f"/mesa/tickets/{incidente.numero}/comprobante.pdf")
    texto = texto_pdf(r.content)
    assert incidente.numero in texto and "Jefatura de Análisis Funcional" in texto and "captura.png" in texto


def test_sugerencias_de_consultas_respondidas(client, consulta, mesa, usuario):
    tickets.ticket_tomar(ticket_id=consulta.pk, por=mesa)
    tickets.ticket_responder(ticket_id=consulta.pk, por=mesa, respuesta="Use «¿Olvidó su contraseña?».", publica=True)
    privada = tickets.ticket_registrar(solicitante=usuario, **datos_consulta(asunto="Clave olvidada de ECUAPASS privada"))
    tickets.ticket_tomar(ticket_id=privada.pk, por=mesa)
    tickets.ticket_responder(ticket_id=privada.pk, por=mesa, respuesta="Dato personal.", publica=False)
    client.force_login(usuario)
    html = client.get("/mesa/sugerencias/", {"asunto": "olvidé la clave", "descripcion": "de ECUAPASS"}).content.decode()
    assert "¿Olvidó su contraseña?" in html and "Dato personal" not in html
    assert client.get("/mesa/sugerencias/", {"asunto": "zzz"}).content.decode().strip() == ""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="búsqueda de texto completo de PostgreSQL")
def test_busqueda_en_espanol_con_raices(consulta, mesa):
    tickets.ticket_tomar(ticket_id=consulta.pk, por=mesa)
    tickets.ticket_responder(ticket_id=consulta.pk, por=mesa, respuesta="Restablezca la contraseña.", publica=True)
    # "recuperar"/"claves" share stems with "recupero"/"clave"; a prefix matches while typing ("ecuap").
    assert selectors.consultas_similares(texto="recuperar claves") == [consulta]
    assert selectors.consultas_similares(texto="ecuap") == [consulta]
    assert selectors.consultas_similares(texto="garantía aduanera") == []


def test_busqueda_simple_fuera_de_postgresql(consulta, mesa, monkeypatch):
    tickets.ticket_tomar(ticket_id=consulta.pk, por=mesa)
    tickets.ticket_responder(ticket_id=consulta.pk, por=mesa, respuesta="Restablezca la contraseña.", publica=True)
    monkeypatch.setattr(connection, "vendor", "sqlite")
    assert selectors.consultas_similares(texto="recupero mi clave") == [consulta]
    assert selectors.consultas_similares(texto="garantía") == []


def test_lista_con_consultas_constantes(client, usuario):
    client.force_login(usuario)

    def consultas():
        with CaptureQueriesContext(connection) as ctx:
            r = client.get("/mesa/")
        assert r.status_code == 200
        return len(ctx)

    tickets.ticket_registrar(solicitante=usuario, **datos_consulta())
    pocas = consultas()
    for _ in range(12):
        tickets.ticket_registrar(solicitante=usuario, **datos_consulta())
    assert consultas() == pocas


def test_llamada_telefonica(client, mesa):
    client.force_login(mesa)
    datos = {
        "email": "llama@correo.test",
        "nombre": "Pedro Llamas",
        "telefono_contacto": "022345678",
        "tipo": "consulta",
        "motivo": Motivo.objects.get(codigo="otros").pk,
        "asunto": "Horario",
        "descripcion": "Consulta el horario de atención de la Mesa de Servicios.",
        "respuesta_inmediata": "Lunes a viernes de 08h00 a 17h00.",
    }
    r = client.post("/mesa/llamada/", datos)
    t = Ticket.objects.get()
    assert r.status_code == 302 and t.estado == "respondido" and t.canal == "telefono"


def test_activacion_de_cuenta_creada_por_correo(client, django_capture_on_commit_callbacks):
    from django.core import mail

    crudo = (
        b"From: Marco <marco@nuevo.test>\r\nSubject: Consulta\r\nMessage-ID: <act@x>\r\n\r\n"
        b"Quisiera saber el horario de atencion de la mesa de servicios.\r\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        correo.correo_procesar(crudo=crudo)  # no Authentication-Results: unverified until the address confirms it
    confirmar = re.search(r"(/mesa/correo/confirmar/\S+/)", mail.outbox[0].body).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirmar)
    enlace = re.search(r"(/mesa/activar/\S+/)", mail.outbox[1].body).group(1)
    r = client.post(enlace, {"new_password1": "Clave-Nueva-2026", "new_password2": "Clave-Nueva-2026"})
    assert r.status_code == 302 and Usuario.objects.get(email="marco@nuevo.test").is_active
    assert client.get(enlace).status_code == 400  # one-time link


def test_widgets_del_panel(client, incidente, analista):
    client.force_login(incidente.solicitante)
    assert incidente.numero in client.get("/panel/").content.decode()
    client.force_login(analista)
    html = client.get("/panel/").content.decode()
    assert "Mesa de Servicios: mi cola" in html and "SLA vencido" in html


def test_analista_responde_en_el_admin_con_plantilla(client, incidente, analista):
    client.force_login(analista)
    url = f"/admin/mesa_servicios/ticket/{incidente.pk}/change/"
    html = client.get(url).content.decode()
    assert "Tomar y analizar" in html and "Acepto la respuesta" not in html
    client.post(f"/admin/mesa_servicios/ticket/{incidente.pk}/transicion/tomar/", {"comentario": ""})
    plantilla = PlantillaRespuesta.objects.get(nombre="Incidente solucionado")
    r = client.post(
        f"/admin/mesa_servicios/ticket/{incidente.pk}/transicion/responder/",
        {"plantilla": plantilla.pk, "respuesta": "", "comentario": ""},
    )
    assert r.status_code == 302
    incidente.refresh_from_db()
    assert incidente.estado == "respondido" and incidente.numero in incidente.respuesta


def test_cola_del_admin_con_consultas_constantes(client, analista, usuario):
    from .conftest import datos_incidente

    client.force_login(analista)

    def consultas():
        with CaptureQueriesContext(connection) as ctx:
            r = client.get("/admin/mesa_servicios/ticket/?cola=sin_asignar")
        assert r.status_code == 200
        return len(ctx)

    tickets.ticket_registrar(solicitante=usuario, **datos_incidente())
    pocas = consultas()
    for _ in range(10):
        tickets.ticket_registrar(solicitante=usuario, **datos_incidente())
    assert consultas() == pocas


def test_nota_interna_desde_el_admin(client, incidente, analista):
    client.force_login(analista)
    assert "Agregar nota interna" in client.get(f"/admin/mesa_servicios/ticket/{incidente.pk}/change/").content.decode()
    r = client.post(f"/admin/mesa_servicios/ticket/{incidente.pk}/nota/", {"texto": "Llamar a infraestructura."})
    assert r.status_code == 302
    assert incidente.seguimientos.get().tipo == "nota_interna"
