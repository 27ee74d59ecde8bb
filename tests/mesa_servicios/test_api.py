"""API for agent software: file and follow tickets; one error shape with stable codes; constant query count."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mesa_servicios.models import Ticket
from mesa_servicios.services import tickets
from tests.factories import UsuarioAgenteFactory
from tests.pdf import texto_pdf

from .conftest import PNG, datos_consulta

pytestmark = pytest.mark.django_db


@pytest.fixture
def agente():
    return UsuarioAgenteFactory()


def incidente_multipart(**extra):
    return {
        "asunto": "No transmite la DAI",
        "descripcion": "Al transmitir la DAI aparece «Error 500» desde las 10h00.",
        "pantalla_opcion": "Trámites operativos > DAI",
        "modulo": "portal_externo",
        "ocurrido_en": "2026-11-23T10:15:00-05:00",
        "distrito": "028",
        "telefono_contacto": "0991234567",
        "adjuntos": [SimpleUploadedFile("captura.png", PNG, "image/png")],
        **extra,
    }


def test_agente_reporta_incidente_y_lo_sigue(agente, cliente_token, analista):
    api = cliente_token(agente)
    r = api.post("/api/v1/mesa/incidentes/", incidente_multipart(), format="multipart")
    assert r.status_code == 201, r.json()
    datos = r.json()
    assert datos["numero"].startswith("MDS-") and datos["estado"] == "registrado" and datos["canal"] == "api"
    assert datos["area"] == "Jefatura de Análisis Funcional" and datos["adjuntos"][0]["nombre"] == "captura.png"
    descarga = api.get(datos["adjuntos"][0]["url"])
    assert descarga.status_code == 200
    t = Ticket.objects.get(numero=datos["numero"])
    tickets.ticket_tomar(ticket_id=t.pk, por=analista)
    tickets.ticket_responder(ticket_id=t.pk, por=analista, respuesta="Servicio restablecido.")
    seguido = api.get(f"/api/v1/mesa/tickets/{t.numero}/").json()
    assert seguido["estado"] == "respondido" and seguido["respuesta"] == "Servicio restablecido."
    r = api.post(f"/api/v1/mesa/tickets/{t.numero}/no-conforme/", {"motivo": "Sigue igual."}, format="json")
    assert r.status_code == 201 and r.json()["origen"] == t.numero and r.json()["numero"] != t.numero
    pdf = api.get(f"/api/v1/mesa/tickets/{t.numero}/comprobante/")
    assert pdf["Content-Type"] == "application/pdf" and t.numero in texto_pdf(pdf.content)


def test_errores_con_forma_unica(agente, cliente_token, usuario):
    api = cliente_token(agente)
    r = api.post("/api/v1/mesa/incidentes/", incidente_multipart(adjuntos=[], pantalla_opcion=""), format="multipart")
    assert r.status_code == 400
    cuerpo = r.json()
    assert cuerpo["code"] == "invalido" and {"pantalla_opcion", "adjuntos"} <= set(cuerpo["errors"])
    falso = SimpleUploadedFile("captura.png", b"texto", "image/png")
    r = api.post("/api/v1/mesa/incidentes/", incidente_multipart(adjuntos=[falso]), format="multipart")
    assert r.status_code == 400 and "no es un documento aceptado" in r.json()["errors"]["adjuntos"][0]
    ajeno = tickets.ticket_registrar(solicitante=usuario, **datos_consulta())
    assert api.get(f"/api/v1/mesa/tickets/{ajeno.numero}/").status_code == 404
    propio = tickets.ticket_registrar(solicitante=agente, **datos_consulta())
    r = api.post(f"/api/v1/mesa/tickets/{propio.numero}/aceptar/")
    assert r.status_code == 409 and r.json()["code"] == "transicion_no_permitida"


def test_consulta_json_y_mensaje(agente, cliente_token, mesa):
    api = cliente_token(agente)
    motivos = api.get("/api/v1/mesa/motivos/").json()
    assert "usuarios_ecuapass" in {m["codigo"] for m in motivos}
    r = api.post(
        "/api/v1/mesa/consultas/",
        {"motivo": "usuarios_ecuapass", "asunto": "Clave", "descripcion": "No recuerdo la clave del usuario de la agencia."},
        format="json",
    )
    assert r.status_code == 201
    numero = r.json()["numero"]
    t = Ticket.objects.get(numero=numero)
    tickets.ticket_tomar(ticket_id=t.pk, por=mesa)
    tickets.ticket_solicitar_informacion(ticket_id=t.pk, por=mesa, mensaje="¿Cuál es el usuario?")
    r = api.post(f"/api/v1/mesa/tickets/{numero}/mensajes/", {"texto": "AGENCIA01"}, format="json")
    assert r.status_code == 201 and r.json()["canal"] == "api"
    assert api.get(f"/api/v1/mesa/tickets/{numero}/").json()["estado"] == "en_analisis"


def test_queja_por_api(agente, cliente_token):
    r = cliente_token(agente).post(
        "/api/v1/mesa/quejas/",
        {"tramite": "regimen_21", "asunto": "Demora", "descripcion": "Sin respuesta a mi solicitud desde hace un mes."},
        format="json",
    )
    assert r.status_code == 201 and r.json()["tramite"] == "regimen_21"


def test_lista_con_consultas_constantes(supervisor, cliente_token, usuario):
    api = cliente_token(supervisor)

    def consultas():
        with CaptureQueriesContext(connection) as ctx:
            r = api.get("/api/v1/mesa/tickets/?page_size=100")
        assert r.status_code == 200
        return len(ctx), len(r.json()["results"])

    tickets.ticket_registrar(solicitante=usuario, **datos_consulta())
    consultas()  # first use of the token records `ultimo_uso`
    pocas, n = consultas()
    for _ in range(15):
        tickets.ticket_registrar(solicitante=usuario, **datos_consulta())
    muchas, m = consultas()
    assert (n, m) == (1, 16)
    assert pocas == muchas


def test_esquema_documenta_la_api_de_la_mesa(client):
    esquema = client.get("/api/schema/?format=json").json()
    assert "/api/v1/mesa/incidentes/" in esquema["paths"]
    operacion = esquema["paths"]["/api/v1/mesa/incidentes/"]["post"]
    assert "multipart/form-data" in operacion["requestBody"]["content"]
    assert {"400", "403", "409"} <= set(operacion["responses"])
    assert {"IncidenteCrearInputRequest", "TicketDetalleOutput", "TicketOutput"} <= set(esquema["components"]["schemas"])


def test_reintento_con_idempotency_key_no_duplica(agente, cliente_token):
    api = cliente_token(agente)
    datos = {"motivo": "otros", "asunto": "Horario", "descripcion": "¿Cuál es el horario de atención telefónica?"}
    primera = api.post("/api/v1/mesa/consultas/", datos, format="json", HTTP_IDEMPOTENCY_KEY="clave-1")
    segunda = api.post("/api/v1/mesa/consultas/", datos, format="json", HTTP_IDEMPOTENCY_KEY="clave-1")
    assert primera.status_code == segunda.status_code == 201
    assert primera.json()["numero"] == segunda.json()["numero"] and segunda["Idempotent-Replayed"] == "true"
    assert Ticket.objects.count() == 1
