"""Agent-software integration: Idempotency-Key on writes and signed webhooks with retries."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.db import transaction
from django.utils import timezone

from tests.factories import AgenteFactory, DelegacionFactory, FuncionarioFactory, OperadorFactory
from tramites.fsm import transicionar
from tramites.models import Delegacion, EntregaWebhook, Operador, Salida, SolicitudIdempotente
from tramites.webhooks import entrega_enviar, verificar_firma

pytestmark = pytest.mark.django_db


@pytest.fixture
def operador_api(cliente_token, usuario_operador):
    return cliente_token(usuario_operador)


def test_reintento_con_la_misma_clave_no_duplica(operador_api):
    agente = AgenteFactory()
    datos = {"agente_ruc": agente.ruc, "desde": "2026-01-01"}
    r1 = operador_api.post("/api/v1/delegaciones/", datos, format="json", HTTP_IDEMPOTENCY_KEY="clave-1")
    r2 = operador_api.post("/api/v1/delegaciones/", datos, format="json", HTTP_IDEMPOTENCY_KEY="clave-1")
    assert r1.status_code == r2.status_code == 201
    assert r1.json() == r2.json()
    assert r2["Idempotent-Replayed"] == "true"
    assert Delegacion.objects.count() == 1
    r3 = operador_api.post("/api/v1/delegaciones/", datos, format="json", HTTP_IDEMPOTENCY_KEY="clave-2")
    assert r3.status_code == 201
    assert Delegacion.objects.count() == 2


def test_misma_clave_con_otro_cuerpo_es_un_error(operador_api):
    agente = AgenteFactory()
    operador_api.post(
        "/api/v1/delegaciones/", {"agente_ruc": agente.ruc, "desde": "2026-01-01"}, format="json", HTTP_IDEMPOTENCY_KEY="k"
    )
    r = operador_api.post(
        "/api/v1/delegaciones/", {"agente_ruc": agente.ruc, "desde": "2026-02-01"}, format="json", HTTP_IDEMPOTENCY_KEY="k"
    )
    assert r.status_code == 422
    assert r.json()["code"] == "idempotency_key_reutilizada"
    assert Delegacion.objects.count() == 1


def test_claves_son_por_credencial(cliente_token, usuario_operador):
    from tests.factories import UsuarioOperadorFactory

    agente = AgenteFactory()
    a = cliente_token(usuario_operador)
    a.post("/api/v1/delegaciones/", {"agente_ruc": agente.ruc, "desde": "2026-01-01"}, format="json", HTTP_IDEMPOTENCY_KEY="k")
    from rest_framework.test import APIClient

    from tramites.services import token_crear

    _, clave = token_crear(usuario=UsuarioOperadorFactory(), nombre="otro")
    b = APIClient()
    b.credentials(HTTP_AUTHORIZATION=f"Token {clave}")
    r = b.post(
        "/api/v1/delegaciones/", {"agente_ruc": agente.ruc, "desde": "2026-01-01"}, format="json", HTTP_IDEMPOTENCY_KEY="k"
    )
    assert r.status_code == 201
    assert Delegacion.objects.count() == 2


def test_error_de_validacion_se_recuerda_y_explica(operador_api):
    r = operador_api.post(
        "/api/v1/delegaciones/", {"agente_ruc": "123", "desde": "x"}, format="json", HTTP_IDEMPOTENCY_KEY="mala"
    )
    assert r.status_code == 400
    cuerpo = r.json()
    assert cuerpo["code"] == "invalido"
    assert cuerpo["errors"]["agente_ruc"] == ["El RUC debe tener 13 dígitos."]
    assert "desde" in cuerpo["errors"]
    assert SolicitudIdempotente.objects.get(clave="mala").codigo_http == 400


def test_sin_clave_no_se_guarda_nada(operador_api):
    operador_api.post("/api/v1/delegaciones/", {"agente_ruc": AgenteFactory().ruc, "desde": "2026-01-01"}, format="json")
    assert not SolicitudIdempotente.objects.exists()


def test_esquema_documenta_idempotency_key(client):
    op = client.get("/api/schema/?format=json").json()["paths"]["/api/v1/delegaciones/"]["post"]
    assert "Idempotency-Key" in [p["name"] for p in op["parameters"]]
    assert "422" in op["responses"]


class _Receptor(BaseHTTPRequestHandler):
    respuestas: list[int] = []
    recibidas: list[tuple[dict, bytes]] = []

    def do_POST(self):
        cuerpo = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).recibidas.append((self.headers, cuerpo))
        self.send_response(type(self).respuestas.pop(0) if type(self).respuestas else 200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receptor():
    _Receptor.respuestas, _Receptor.recibidas = [], []
    servidor = HTTPServer(("127.0.0.1", 0), _Receptor)
    hilo = threading.Thread(target=servidor.serve_forever, daemon=True)
    hilo.start()
    yield servidor, _Receptor
    servidor.shutdown()


def _agente_con_webhook(servidor, operador):
    agente = AgenteFactory(webhook_url=f"http://127.0.0.1:{servidor.server_port}/senae")
    DelegacionFactory(operador=operador, agente=agente)
    return agente


def test_cambio_de_estado_envia_webhook_firmado(receptor, django_capture_on_commit_callbacks):
    servidor, manejador = receptor
    op = OperadorFactory(estado=Operador.Estado.REGISTRADO)
    agente = _agente_con_webhook(servidor, op)
    _agente_con_webhook(servidor, OperadorFactory())  # another operator's agency: not told
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        transicionar(Operador.objects.get(pk=op.pk), "habilitar", por=FuncionarioFactory(), comentario="ok")
    ((cabeceras, cuerpo),) = manejador.recibidas
    assert cabeceras["X-SENAE-Evento"] == "tramites.operador.habilitar"
    assert verificar_firma(agente.webhook_secreto, cabeceras["X-SENAE-Timestamp"], cuerpo, cabeceras["X-SENAE-Firma"])
    assert not verificar_firma("otro-secreto", cabeceras["X-SENAE-Timestamp"], cuerpo, cabeceras["X-SENAE-Firma"])
    carga = json.loads(cuerpo)
    assert (carga["desde"], carga["hacia"], carga["operador"]["ruc"]) == ("registrado", "habilitado", op.ruc)
    entrega = EntregaWebhook.objects.get()
    assert (entrega.estado, entrega.intentos, entrega.ultimo_codigo_http) == ("entregada", 1, 200)


def test_sin_broker_el_fallo_queda_pendiente_y_el_job_lo_reenvia(receptor, django_capture_on_commit_callbacks):
    """Eager mode (embedded default): no retry loop in-process; the outbox sweep sends it again when due."""
    from tramites.salidas import salidas_barrer

    servidor, manejador = receptor
    manejador.respuestas = [503]
    op = OperadorFactory(estado=Operador.Estado.REGISTRADO)
    _agente_con_webhook(servidor, op)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        transicionar(Operador.objects.get(pk=op.pk), "habilitar", por=None)
    entrega = EntregaWebhook.objects.get()
    assert (entrega.estado, entrega.intentos, entrega.ultimo_codigo_http) == ("pendiente", 1, 503)
    salida = Salida.objects.get()
    assert (salida.estado, salida.intentos, salida.ultimo_error) == ("pendiente", 1, "HTTP 503")
    assert salidas_barrer() == 0  # not due yet (backoff)
    Salida.objects.update(proximo_intento=timezone.now())
    assert salidas_barrer() == 1
    entrega.refresh_from_db()
    assert (entrega.estado, entrega.intentos) == ("entregada", 2)
    assert salidas_barrer() == 0
    assert len(manejador.recibidas) == 2


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_worker_real_reintenta_con_espera_hasta_entregar(receptor, settings):
    import time

    from celery.contrib.testing.worker import start_worker

    from senae_portal.celery import app

    if not app.conf.broker_url.startswith("redis://"):
        pytest.skip("REDIS_URL no está configurado")
    settings.SALIDAS_REINTENTO_BASE_SEGUNDOS = 0
    servidor, manejador = receptor
    manejador.respuestas = [500, 503]
    op = OperadorFactory(estado=Operador.Estado.REGISTRADO)
    _agente_con_webhook(servidor, op)
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            with transaction.atomic():
                transicionar(Operador.objects.get(pk=op.pk), "habilitar", por=None)
            limite = time.monotonic() + 30
            while time.monotonic() < limite and EntregaWebhook.objects.get().estado != "entregada":
                time.sleep(0.2)
    finally:
        app.conf.task_always_eager = True
    entrega = EntregaWebhook.objects.get()
    assert (entrega.estado, entrega.intentos, entrega.ultimo_codigo_http) == ("entregada", 3, 200)
    assert len(manejador.recibidas) == 3


def test_ultimo_intento_fallido_queda_registrado(receptor):
    servidor, manejador = receptor
    manejador.respuestas = [500]
    op = OperadorFactory(estado=Operador.Estado.REGISTRADO)
    _agente_con_webhook(servidor, op)
    with transaction.atomic():
        transicionar(Operador.objects.get(pk=op.pk), "habilitar", por=None)
    entrega = EntregaWebhook.objects.get()
    assert entrega_enviar(entrega_id=entrega.pk, ultimo_intento=True) is False
    entrega.refresh_from_db()
    assert (entrega.estado, entrega.ultimo_codigo_http, entrega.ultimo_error) == ("fallida", 500, "HTTP 500")


def test_sin_delegacion_activa_no_hay_webhook(receptor):
    servidor, _ = receptor
    op = OperadorFactory(estado=Operador.Estado.REGISTRADO)
    agente = _agente_con_webhook(servidor, op)
    from django.utils import timezone

    Delegacion.objects.filter(agente=agente).update(revocada_en=timezone.now())
    with transaction.atomic():
        transicionar(Operador.objects.get(pk=op.pk), "habilitar", por=None)
    assert not EntregaWebhook.objects.exists()


def test_agente_configura_su_webhook(client, usuario_agente, monkeypatch):
    import socket

    resolver = socket.getaddrinfo
    publica = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("190.152.10.20", 443))]
    monkeypatch.setattr(
        socket, "getaddrinfo", lambda h, *a, **k: publica if h == "sistema.agencia.test" else resolver(h, *a, **k)
    )
    client.force_login(usuario_agente)
    r = client.post("/cuenta/tokens/", {"webhook_url": "https://sistema.agencia.test/senae"})
    assert r.status_code == 302
    usuario_agente.agente.refresh_from_db()
    assert usuario_agente.agente.webhook_url == "https://sistema.agencia.test/senae"
    html = client.get("/cuenta/tokens/").content.decode()
    assert usuario_agente.agente.webhook_secreto in html
