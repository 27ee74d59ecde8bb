"""The desk's automatic close and SLA clock count the business days and hours of the ticket's district
(its local holidays too; ADR 0012); a ticket without a district follows the national calendar."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from mesa_servicios.services import tickets
from mesa_servicios.services.tickets import cierre_automatico_desde
from tramites.models import Distrito, Feriado

from .conftest import datos_consulta

pytestmark = pytest.mark.django_db
GYE = ZoneInfo("America/Guayaquil")


@pytest.fixture
def fundacion_de_guayaquil(db):
    # 25 July 2027 is a Sunday: rested on Monday 26 July in the Guayaquil district only.
    distrito = Distrito.objects.get(codigo="028")
    Feriado.objects.create(fecha=date(2027, 7, 26), nombre="Fundación de Guayaquil", distrito=distrito, origen="local")
    return distrito


def test_cierre_automatico_con_el_feriado_del_distrito_del_ticket(incidente, analista, fundacion_de_guayaquil, settings):
    settings.MESA_DIAS_CIERRE_AUTOMATICO = 5
    ahora = datetime(2027, 7, 22, 10, 0, tzinfo=GYE)  # Thursday
    assert incidente.distrito == fundacion_de_guayaquil
    tickets.ticket_tomar(ticket_id=incidente.pk, por=analista)
    t = tickets.ticket_solicitar_informacion(ticket_id=incidente.pk, por=analista, mensaje="¿Qué navegador usa?", ahora=ahora)
    # 23, 27, 28, 29, 30 July in Guayaquil (Mon 26 rested); 23, 26, 27, 28, 29 July nationally.
    assert t.cierre_automatico_en == datetime(2027, 7, 30, 10, 0, tzinfo=GYE)
    assert cierre_automatico_desde(ahora) == datetime(2027, 7, 29, 10, 0, tzinfo=GYE)


def test_reloj_del_sla_con_el_feriado_del_distrito(incidente, usuario, fundacion_de_guayaquil):
    consulta = tickets.ticket_registrar(solicitante=usuario, **datos_consulta())
    assert consulta.distrito is None
    viernes = datetime(2027, 7, 23, 16, 0, tzinfo=GYE)
    for t in (incidente, consulta):
        t.sla_consumido_seg = t.sla_segundos_objetivo - 2 * 3600  # two business hours left
        t.sla_iniciar(viernes)
    # Fri 16h00 + 2 h: 1 h on Friday, 1 h on the next business day.
    assert incidente.sla_vence_en == datetime(2027, 7, 27, 9, 0, tzinfo=GYE)
    assert consulta.sla_vence_en == datetime(2027, 7, 26, 9, 0, tzinfo=GYE)
    martes = datetime(2027, 7, 27, 9, 0, tzinfo=GYE)
    assert incidente.sla_consumido(martes) - incidente.sla_consumido_seg == 2 * 3600
    assert consulta.sla_consumido(martes) - consulta.sla_consumido_seg == (1 + 9 + 1) * 3600
