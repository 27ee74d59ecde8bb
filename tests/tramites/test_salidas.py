"""Transactional outbox (tramites.salidas) and idempotent retries under a broker outage (issue 15.1).

The outage tests point Celery at a dead port (nothing listens on 127.0.0.1:1) with eager mode off, as in
production with Redis down; then back at the real Redis, where a real worker runs the sweep."""

import hashlib
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from mesa_servicios.models import Ticket
from tests.factories import UsuarioAgenteFactory, UsuarioFactory
from tramites.models import Notificacion, Salida, SolicitudIdempotente
from tramites.salidas import espera_reintento, salida_encolar, salida_entregar, salida_reencolar, salidas_barrer
from tramites.services import notificar, token_crear

CONSULTA = {"motivo": "otros", "asunto": "Horario", "descripcion": "¿Cuál es el horario de atención telefónica?"}
BROKER_MUERTO = "redis://127.0.0.1:1/0"


@pytest.fixture
def agente_api(transactional_db):
    """A customs agent's API client with a real token; `clave` is the Authorization header value."""
    from rest_framework.test import APIClient

    agente = UsuarioAgenteFactory()
    _, clave = token_crear(usuario=agente, nombre="Software de prueba")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {clave}")
    api.raise_request_exception = False  # a 500 is an answer, as for a real client
    api.autorizacion = f"Token {clave}"
    return api


def _apuntar_broker(app, url: str) -> None:
    """Point the Celery app (and its pooled connections) at another broker."""
    import kombu.pools

    app.conf.broker_url = url
    app.conf.result_backend = url
    kombu.pools.reset()  # kombu's global connection and producer pools
    app._pool = None
    app.amqp._producer_pool = None
    app.__dict__.pop("backend", None)
    app._local.__dict__.pop("backend", None)


@pytest.fixture
def broker_caido():
    from senae_portal.celery import app

    original = (app.conf.broker_url, app.conf.result_backend)
    if not original[0].startswith("redis://"):
        pytest.skip("REDIS_URL no está configurado")
    _apuntar_broker(app, BROKER_MUERTO)
    app.conf.task_always_eager = False
    yield app
    _apuntar_broker(app, original[0])
    app.conf.result_backend = original[1]
    app.conf.task_always_eager = True


@pytest.mark.redis
def test_broker_caido_la_escritura_responde_el_reintento_no_duplica_y_el_correo_sale_al_volver(agente_api, broker_caido):
    from celery.contrib.testing.worker import start_worker

    from tramites.tasks import barrer_salidas_task

    app = broker_caido
    # the publish after commit gives up fast: short socket timeouts and one retry at most
    assert app.conf.broker_transport_options["socket_connect_timeout"] <= 1
    assert app.conf.task_publish_retry_policy["max_retries"] <= 1

    primera = agente_api.post("/api/v1/mesa/consultas/", CONSULTA, format="json", HTTP_IDEMPOTENCY_KEY="caida-1")
    assert primera.status_code == 201, primera.content
    salida = Salida.objects.get()
    assert (salida.manejador, salida.estado, salida.intentos) == ("tramites.correo_notificacion", "pendiente", 0)
    assert mail.outbox == []

    segunda = agente_api.post("/api/v1/mesa/consultas/", CONSULTA, format="json", HTTP_IDEMPOTENCY_KEY="caida-1")
    assert segunda.status_code == 201 and segunda["Idempotent-Replayed"] == "true"
    assert segunda.json()["numero"] == primera.json()["numero"]
    assert Ticket.objects.count() == 1 and Salida.objects.count() == 1

    # the broker comes back: a real worker runs the sweep; the e-mail leaves once
    from django.conf import settings

    _apuntar_broker(app, settings.CELERY_BROKER_URL)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert barrer_salidas_task.delay().get(timeout=30) == 1
        assert barrer_salidas_task.delay().get(timeout=30) == 0
    salida.refresh_from_db()
    assert (salida.estado, salida.intentos) == ("entregada", 1)
    assert [m.to for m in mail.outbox] == [[Ticket.objects.get().solicitante.email]]
    assert Notificacion.objects.get().correo_enviado_en is not None


