"""The monthly job's wiring: registered as a periodic job (day 1, 02h00), runnable on demand, on a real worker;
the command that recomputes one month; the demo."""

from datetime import datetime, time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tramites.periodicas import TAREAS
from transparencia import registro
from transparencia.models import EstadisticaMensual, Recalculo
from transparencia.tasks import calcular_estadisticas_task

NOMBRE = "transparencia.calcular_estadisticas"


def _hace_dos_meses() -> datetime:
    mes = registro.anterior(registro.anterior(registro.mes_actual()))
    return registro.inicio_de_mes(mes).replace(day=10, hour=10)


def _esperado() -> list[str]:
    previo = registro.anterior(registro.mes_actual())
    return [registro.texto_mes(registro.anterior(previo)), registro.texto_mes(previo)]


def test_registrada_como_tarea_mensual():
    tarea = TAREAS[NOMBRE]
    assert (tarea.dia_mes, tarea.hora, tarea.minuto) == ("1", "2", "0")
    assert calcular_estadisticas_task.acks_late is True
    assert calcular_estadisticas_task.name == NOMBRE


@pytest.mark.django_db
def test_programar_tareas_la_crea_en_beat():
    from django_celery_beat.models import PeriodicTask

    call_command("programar_tareas", stdout=StringIO())
    tarea = PeriodicTask.objects.get(task=NOMBRE)
    assert (tarea.crontab.day_of_month, tarea.crontab.hour, tarea.crontab.minute) == ("1", "2", "0")
    assert str(tarea.crontab.timezone) == "America/Guayaquil"


@pytest.mark.django_db
def test_ejecutar_tareas_la_corre_ahora(transicion):
    transicion("garantia", "aprobar", _hace_dos_meses())
    salida = StringIO()
    call_command("ejecutar_tareas", NOMBRE, stdout=salida)
    assert f"'regimen_21': {_esperado()}" in salida.getvalue()
    assert EstadisticaMensual.objects.filter(tramite="regimen_21", origen="portal").count() == 2


@pytest.mark.django_db
def test_comando_recalcular_un_mes(transicion):
    transicion("codigoinsumo", "aprobar", timezone.make_aware(datetime.combine(datetime(2026, 6, 2), time(9))))
    salida = StringIO()
    call_command("recalcular_transparencia", "regimen_21", "2026-06", stdout=salida)
    assert "0 quejas, 1 atenciones" in salida.getvalue()
    assert Recalculo.objects.get().via == "comando"
    with pytest.raises(CommandError, match="AAAA-MM"):
        call_command("recalcular_transparencia", "regimen_21", "junio")
    EstadisticaMensual.objects.create(tramite="regimen_21", anio=2025, mes=3, quejas=0, atenciones=25, origen="historico")
    with pytest.raises(CommandError, match="no se recalculan"):
        call_command("recalcular_transparencia", "regimen_21", "2025-03")


@pytest.mark.django_db
def test_demo_calcula_el_mes_en_curso_desde_los_registros(queja):
    from tests.factories import FuncionarioFactory
    from tramites import roles
    from transparencia import demo

    supervisor = FuncionarioFactory(username="supervisor", grupos=[roles.SUPERVISOR])
    queja("regimen_21", timezone.now())
    salida = StringIO()
    demo.sembrar(salida)
    anio, mes = registro.mes_actual()
    fila = EstadisticaMensual.objects.get(tramite="regimen_21", anio=anio, mes=mes)
    assert (fila.quejas, fila.origen) == (1, "portal")
    assert EstadisticaMensual.objects.filter(tramite="mesa_servicios", anio=anio, mes=mes).exists()
    assert set(Recalculo.objects.values_list("via", "por")) == {("demo", supervisor.pk)}
    assert "(parcial)" in salida.getvalue()


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_tarea_mensual_en_un_worker_real_sobre_redis(transicion):
    """Sent through the Redis broker and run by a real worker of the project app (its own DB connection)."""
    from celery.contrib.testing.worker import start_worker

    from senae_portal.celery import app

    if not app.conf.broker_url.startswith("redis://"):
        pytest.skip("REDIS_URL no está configurado")
    transicion("solicitudautorizacion", "aprobar", _hace_dos_meses())
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            primera = calcular_estadisticas_task.delay().get(timeout=30)
            segunda = calcular_estadisticas_task.delay().get(timeout=30)
    finally:
        app.conf.task_always_eager = True
    assert primera == {"regimen_21": _esperado(), "mesa_servicios": []}
    assert segunda == {"regimen_21": _esperado()[1:], "mesa_servicios": []}
    filas = EstadisticaMensual.objects.filter(tramite="regimen_21").order_by("anio", "mes")
    assert [(f.anio, f.mes, f.quejas, f.atenciones) for f in filas] == [
        (*registro.anterior(registro.anterior(registro.mes_actual())), 0, 1),
        (*registro.anterior(registro.mes_actual()), 0, 0),
    ]


@pytest.mark.postgres
@pytest.mark.django_db
def test_ejecutar_tareas_en_un_proceso_nuevo_encuentra_la_tarea():
    """Celery discovers tasks.py lazily: a fresh `manage.py ejecutar_tareas` must import them itself."""
    import os
    import subprocess
    import sys

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("el proceso nuevo necesita ver la base de pruebas (PostgreSQL)")
    datos = connection.settings_dict
    url = f"postgres://{datos['USER']}@{datos['HOST']}:{datos['PORT']}/{datos['NAME']}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "senae_portal.settings.test", "DATABASE_URL": url}
    env.pop("REDIS_URL", None)
    r = subprocess.run(
        [sys.executable, "manage.py", "ejecutar_tareas", NOMBRE],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"{NOMBRE}: {{")
