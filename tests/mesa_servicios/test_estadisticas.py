"""The two monthly figures the transparency statistics read: quejas per trámite and atenciones of the desk."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mesa_servicios import selectors
from mesa_servicios.services import tickets

from .conftest import datos_consulta, datos_incidente

pytestmark = pytest.mark.django_db
GYE = ZoneInfo("America/Guayaquil")


def _queja(usuario, tramite):
    return tickets.ticket_registrar(
        solicitante=usuario, tipo="queja", tramite=tramite, asunto="Demora", descripcion="Sin respuesta desde hace un mes."
    )


def test_quejas_del_mes_por_tramite(usuario):
    _queja(usuario, "regimen_21")
    _queja(usuario, "regimen_21")
    _queja(usuario, "mesa_servicios")
    hoy = datetime.now(GYE)
    assert selectors.volumen_quejas(tramite="regimen_21", anio=hoy.year, mes=hoy.month) == 2
    assert selectors.volumen_quejas(tramite="mesa_servicios", anio=hoy.year, mes=hoy.month) == 1
    with CaptureQueriesContext(connection) as ctx:
        selectors.volumen_quejas(tramite="otro", anio=hoy.year, mes=hoy.month)
    assert len(ctx) == 1


def test_atenciones_por_mes_de_primera_respuesta(usuario, analista, mesa):
    fin_de_octubre = datetime(2026, 10, 30, 16, 30, tzinfo=GYE)
    inc = tickets.ticket_registrar(solicitante=usuario, ahora=fin_de_octubre, **datos_incidente(ocurrido_en=fin_de_octubre))
    tickets.ticket_tomar(ticket_id=inc.pk, por=analista)
    tickets.ticket_responder(ticket_id=inc.pk, por=analista, respuesta="Listo.", ahora=datetime(2026, 11, 4, 9, 0, tzinfo=GYE))
    con = tickets.ticket_registrar(solicitante=usuario, **datos_consulta())
    tickets.ticket_tomar(ticket_id=con.pk, por=mesa)
    tickets.ticket_responder(ticket_id=con.pk, por=mesa, respuesta="Así.", ahora=datetime(2026, 10, 31, 23, 30, tzinfo=GYE))
    queja = _queja(usuario, "regimen_21")
    tickets.ticket_tomar(ticket_id=queja.pk, por=mesa)
    tickets.ticket_responder(ticket_id=queja.pk, por=mesa, respuesta="Revisado.", ahora=datetime(2026, 11, 5, 9, 0, tzinfo=GYE))
    # October 31st 23h30 in Guayaquil is November 1st in UTC: it still counts for October.
    assert selectors.volumen_atenciones(anio=2026, mes=10) == 1
    assert selectors.volumen_atenciones(anio=2026, mes=11) == 1  # the complaint is not an "atención"
