"""What each trámite counts, on known records, in ONE query per trámite and month range (America/Guayaquil)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from transparencia import registro
from transparencia.fuentes import APP_REGIMEN_21, ATENCIONES_REGIMEN_21

pytestmark = pytest.mark.django_db
GYE = ZoneInfo("America/Guayaquil")


def _contar(codigo, desde, hasta):
    with CaptureQueriesContext(connection) as consultas:
        resultado = registro.obtener(codigo).contar(desde, hasta)
    assert len(consultas) == 1, [c["sql"] for c in consultas]
    return resultado


def test_mesa_quejas_por_tramite_y_atenciones_por_primera_respuesta(queja, atendido):
    queja("mesa_servicios", datetime(2026, 5, 4, 10, 0, tzinfo=GYE))
    queja("mesa_servicios", datetime(2026, 5, 31, 23, 30, tzinfo=GYE))  # June 1st in UTC: still May in Guayaquil
    queja("mesa_servicios", datetime(2026, 7, 1, 0, 10, tzinfo=GYE))
    queja("regimen_21", datetime(2026, 5, 6, 9, 0, tzinfo=GYE))  # about another trámite
    queja("otro", datetime(2026, 5, 6, 9, 0, tzinfo=GYE))
    atendido("incidente", datetime(2026, 5, 12, 11, 0, tzinfo=GYE))
    atendido("consulta", datetime(2026, 5, 13, 11, 0, tzinfo=GYE))
    atendido("consulta", datetime(2026, 6, 30, 23, 0, tzinfo=GYE))  # July in UTC
    atendido("consulta", datetime(2026, 8, 3, 9, 0, tzinfo=GYE))  # outside the range
    assert _contar("mesa_servicios", (2026, 5), (2026, 7)) == {(2026, 5): (2, 2), (2026, 6): (0, 1), (2026, 7): (1, 0)}
    assert _contar("mesa_servicios", (2026, 6), (2026, 6)) == {(2026, 6): (0, 1)}
    assert _contar("mesa_servicios", (2020, 1), (2020, 12)) == {}


def test_mesa_una_queja_respondida_no_es_una_atencion(queja, analista):
    from mesa_servicios.services import tickets

    q = queja("mesa_servicios", datetime(2026, 5, 4, 10, 0, tzinfo=GYE))
    tickets.ticket_tomar(ticket_id=q.pk, por=analista)
    tickets.ticket_responder(ticket_id=q.pk, por=analista, respuesta="Revisado.", ahora=datetime(2026, 5, 5, 9, tzinfo=GYE))
    assert _contar("mesa_servicios", (2026, 5), (2026, 5)) == {(2026, 5): (1, 0)}


def test_regimen_21_atenciones_son_las_transiciones_declaradas(transicion, queja):
    mayo = datetime(2026, 5, 20, 10, 0, tzinfo=GYE)
    for modelo, nombres in ATENCIONES_REGIMEN_21.items():
        for nombre in nombres:
            transicion(modelo, nombre, mayo)  # 17 attention transitions
    transicion("solicitudautorizacion", "presentar", mayo)  # the operator's own step: not an attention
    transicion("garantia", "notificar_cobro", mayo)  # not in the declared set
    transicion("dai", "aprobar", mayo)  # a name declared for another model only
    transicion("ticket", "responder", mayo, app="mesa_servicios")  # another app
    transicion("garantia", "aprobar", datetime(2026, 6, 1, 0, 5, tzinfo=GYE))
    transicion("garantia", "aprobar", datetime(2026, 4, 30, 23, 55, tzinfo=GYE))  # April (May 1st in UTC)
    queja("regimen_21", mayo)
    queja("mesa_servicios", mayo)
    total = sum(len(n) for n in ATENCIONES_REGIMEN_21.values())
    assert total == 17
    assert _contar("regimen_21", (2026, 4), (2026, 6)) == {(2026, 4): (0, 1), (2026, 5): (1, total), (2026, 6): (0, 1)}


def test_regimen_21_un_modelo_que_aun_no_existe_cuenta_desde_que_aparece(transicion, monkeypatch):
    """A declared model without a content type yet (not built, or not migrated) matches nothing; once its
    content type exists (created by migrate) and it logs transitions, they count. No code change needed."""
    monkeypatch.setitem(ATENCIONES_REGIMEN_21, "modelofuturo", ("resolver",))
    julio = datetime(2026, 7, 15, 12, 0, tzinfo=GYE)
    assert not apps.all_models[APP_REGIMEN_21].get("modelofuturo")
    assert _contar("regimen_21", (2026, 7), (2026, 7)) == {}
    transicion("modelofuturo", "resolver", julio)  # its content type appears with the model's migration
    assert _contar("regimen_21", (2026, 7), (2026, 7)) == {(2026, 7): (0, 1)}


def test_las_transiciones_declaradas_existen_en_los_modelos_que_ya_existen():
    """If régimen 21 renames a transition that attends a procedure, update transparencia/fuentes.py."""
    from django_fsm import FSMField

    existentes = 0
    for modelo, nombres in ATENCIONES_REGIMEN_21.items():
        try:
            clase = apps.get_model(APP_REGIMEN_21, modelo)
        except LookupError:
            continue  # not built yet: counted when it appears
        existentes += 1
        campo = next(f for f in clase._meta.fields if isinstance(f, FSMField))
        transiciones = {t.name for t in campo.get_all_transitions(clase)}
        assert set(nombres) <= transiciones, f"{modelo}: {set(nombres) - transiciones} no son transiciones del modelo"
    assert existentes >= 7


def test_registro_de_fuentes():
    assert [f.codigo for f in registro.todas()] == ["regimen_21", "mesa_servicios"]
    assert dict(registro.opciones())["mesa_servicios"] == "Mesa de Servicios"
    for fuente in registro.todas():
        assert fuente.definicion_queja and fuente.definicion_atencion and fuente.nombre
    with pytest.raises(registro.TramiteDesconocido):
        registro.obtener("perfeccionamiento_activo")


def test_aritmetica_de_meses():
    assert registro.siguiente((2025, 12)) == (2026, 1)
    assert registro.anterior((2026, 1)) == (2025, 12)
    assert list(registro.meses((2025, 11), (2026, 2))) == [(2025, 11), (2025, 12), (2026, 1), (2026, 2)]
    assert list(registro.meses((2026, 2), (2026, 1))) == []
    assert registro.inicio_de_mes((2026, 3)).isoformat() == "2026-03-01T00:00:00-05:00"
    assert registro.nombre_mes((2025, 3)) == "marzo de 2025"
