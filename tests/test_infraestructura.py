"""Project-level promises: migrations in sync, deploy checks clean, demo data loads, Celery on a real worker."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

RAIZ = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_sin_migraciones_pendientes():
    salida = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=salida)


def test_check_deploy_sin_advertencias():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "senae_portal.settings.production",
        "DJANGO_SECRET_KEY": "k8$Zq!n2@pW7vR#t5yL0&uE3^bX9*cM1%hJ6-sD4+gF8=aQ_oI",
        "DJANGO_ALLOWED_HOSTS": "portal.aduana.gob.ec",
    }
    r = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=RAIZ,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no issues" in r.stdout


@pytest.mark.django_db
def test_seed_demo_es_idempotente():
    from tramites.models import Operador, Usuario

    salida = StringIO()
    call_command("seed_demo", stdout=salida)
    usuarios = Usuario.objects.count()
    assert Operador.objects.filter(estado="habilitado").count() >= 2
    assert Usuario.objects.filter(is_staff=True, groups__isnull=False).count() >= 5
    call_command("seed_demo", stdout=salida)
    assert Usuario.objects.count() == usuarios
    assert "ya existen" in salida.getvalue()


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_tarea_en_un_worker_real_sobre_redis():
    """A task sent through the Redis broker and run by a real Celery worker of the project app."""
    from celery.contrib.testing.worker import start_worker

    from senae_portal.celery import app
    from tramites.tasks import ping_task

    if not app.conf.broker_url.startswith("redis://"):
        pytest.skip("REDIS_URL no está configurado")
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            assert ping_task.delay(42).get(timeout=20) == 42
    finally:
        app.conf.task_always_eager = True


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_correo_de_notificacion_por_worker_real(usuario_operador_tx):
    from celery.contrib.testing.worker import start_worker
    from django.core import mail

    from senae_portal.celery import app
    from tramites.models import Notificacion
    from tramites.tasks import enviar_correo_notificacion_task

    if not app.conf.broker_url.startswith("redis://"):
        pytest.skip("REDIS_URL no está configurado")
    n = Notificacion.objects.create(usuario=usuario_operador_tx, asunto="Por worker", mensaje="Hola")
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            assert enviar_correo_notificacion_task.delay(notificacion_id=n.pk).get(timeout=20) is True
            assert enviar_correo_notificacion_task.delay(notificacion_id=n.pk).get(timeout=20) is False
    finally:
        app.conf.task_always_eager = True
    n.refresh_from_db()
    assert n.correo_enviado_en is not None
    assert [m.subject for m in mail.outbox] == ["Por worker"]


@pytest.fixture
def usuario_operador_tx(transactional_db):
    from tests.factories import UsuarioOperadorFactory

    return UsuarioOperadorFactory()


@pytest.mark.django_db
def test_diagramas_de_estados_al_dia():
    """docs/estados.md is generated from the models' transitions; regenerate it with `manage.py documentar_estados`."""
    call_command("documentar_estados", "--check", stdout=StringIO())


def test_esquema_openapi_valido_y_sin_advertencias():
    """The OpenAPI document validates against the spec and drf-spectacular reports no warning."""
    r = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--validate", "--fail-on-warn", "--file", os.devnull],
        cwd=RAIZ,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "senae_portal.settings.test"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stdout + r.stderr
