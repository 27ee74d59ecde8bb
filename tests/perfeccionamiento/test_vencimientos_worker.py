"""Exactly-once expiry alerts when the worker running the job dies mid-run: a real Celery worker (a separate
process on Redis) is killed with SIGKILL after its first committed batch; with `acks_late` the job goes back
to the queue, a second worker runs it again, and every record still gets its alert once."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from perfeccionamiento.models import AlertaVencimiento, EntregaAlerta, SaldoInsumo
from perfeccionamiento.services.dai import dai_crear
from perfeccionamiento.services.vencimientos import alertar_vencimientos

RAIZ = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own celery command line
        [sys.executable, "-m", "celery", "-A", "senae_portal", "worker", "-P", "solo", "--without-gossip",
         "--without-mingle", "--without-heartbeat", "-l", "WARNING"],
        cwd=RAIZ, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


def _parar(proceso: subprocess.Popen) -> None:
    proceso.terminate()
    try:
        proceso.wait(15)
    except subprocess.TimeoutExpired:
        proceso.kill()
        proceso.wait(5)


def _esperar(condicion, segundos: float) -> bool:
    limite = time.monotonic() + segundos
    while time.monotonic() < limite:
        if condicion():
            return True
        time.sleep(0.1)
    return False


def test_alertas_una_vez_aunque_el_worker_muera(escenario):
    from perfeccionamiento.tasks import alertar_vencimientos_task
    from senae_portal.celery import app

    if not app.conf.broker_url.startswith("redis://") or connection.vendor != "postgresql":
        pytest.skip("necesita Redis (REDIS_URL) y PostgreSQL")
    dais = [
        dai_crear(por=escenario.agente, lineas=[escenario.linea(cantidad="10", fob="100")], **escenario.cabecera())
        for _ in range(4)
    ]
    SaldoInsumo.objects.update(vence_el=timezone.localdate() + timedelta(days=20))
    base = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "senae_portal.settings.test",
        "DATABASE_URL": f"postgres://{base['USER']}@{base['HOST'] or '127.0.0.1'}:{base['PORT'] or 5432}/{base['NAME']}",
        "CELERY_BROKER_URL": app.conf.broker_url,
        "CELERY_RESULT_BACKEND": app.conf.result_backend,
        "CELERY_VISIBILITY_TIMEOUT": "2",  # an unacknowledged job returns to the queue after 2 s…
        "CELERY_RESTAURAR_CADA": "1",  # …found by a worker's sweep every second
        "ALERTAS_TAMANO_LOTE": "1",  # one record per batch (per transaction)…
        "ALERTAS_PAUSA_ENTRE_LOTES": "2.0",  # …and time to kill the worker between two of them
    }
    app.control.purge()  # this test process's own queue: nothing left over from an earlier run
    primero = _worker(env)
    app.conf.task_always_eager = False
    try:
        resultado = alertar_vencimientos_task.delay()
        assert _esperar(lambda: AlertaVencimiento.objects.exists(), 90), primero.stderr.read1().decode() if primero.poll() else ""
        primero.send_signal(signal.SIGKILL)  # dies mid-run: the job was not acknowledged
        primero.wait(10)
        a_medias = AlertaVencimiento.objects.count()
        assert 1 <= a_medias < len(dais), f"el worker debía morir a mitad del trabajo ({a_medias} de {len(dais)})"
        segundo = _worker(env)
        try:
            assert (
                resultado.get(timeout=120, disable_sync_subtasks=False)["saldos"] == len(dais) - a_medias
            )  # the same job, run again to the end
        finally:
            _parar(segundo)
    finally:
        if primero.poll() is None:
            _parar(primero)
        app.conf.task_always_eager = True
    assert AlertaVencimiento.objects.count() == len(dais)
    assert sorted(AlertaVencimiento.objects.values_list("object_id", flat=True)) == sorted(d.pk for d in dais)
    assert EntregaAlerta.objects.count() == 2 * len(dais)  # the operator's user and its agent's, once each
    assert alertar_vencimientos()["saldos"] == 0
