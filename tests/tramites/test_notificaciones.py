import pytest
from django.core import mail

from tramites.models import Notificacion
from tramites.services import notificacion_enviar_correo, notificar

pytestmark = pytest.mark.django_db


def test_notificar_crea_aviso_y_envia_correo_al_confirmar(usuario_operador, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        (n,) = notificar(
            usuarios=[usuario_operador], asunto="Solicitud aprobada", mensaje="Su solicitud fue aprobada.", enlace="/panel/"
        )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [usuario_operador.email]
    assert "/panel/" in mail.outbox[0].body
    n.refresh_from_db()
    assert n.correo_enviado_en is not None and n.leida_en is None


def test_correo_se_envia_una_sola_vez(usuario_operador):
    n = Notificacion.objects.create(usuario=usuario_operador, asunto="A", mensaje="B")
    assert notificacion_enviar_correo(notificacion_id=n.pk) is True
    assert notificacion_enviar_correo(notificacion_id=n.pk) is False
    assert len(mail.outbox) == 1


def test_sin_transaccion_confirmada_no_sale_correo(usuario_operador, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notificar(usuarios=[usuario_operador], asunto="A", mensaje="B")
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_pagina_de_notificaciones_marca_leidas(client, usuario_operador):
    Notificacion.objects.create(usuario=usuario_operador, asunto="Aviso importante", mensaje="Texto")
    client.force_login(usuario_operador)
    assert "Aviso importante" in client.get("/notificaciones/").content.decode()
    client.post("/notificaciones/")
    assert not Notificacion.objects.filter(usuario=usuario_operador, leida_en__isnull=True).exists()
