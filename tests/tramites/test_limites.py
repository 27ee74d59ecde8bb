"""Rate limits (tramites/limites.py, ADR 0018): per token, user and IP, counted in the cache every process shares,
stricter on PDFs and search, 429 with Retry-After in the portal's error shape, and failing open without Redis."""

from __future__ import annotations

import os
import uuid

import pytest
import redis
from django.core.cache import caches
from django.urls import reverse

from mesa_servicios.catalogo import asegurar_catalogo
from mesa_servicios.models import Motivo
from mesa_servicios.services import tickets

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("REDIS_URL", "")
requiere_redis = pytest.mark.skipif(not REDIS_URL, reason="requiere REDIS_URL (Redis real)")


def _tasas(settings, **tasas):
    actuales = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {**actuales, **tasas}}


@pytest.fixture
def limites_en_redis(settings):
    """`limites` on the real Redis, under a prefix of its own (counters never meet another test's)."""
    prefijo = f"pruebas-limites-{uuid.uuid4().hex}"
    settings.CACHES = {
        **settings.CACHES,
        "limites": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefijo,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    }
    yield prefijo
    conexion = redis.Redis.from_url(REDIS_URL)
    for clave in conexion.scan_iter(f"{prefijo}*"):
        conexion.delete(clave)


class _DosProcesos:
    """Stands for `caches` in two gunicorn processes: each has its own client (its own connection pool) on the same
    Redis; `usar(n)` switches which process answers the next requests."""

    def __init__(self) -> None:
        self.clientes = [caches.create_connection("limites"), caches.create_connection("limites")]
        self.actual = 0

    def usar(self, n: int) -> None:
        self.actual = n

    def __getitem__(self, alias: str):
        return self.clientes[self.actual] if alias == "limites" else caches[alias]


@requiere_redis
def test_token_limitado_entre_procesos_con_retry_after(limites_en_redis, settings, usuario_agente, cliente_token, monkeypatch):
    from tramites import limites

    _tasas(settings, token="4/min")
    procesos = _DosProcesos()
    assert procesos.clientes[0]._cache is not procesos.clientes[1]._cache  # two clients, two connection pools
    monkeypatch.setattr(limites, "caches", procesos)
    api = cliente_token(usuario_agente)

    codigos = []
    for n in range(5):
        procesos.usar(n % 2)  # requests alternate between the two processes
        codigos.append(api.get("/api/v1/delegaciones/").status_code)

    assert codigos == [200, 200, 200, 200, 429]
    respuesta = api.get("/api/v1/delegaciones/")
    assert respuesta.status_code == 429
    assert 1 <= int(respuesta["Retry-After"]) <= 60
    cuerpo = respuesta.json()
    assert cuerpo["code"] == "demasiadas_solicitudes" and cuerpo["errors"] == {}
    assert cuerpo["message"].startswith("Demasiadas solicitudes; espere ")
    assert any(redis.Redis.from_url(REDIS_URL).scan_iter(f"{limites_en_redis}*throttle_token*"))  # counted in Redis


def test_otro_token_del_mismo_usuario_tiene_su_propio_limite(settings, usuario_agente, cliente_token, api_client):
    _tasas(settings, token="2/min")
    api = cliente_token(usuario_agente)
    assert [api.get("/api/v1/delegaciones/").status_code for _ in range(3)] == [200, 200, 429]
    otro = cliente_token(usuario_agente)  # a second software client of the same agency: a new token
    assert otro.get("/api/v1/delegaciones/").status_code == 200


def test_el_usuario_cuenta_todos_sus_tokens(settings, usuario_agente, cliente_token):
    _tasas(settings, user="3/min")
    for _ in range(3):
        assert cliente_token(usuario_agente).get("/api/v1/delegaciones/").status_code == 200
    assert cliente_token(usuario_agente).get("/api/v1/delegaciones/").status_code == 429


@pytest.fixture
def ticket_del_agente(usuario_agente):
    asegurar_catalogo()
    return tickets.ticket_registrar(
        tipo="consulta",
        solicitante=usuario_agente,
        asunto="Consulta de la agencia",
        motivo=Motivo.objects.get(codigo="otros"),
        descripcion="¿Cómo actualizo el correo de notificaciones de la agencia?",
    )


def test_pdf_de_la_api_con_limite_mas_estricto(settings, usuario_agente, cliente_token, ticket_del_agente):
    _tasas(settings, pdf="2/min", token="100/min")
    api = cliente_token(usuario_agente)
    url = f"/api/v1/mesa/tickets/{ticket_del_agente.numero}/comprobante/"
    assert [api.get(url).status_code for _ in range(3)] == [200, 200, 429]
    respuesta = api.get(url)
    assert respuesta.json()["code"] == "demasiadas_solicitudes" and int(respuesta["Retry-After"]) >= 1
    assert api.get(f"/api/v1/mesa/tickets/{ticket_del_agente.numero}/").status_code == 200  # the rest still answers


def test_busqueda_de_la_api_con_limite_mas_estricto(settings, usuario_agente, cliente_token):
    _tasas(settings, busqueda="2/min")
    api = cliente_token(usuario_agente)
    codigos = [api.get("/api/v1/mesa/sugerencias/", {"texto": "correo de notificaciones"}).status_code for _ in range(3)]
    assert codigos == [200, 200, 429]


def test_pdf_de_la_pagina_con_limite_y_pagina_429_en_espanol(settings, client, usuario_operador):
    _tasas(settings, pdf="2/min")
    client.force_login(usuario_operador)
    url = reverse("tramites:constancia_pdf")
    assert [client.get(url).status_code for _ in range(2)] == [200, 200]
    respuesta = client.get(url)
    assert respuesta.status_code == 429
    assert 1 <= int(respuesta["Retry-After"]) <= 60
    assert respuesta["Content-Type"].startswith("text/html")
    assert "Demasiadas solicitudes" in respuesta.content.decode()
    assert client.get(reverse("tramites:panel")).status_code == 200  # only the PDF is limited


def test_busqueda_de_la_pagina_con_limite(settings, client, usuario_operador):
    _tasas(settings, busqueda="2/min")
    client.force_login(usuario_operador)
    url = reverse("mesa_servicios:sugerencias")
    datos = {"asunto": "Correo de notificaciones", "descripcion": "¿Cómo lo actualizo?"}
    assert [client.get(url, datos).status_code for _ in range(3)] == [200, 200, 429]


def test_sin_redis_la_api_sigue_respondiendo(settings, usuario_agente, cliente_token, caplog):
    """A broker/cache outage must not take the API down: the limit fails open, quickly, with a log line."""
    _tasas(settings, token="1/min")
    settings.CACHES = {
        **settings.CACHES,
        "limites": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    }
    api = cliente_token(usuario_agente)
    assert [api.get("/api/v1/delegaciones/").status_code for _ in range(3)] == [200, 200, 200]
    assert "sin contar" in caplog.text
