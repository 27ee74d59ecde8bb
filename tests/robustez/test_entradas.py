"""Hostile input answers 400 with the portal's error shape, never 500, and saves nothing: a JSON body that is not
an object (`null`, an array, a string) on every write endpoint, a NUL byte in filters, paths and form fields, and
an uploaded file name too long for the file system."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mesa_servicios.catalogo import asegurar_catalogo
from mesa_servicios.models import Motivo, Ticket
from mesa_servicios.services import tickets
from perfeccionamiento.services.dai import dai_crear

pytestmark = [pytest.mark.django_db, pytest.mark.robustez]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def agencia(con_saldos, cliente_token):
    esc = con_saldos
    asegurar_catalogo()
    borrador = dai_crear(por=esc.agente, lineas=[esc.linea(cantidad="10", fob="100")], transmitir=False, **esc.cabecera())
    ticket = tickets.ticket_registrar(
        tipo="consulta",
        solicitante=esc.agente,
        asunto="Consulta de la agencia",
        motivo=Motivo.objects.get(codigo="otros"),
        descripcion="¿Cómo actualizo el correo de notificaciones de la agencia?",
    )
    api = cliente_token(esc.agente)
    api.raise_request_exception = False
    ids = {"dais": borrador.pk, "solicitudes": esc.autorizacion.pk, "garantias": esc.garantia.pk}
    return api, ids, ticket


def _escrituras(api, ids, ticket):
    esquema = api.get("/api/schema/?format=json").json()
    for ruta, operaciones in esquema["paths"].items():
        for metodo in ("post", "put", "patch"):
            if metodo not in operaciones:
                continue
            url = ruta.replace("{numero}", ticket.numero)

            def _id(m, url=url):
                recurso = next((r for r in ids if f"/{r}/" in url), None)
                return str(ids.get(recurso, 1))

            yield metodo, re.sub(r"\{[a-z_]*id\}", _id, url)


@pytest.mark.parametrize("cuerpo", ["null", "[]", '"texto"', "[1, 2]", "7"])
def test_cuerpo_json_que_no_es_un_objeto(agencia, cuerpo):
    api, ids, ticket = agencia
    tickets_antes = Ticket.objects.count()
    escrituras = list(_escrituras(api, ids, ticket))
    assert len(escrituras) >= 20
    fallas = {}
    for metodo, url in escrituras:
        r = getattr(api, metodo)(url, data=cuerpo, content_type="application/json")
        if r.status_code >= 500 or r.status_code == 201 or "code" not in r.json():
            fallas[f"{metodo.upper()} {url}"] = r.status_code
        elif r.status_code == 400:
            assert r.json()["code"] in {"invalido", "cuerpo_no_es_objeto"}, (url, r.json())
    assert fallas == {}
    assert Ticket.objects.count() == tickets_antes


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/regimen21/dais/?estado=%00",
        "/api/v1/regimen21/dais/?numero=abc%00def",
        "/api/v1/regimen21/existencias/?codigo=%00",
        "/api/v1/mesa/sugerencias/?texto=correo%00notificaciones",
        "/api/v1/mesa/tickets/MDS%00/",
        "/api/v1/operadores/?ruc=%00",
    ],
)
def test_byte_nul_en_la_api(agencia, url):
    api, _, _ = agencia
    r = api.get(url)
    assert r.status_code == 400, (url, r.status_code)
    assert r.json()["code"] == "caracter_nulo"


@pytest.mark.parametrize(
    "url",
    [
        "/regimen21/dai/?estado=%00",
        "/regimen21/movimientos/?insumo=%00",
        "/regimen21/solicitudes/?estado=%00",
        "/mesa/sugerencias/?asunto=hola%00mundo&descripcion=xxxxxxxx",
        "/mesa/tickets/MDS%00/",
        "/transparencia/?anio=%00",
    ],
)
def test_byte_nul_en_las_paginas(client, con_saldos, url):
    client.force_login(con_saldos.oce)
    client.raise_request_exception = False
    r = client.get(url)
    assert r.status_code == 400, (url, r.status_code)
    assert "Solicitud no válida" in r.content.decode()


def test_byte_nul_en_un_formulario(client, con_saldos):
    client.force_login(con_saldos.oce)
    client.raise_request_exception = False
    antes = Ticket.objects.count()
    r = client.post(
        "/mesa/nuevo/consulta/",
        {"asunto": "Consulta\x00", "descripcion": "Texto con un byte nulo\x00 en medio.", "motivo": "otros"},
    )
    assert r.status_code == 400
    assert Ticket.objects.count() == antes


def test_nombre_de_archivo_de_300_caracteres(agencia):
    api, _, ticket = agencia
    nombre = "c" * 296 + ".png"
    r = api.post(
        f"/api/v1/mesa/tickets/{ticket.numero}/mensajes/",
        {"texto": "Adjunto la captura.", "adjuntos": [SimpleUploadedFile(nombre, PNG, "image/png")]},
        format="multipart",
    )
    assert r.status_code in {200, 201}, (r.status_code, r.content[:300])
    adjunto = r.json()["adjuntos"][-1] if "adjuntos" in r.json() else None
    assert adjunto is None or len(adjunto["nombre"]) <= 200


def test_formulario_con_idempotency_key(agencia):
    """The NUL check reads the form fields; the idempotency layer must still see the raw body (multipart)."""
    api, _, ticket = agencia
    datos = {"texto": "Adjunto la captura.", "adjuntos": [SimpleUploadedFile("captura.png", PNG, "image/png")]}
    url = f"/api/v1/mesa/tickets/{ticket.numero}/mensajes/"
    primera = api.post(url, datos, format="multipart", HTTP_IDEMPOTENCY_KEY="clave-formulario-1")
    assert primera.status_code in {200, 201}, primera.content[:300]
    datos["adjuntos"][0].seek(0)
    repetida = api.post(url, datos, format="multipart", HTTP_IDEMPOTENCY_KEY="clave-formulario-1")
    assert repetida.status_code == primera.status_code