def test_un_500_despues_de_confirmar_la_escritura_no_duplica_al_reintentar(agente_api, monkeypatch):
    from mesa_servicios.api import views

    def _rompe(*args, **kwargs):
        raise RuntimeError("fallo al leer la respuesta")

    monkeypatch.setattr(views, "_detalle", _rompe)  # the ticket is committed, then the answer fails
    primera = agente_api.post("/api/v1/mesa/consultas/", CONSULTA, format="json", HTTP_IDEMPOTENCY_KEY="k500")
    assert primera.status_code == 500
    monkeypatch.undo()
    segunda = agente_api.post("/api/v1/mesa/consultas/", CONSULTA, format="json", HTTP_IDEMPOTENCY_KEY="k500")
    assert segunda.status_code == 500 and segunda["Idempotent-Replayed"] == "true"
    assert Ticket.objects.count() == 1
    assert SolicitudIdempotente.objects.get().escritura_confirmada_en is not None


def test_un_fallo_antes_de_confirmar_deja_que_el_reintento_se_ejecute(agente_api, monkeypatch):
    from mesa_servicios.api import views

    original = views.tickets.ticket_registrar

    def _rompe_dentro(**kwargs):
        with transaction.atomic():
            original(**kwargs)
            raise RuntimeError("fallo antes del commit")

    monkeypatch.setattr(views.tickets, "ticket_registrar", _rompe_dentro)
    assert agente_api.post("/api/v1/mesa/consultas/", CONSULTA, format="json", HTTP_IDEMPOTENCY_KEY="k-antes").status_code == 500
    assert Ticket.objects.count() == 0 and Salida.objects.count() == 0
    monkeypatch.undo()
    r = agente_api.post("/api/v1/mesa/consultas/", CONSULTA, format="json", HTTP_IDEMPOTENCY_KEY="k-antes")
    assert r.status_code == 201 and "Idempotent-Replayed" not in r
    assert Ticket.objects.count() == 1


def test_reintento_concurrente_responde_409_y_luego_el_primer_resultado(agente_api, monkeypatch):
    from mesa_servicios.api import views

    original = views.tickets.ticket_registrar
    dentro, seguir = threading.Event(), threading.Event()

    def _lento(**kwargs):
        dentro.set()
        assert seguir.wait(20)
        return original(**kwargs)

    monkeypatch.setattr(views.tickets, "ticket_registrar", _lento)
    respuestas = {}

    def _primera():
        try:
            respuestas["primera"] = agente_api.post(
                "/api/v1/mesa/consultas/", CONSULTA, format="json", HTTP_IDEMPOTENCY_KEY="k-par"
            )
        finally:
            connection.close()

    hilo = threading.Thread(target=_primera)
    hilo.start()
    assert dentro.wait(20)
    concurrente = agente_api.post("/api/v1/mesa/consultas/", CONSULTA, format="json", HTTP_IDEMPOTENCY_KEY="k-par")
    seguir.set()
    hilo.join(30)
    assert concurrente.status_code == 409 and concurrente.json()["code"] == "solicitud_en_proceso"
    assert respuestas["primera"].status_code == 201
    tercera = agente_api.post("/api/v1/mesa/consultas/", CONSULTA, format="json", HTTP_IDEMPOTENCY_KEY="k-par")
    assert tercera.json()["numero"] == respuestas["primera"].json()["numero"]
    assert Ticket.objects.count() == 1


def _reserva(api, clave: str, *, confirmada: bool) -> SolicitudIdempotente:
    """The reservation a process killed mid-request leaves behind (no answer), 10 minutes old."""
    from rest_framework.renderers import JSONRenderer

    cuerpo = JSONRenderer().render(CONSULTA)  # the body APIClient sends
    huella = hashlib.sha256(b"POST/api/v1/mesa/consultas/\n" + cuerpo).hexdigest()
    r = SolicitudIdempotente.objects.create(
        propietario=hashlib.sha256(api.autorizacion.encode()).hexdigest(),
        clave=clave,
        metodo="POST",
        ruta="/api/v1/mesa/consultas/",
        huella=huella,
        escritura_confirmada_en=timezone.now() if confirmada else None,
    )
    SolicitudIdempotente.objects.filter(pk=r.pk).update(creada_en=timezone.now() - timedelta(minutes=10))
    return r


def test_reserva_huerfana_sin_escritura_deja_reintentar_y_con_escritura_no(agente_api):
    _reserva(agente_api, "huerfana", confirmada=False)
    r = agente_api.post("/api/v1/mesa/consultas/", CONSULTA, format="json", HTTP_IDEMPOTENCY_KEY="huerfana")
    assert r.status_code == 201, r.content
    assert Ticket.objects.count() == 1
    _reserva(agente_api, "huerfana-confirmada", confirmada=True)
    r = agente_api.post("/api/v1/mesa/consultas/", CONSULTA, format="json", HTTP_IDEMPOTENCY_KEY="huerfana-confirmada")
    assert r.status_code == 409 and r.json()["code"] == "resultado_desconocido"
    assert Ticket.objects.count() == 1


