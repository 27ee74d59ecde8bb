"""Computing months: the job's counts on known records, idempotence, the historical rule, the log of every run."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tramites.exceptions import DatosInvalidos
from transparencia import registro
from transparencia.models import EstadisticaMensual, Recalculo
from transparencia.services import (
    MesFuturo,
    MesHistorico,
    estadistica_recalcular,
    estadisticas_calcular_pendientes,
    meses_pendientes,
)

pytestmark = pytest.mark.django_db
GYE = ZoneInfo("America/Guayaquil")
HOY = date(2026, 11, 23)  # the job on this day computes up to October 2026


def _filas(tramite, origen="portal"):
    return {(e.anio, e.mes): (e.quejas, e.atenciones) for e in EstadisticaMensual.objects.filter(tramite=tramite, origen=origen)}


@pytest.fixture
def registros(queja, atendido, transicion):
    """Known records: Mesa from February 2026 (after its last historical month, December 2025), régimen 21
    from June 2026 (after April 2026); nothing in May 2026 for régimen 21 nor in March 2026 for the desk."""
    queja("mesa_servicios", datetime(2026, 2, 10, 9, tzinfo=GYE))
    atendido("consulta", datetime(2026, 2, 11, 9, tzinfo=GYE))
    atendido("incidente", datetime(2026, 2, 28, 23, 30, tzinfo=GYE))  # March 1st in UTC, February in Guayaquil
    atendido("consulta", datetime(2026, 10, 5, 9, tzinfo=GYE))
    queja("mesa_servicios", datetime(2026, 10, 6, 9, tzinfo=GYE))
    queja("mesa_servicios", datetime(2026, 11, 2, 9, tzinfo=GYE))  # current month: the job leaves it
    queja("regimen_21", datetime(2026, 6, 3, 9, tzinfo=GYE))
    transicion("solicitudautorizacion", "aprobar", datetime(2026, 6, 4, 9, tzinfo=GYE))
    transicion("garantia", "aprobar", datetime(2026, 6, 5, 9, tzinfo=GYE))
    transicion("codigoproducto", "rechazar", datetime(2026, 9, 1, 9, tzinfo=GYE))
    transicion("garantia", "presentar", datetime(2026, 9, 1, 9, tzinfo=GYE))  # not an attention


def test_la_tarea_cuenta_los_meses_pendientes_sobre_datos_conocidos(historico, registros):
    with CaptureQueriesContext(connection) as consultas:
        escritos = estadisticas_calcular_pendientes(hoy=HOY)
    assert escritos == {
        "regimen_21": ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10"],
        "mesa_servicios": [f"2026-{m:02d}" for m in range(2, 11)],
    }
    # Régimen 21: nothing in May 2026 (the month after its history) → the portal starts in June.
    assert _filas("regimen_21") == {
        (2026, 6): (1, 2),
        (2026, 7): (0, 0),
        (2026, 8): (0, 0),
        (2026, 9): (0, 1),
        (2026, 10): (0, 0),
    }
    # Mesa: January 2026 had no records → not published as a false zero; from February on, zeros are real.
    assert _filas("mesa_servicios") == {
        (2026, 2): (1, 2),
        **{(2026, m): (0, 0) for m in range(3, 10)},
        (2026, 10): (1, 1),
    }
    assert not EstadisticaMensual.objects.filter(tramite="mesa_servicios", anio=2026, mes=1).exists()
    # Historical rows untouched
    assert EstadisticaMensual.objects.filter(origen="historico").count() == 148
    assert EstadisticaMensual.objects.get(tramite="regimen_21", anio=2025, mes=3).atenciones == 25
    # One aggregate query per trámite (plus reading the existing rows and the writes)
    agregadas = [c["sql"] for c in consultas if "GROUP BY" in c["sql"]]
    assert len(agregadas) == 2
    assert all(c["sql"].count("UNION") == 1 for c in consultas if "GROUP BY" in c["sql"])
    recalculos = Recalculo.objects.filter(via="tarea", por=None)
    assert recalculos.count() == 14


def test_la_tarea_es_idempotente(historico, registros):
    estadisticas_calcular_pendientes(hoy=HOY)
    antes = {(e.pk, e.tramite, e.anio, e.mes, e.quejas, e.atenciones, e.origen) for e in EstadisticaMensual.objects.all()}
    escritos = estadisticas_calcular_pendientes(hoy=HOY)
    despues = {(e.pk, e.tramite, e.anio, e.mes, e.quejas, e.atenciones, e.origen) for e in EstadisticaMensual.objects.all()}
    assert despues == antes
    # The second run recomputes only the previous month, with the same figures, and logs it.
    assert escritos == {"regimen_21": ["2026-10"], "mesa_servicios": ["2026-10"]}
    ultimo = Recalculo.objects.filter(tramite="mesa_servicios", anio=2026, mes=10).first()
    assert (ultimo.quejas_antes, ultimo.atenciones_antes, ultimo.quejas, ultimo.atenciones) == (1, 1, 1, 1)
    assert not ultimo.cambio


def test_la_tarea_del_mes_siguiente_calcula_solo_el_mes_anterior(historico, registros, atendido):
    estadisticas_calcular_pendientes(hoy=HOY)
    atendido("consulta", datetime(2026, 11, 20, 9, tzinfo=GYE))
    escritos = estadisticas_calcular_pendientes(hoy=date(2026, 12, 1))
    assert escritos == {"regimen_21": ["2026-11"], "mesa_servicios": ["2026-11"]}
    assert _filas("mesa_servicios")[(2026, 11)] == (1, 1)
    assert _filas("regimen_21")[(2026, 11)] == (0, 0)  # published: the portal already runs for régimen 21


def test_sin_registros_la_tarea_no_publica_nada(historico):
    assert estadisticas_calcular_pendientes(hoy=HOY) == {"regimen_21": [], "mesa_servicios": []}
    assert not EstadisticaMensual.objects.filter(origen="portal").exists()
    assert not Recalculo.objects.exists()


def test_la_tarea_nunca_toca_un_mes_historico(historico, transicion):
    """Records inside a historical month (e.g. migrated ones) do not change the published figure."""
    transicion("garantia", "aprobar", datetime(2026, 4, 10, 9, tzinfo=GYE))
    escritos = estadisticas_calcular_pendientes(hoy=date(2026, 5, 15))  # previous month = April 2026, historical
    assert escritos["regimen_21"] == []
    assert EstadisticaMensual.objects.get(tramite="regimen_21", anio=2026, mes=4).atenciones == 922


def test_meses_pendientes(historico):
    fuente = registro.obtener("regimen_21")
    pendientes, publicado = meses_pendientes(fuente=fuente, previo=(2026, 8))
    assert (pendientes, publicado) == ([(2026, 5), (2026, 6), (2026, 7), (2026, 8)], False)
    EstadisticaMensual.objects.create(
        tramite="regimen_21", anio=2026, mes=7, quejas=0, atenciones=5, origen="portal", calculado_en=datetime.now(GYE)
    )
    # Once the portal publishes, it goes on from its first month: missing months after it and always the last.
    assert meses_pendientes(fuente=fuente, previo=(2026, 9)) == ([(2026, 8), (2026, 9)], True)
    assert meses_pendientes(fuente=fuente, previo=(2026, 7)) == ([(2026, 7)], True)


def test_recalcular_un_mes_crea_y_luego_reemplaza_con_registro(historico, registros, supervisor, transicion):
    fila = estadistica_recalcular(tramite="regimen_21", anio=2026, mes=6, por=supervisor, via="administracion", hoy=HOY)
    assert (fila.origen, fila.quejas, fila.atenciones) == ("portal", 1, 2)
    transicion("versioncoeficientes", "aprobar", datetime(2026, 6, 30, 18, tzinfo=GYE))  # a late record
    otra = estadistica_recalcular(tramite="regimen_21", anio=2026, mes=6, por=supervisor, via="administracion", hoy=HOY)
    assert otra.pk == fila.pk and (otra.quejas, otra.atenciones) == (1, 3)
    log = list(Recalculo.objects.filter(tramite="regimen_21", anio=2026, mes=6).order_by("en", "pk"))
    assert [(r.quejas_antes, r.atenciones_antes, r.atenciones, r.por, r.via) for r in log] == [
        (None, None, 2, supervisor, "administracion"),
        (1, 2, 3, supervisor, "administracion"),
    ]


def test_recalcular_un_mes_historico_se_rechaza(historico, supervisor):
    with pytest.raises(MesHistorico) as error:
        estadistica_recalcular(tramite="mesa_servicios", anio=2021, mes=4, por=supervisor, via="administracion", hoy=HOY)
    assert error.value.code == "mes_historico" and error.value.http_status == 409
    assert EstadisticaMensual.objects.get(tramite="mesa_servicios", anio=2021, mes=4).atenciones == 4848
    assert not Recalculo.objects.exists()


def test_recalcular_valida_el_mes(supervisor):
    with pytest.raises(MesFuturo):
        estadistica_recalcular(tramite="regimen_21", anio=2026, mes=12, por=supervisor, via="administracion", hoy=HOY)
    with pytest.raises(DatosInvalidos):
        estadistica_recalcular(tramite="regimen_21", anio=2026, mes=13, por=supervisor, via="administracion", hoy=HOY)
    with pytest.raises(registro.TramiteDesconocido):
        estadistica_recalcular(tramite="aforo", anio=2026, mes=1, por=supervisor, via="administracion", hoy=HOY)


def test_el_mes_en_curso_se_puede_calcular_y_se_marca_parcial(registros, supervisor):
    from transparencia.selectors import serie_obtener

    hoy = registro.mes_actual()
    fila = estadistica_recalcular(tramite="mesa_servicios", anio=hoy[0], mes=hoy[1], por=supervisor, via="demo")
    serie = serie_obtener(tramite="mesa_servicios")
    assert serie.filas[-1].periodo == fila.periodo and serie.filas[-1].parcial
    assert serie.ultimo is None or serie.ultimo.periodo < hoy


def test_el_registro_de_recalculos_es_de_solo_agregado(supervisor):
    r = Recalculo.objects.create(tramite="regimen_21", anio=2026, mes=6, quejas=0, atenciones=1, via="tarea")
    r.atenciones = 2
    with pytest.raises(ValueError, match="solo agregado"):
        r.save()
    with pytest.raises(ValueError, match="solo agregado"):
        r.delete()
