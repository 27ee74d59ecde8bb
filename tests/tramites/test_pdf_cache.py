"""Rendered PDFs are cached per version of what they show (tramites/pdf.py): the same version is not rendered twice,
answers 304 to its ETag, and any change of the record renders it again."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import DelegacionFactory
from tests.pdf import texto_pdf
from tramites import pdf
from tramites.models import Operador

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch):
    """Counts WeasyPrint renders (the expensive step)."""
    llamadas = []
    original = pdf.renderizar_pdf

    def contar(plantilla, contexto):
        llamadas.append(plantilla)
        return original(plantilla, contexto)

    monkeypatch.setattr(pdf, "renderizar_pdf", contar)
    return llamadas


def test_la_misma_version_no_se_vuelve_a_generar(client, usuario_operador, renders):
    client.force_login(usuario_operador)
    url = reverse("tramites:constancia_pdf")
    primera = client.get(url)
    segunda = client.get(url)
    assert primera.status_code == segunda.status_code == 200
    assert len(renders) == 1
    assert segunda.content == primera.content
    assert segunda["ETag"] == primera["ETag"] and primera["ETag"].startswith('"')
    assert primera["Last-Modified"]


def test_if_none_match_responde_304(client, usuario_operador, renders):
    client.force_login(usuario_operador)
    url = reverse("tramites:constancia_pdf")
    etag = client.get(url)["ETag"]
    respuesta = client.get(url, headers={"If-None-Match": etag})
    assert respuesta.status_code == 304 and respuesta.content == b"" and respuesta["ETag"] == etag
    assert client.get(url, headers={"If-None-Match": '"otra-version"'}).status_code == 200
    assert len(renders) == 1


def test_un_cambio_del_registro_genera_otra_version(client, usuario_operador, renders):
    client.force_login(usuario_operador)
    url = reverse("tramites:constancia_pdf")
    antes = client.get(url)
    Operador.objects.filter(pk=usuario_operador.operador_id).update(razon_social="Textiles Andinos Renovados S.A.")
    despues = client.get(url, headers={"If-None-Match": antes["ETag"]})
    assert despues.status_code == 200 and despues["ETag"] != antes["ETag"]
    assert "Textiles Andinos Renovados S.A." in texto_pdf(despues.content)
    DelegacionFactory(operador=usuario_operador.operador)  # a related row the constancia lists
    tercera = client.get(url)
    assert tercera["ETag"] not in {antes["ETag"], despues["ETag"]}
    assert len(renders) == 3


def test_pdf_de_la_api_con_etag(cliente_token, usuario_agente, renders):
    from mesa_servicios.catalogo import asegurar_catalogo
    from mesa_servicios.models import Motivo
    from mesa_servicios.services import tickets

    asegurar_catalogo()
    ticket = tickets.ticket_registrar(
        tipo="consulta",
        solicitante=usuario_agente,
        asunto="Consulta de la agencia",
        motivo=Motivo.objects.get(codigo="otros"),
        descripcion="¿Cómo actualizo el correo de notificaciones de la agencia?",
    )
    api = cliente_token(usuario_agente)
    url = f"/api/v1/mesa/tickets/{ticket.numero}/comprobante/"
    etag = api.get(url)["ETag"]
    assert api.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert len(renders) == 1