def test_espera_exponencial_con_tope(settings):
    settings.SALIDAS_REINTENTO_BASE_SEGUNDOS = 30
    settings.SALIDAS_REINTENTO_MAXIMO_SEGUNDOS = 3600
    assert [espera_reintento(n).total_seconds() for n in range(1, 10)] == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]


@pytest.fixture
def smtp_caido(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    return settings


def test_sin_broker_un_correo_que_falla_se_reintenta_con_espera_y_queda_fallido(transactional_db, smtp_caido):
    """Eager mode (embedded default): the effect runs in-process after commit; a failure leaves the row pending
    with its backoff, after SALIDAS_MAX_INTENTOS it is failed for good, and an official re-queues it."""
    smtp_caido.SALIDAS_MAX_INTENTOS = 3
    usuario = UsuarioFactory()
    notificar(usuarios=[usuario], asunto="Aviso", mensaje="Hola")  # its own transaction: committed, published
    salida = Salida.objects.get()
    assert (salida.estado, salida.intentos) == ("pendiente", 1)
    assert "ConnectionRefusedError" in salida.ultimo_error
    assert timedelta(seconds=25) < salida.proximo_intento - salida.actualizada_en <= timedelta(seconds=30)
    assert salidas_barrer() == 0 and Salida.objects.get().intentos == 1  # not due yet
    for intentos, espera in [(2, 60), (3, None)]:
        Salida.objects.update(proximo_intento=timezone.now())
        assert salidas_barrer() == 0
        salida.refresh_from_db()
        assert salida.intentos == intentos
        if espera:
            assert salida.estado == "pendiente"
            assert timedelta(seconds=espera - 5) < salida.proximo_intento - salida.actualizada_en
    assert salida.estado == "fallida"
    Salida.objects.update(proximo_intento=timezone.now())
    assert salidas_barrer() == 0 and Salida.objects.get().intentos == 3  # failed for good: the sweep leaves it

    smtp_caido.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert salida_reencolar(salida_id=salida.pk) is True  # the admin action; delivered after commit (eager)
    salida.refresh_from_db()
    assert (salida.estado, salida.intentos) == ("entregada", 1)
    assert [m.subject for m in mail.outbox] == ["Aviso"]
    assert salidas_barrer() == 0 and salida_entregar(salida_id=salida.pk) is None
    assert len(mail.outbox) == 1


def test_la_misma_salida_encolada_dos_veces_es_una_fila(transactional_db):
    n = Notificacion.objects.create(usuario=UsuarioFactory(), asunto="Una vez", mensaje="Hola")
    with transaction.atomic():
        for _ in range(2):
            salida_encolar(manejador="tramites.correo_notificacion", argumentos={"notificacion_id": n.pk}, clave=f"prueba:{n.pk}")
    assert Salida.objects.get().estado == "entregada"
    assert [m.subject for m in mail.outbox] == ["Una vez"]


def test_encolar_fuera_de_una_transaccion_es_un_error(transactional_db):
    with pytest.raises(RuntimeError):
        salida_encolar(manejador="tramites.correo_notificacion", argumentos={"notificacion_id": 1}, clave="x")
    assert not Salida.objects.exists()


def test_admin_muestra_y_reencola_salidas_fallidas(transactional_db, client):
    from tests.factories import FuncionarioFactory

    n = Notificacion.objects.create(usuario=UsuarioFactory(), asunto="Reintento", mensaje="Hola")
    with transaction.atomic():
        salida_encolar(manejador="tramites.correo_notificacion", argumentos={"notificacion_id": n.pk}, clave="admin-1")
    Salida.objects.update(estado="fallida", intentos=8)
    Notificacion.objects.update(correo_enviado_en=None)
    mail.outbox.clear()
    admin = FuncionarioFactory(is_superuser=True)
    client.force_login(admin)
    assert "admin-1" in client.get("/admin/tramites/salida/?estado__exact=fallida").content.decode()
    r = client.post(
        "/admin/tramites/salida/", {"action": "reencolar", "_selected_action": [Salida.objects.get().pk]}, follow=True
    )
    assert r.status_code == 200
    assert Salida.objects.get().estado == "entregada"
    assert [m.subject for m in mail.outbox] == ["Reintento"]
