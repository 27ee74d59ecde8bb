"""Fixtures of the service desk tests: users of each role and tickets built through the real services."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mesa_servicios.catalogo import asegurar_catalogo
from mesa_servicios.models import Motivo, Ticket
from mesa_servicios.services import tickets
from tests.factories import FuncionarioFactory, UsuarioFactory
from tramites import roles
from tramites.models import Distrito
from tramites.referencias import asegurar_distritos

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%%EOF\n"


def png(nombre="captura.png"):
    return SimpleUploadedFile(nombre, PNG, "image/png")


@pytest.fixture(autouse=True)
def catalogo(db):
    asegurar_catalogo()
    asegurar_distritos()


@pytest.fixture
def analista(db):
    return FuncionarioFactory(grupos=[roles.ANALISIS_FUNCIONAL], first_name="Diego")


@pytest.fixture
def mesa(db):
    return FuncionarioFactory(grupos=[roles.MESA], first_name="Lucía")


@pytest.fixture
def supervisor(db):
    return FuncionarioFactory(grupos=[roles.SUPERVISOR])


@pytest.fixture
def usuario(db):
    return UsuarioFactory()


def datos_incidente(**extra):
    return {
        "tipo": Ticket.Tipo.INCIDENTE,
        "asunto": "Error al transmitir la DAI",
        "descripcion": "Al transmitir la DAI aparece «Error 500» y la declaración no se envía.",
        "pantalla_opcion": "Trámites operativos > Declaración Aduanera de Importación",
        "modulo": Ticket.Modulo.PORTAL_EXTERNO,
        "ocurrido_en": timezone.now() - timedelta(hours=1),
        "distrito": Distrito.objects.get(codigo="028"),
        "telefono_contacto": "0991234567",
        "archivos": [png()],
        **extra,
    }


def datos_consulta(motivo="usuarios_ecuapass", **extra):
    return {
        "tipo": Ticket.Tipo.CONSULTA,
        "asunto": "¿Cómo recupero mi clave de ECUAPASS?",
        "descripcion": "Olvidé la clave de mi usuario de ECUAPASS y el correo registrado ya no existe.",
        "motivo": Motivo.objects.get(codigo=motivo) if motivo else None,
        **extra,
    }


@pytest.fixture
def incidente(usuario):
    return tickets.ticket_registrar(solicitante=usuario, **datos_incidente())


@pytest.fixture
def consulta(usuario):
    return tickets.ticket_registrar(solicitante=usuario, **datos_consulta())


@pytest.fixture
def respondido(incidente, analista):
    tickets.ticket_tomar(ticket_id=incidente.pk, por=analista)
    return tickets.ticket_responder(ticket_id=incidente.pk, por=analista, respuesta="Se corrigió el certificado del servicio.")
