"""SLA clock in business hours (Monday–Friday 08h00–17h00, Ecuador's holidays), paused while waiting for the
user, and warnings to supervisors exactly once per ticket and threshold."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from mesa_servicios.models import AvisoSla, ObjetivoSla, Ticket
from mesa_servicios.services import sla, tickets
from tramites.models import Notificacion

from .conftest import datos_incidente

pytestmark = pytest.mark.django_db
GYE = ZoneInfo("America/Guayaquil")
VIERNES_30_OCT = datetime(2026, 10, 30, 16, 0, tzinfo=GYE)  # 2 and 3 November 2026 are holidays


def test_plazo_en_horas_habiles_a_traves_de_un_feriado(usuario):
    t = tickets.ticket_registrar(solicitante=usuario, ahora=VIERNES_30_OCT, **datos_incidente(ocurrido_en=VIERNES_30_OCT))
    # 8 h: 1 h on Friday; Saturday, Sunday and the holidays Monday 2 and Tuesday 3 do not count; 7 h on Wednesday 4.
    assert t.sla_vence_en == datetime(2026, 11, 4, 15, 0, tzinfo=GYE)
    assert t.sla_aviso_en == datetime(2026, 11, 4, 13, 0, tzinfo=GYE)  # 75 % = 6 h
    assert t.sla_consumido(datetime(2026, 11, 3, 12, 0, tzinfo=GYE)) == 3600
    assert t.sla_situacion(datetime(2026, 11, 4, 14, 0, tzinfo=GYE)) == "en_riesgo"
    assert t.sla_situacion(datetime(2026, 11, 4, 15, 0, tzinfo=GYE)) == "vencido"


def test_objetivo_por_tipo_se_configura(usuario):
    ObjetivoSla.objects.filter(tipo="incidente").update(horas_habiles=2, porcentaje_aviso=50)
    t = tickets.ticket_registrar(solicitante=usuario, ahora=VIERNES_30_OCT, **datos_incidente(ocurrido_en=VIERNES_30_OCT))
    assert (t.sla_horas, t.sla_vence_en) == (2, datetime(2026, 11, 4, 9, 0, tzinfo=GYE))
    assert t.sla_aviso_en == datetime(2026, 10, 30, 17, 0, tzinfo=GYE)


def test_reloj_se_pausa_esperando_al_usuario(usuario, analista):
    t = tickets.ticket_registrar(solicitante=usuario, ahora=VIERNES_30_OCT, **datos_incidente(ocurrido_en=VIERNES_30_OCT))
    tickets.ticket_tomar(ticket_id=t.pk, por=analista)
    # Wednesday 4 at 10h00 the analyst asks for data: 3 h consumed (1 on Friday + 2 on Wednesday).
    t = tickets.ticket_solicitar_informacion(
        ticket_id=t.pk, por=analista, mensaje="Envíe la captura.", ahora=datetime(2026, 11, 4, 10, 0, tzinfo=GYE)
    )
    assert (t.sla_consumido_seg, t.sla_vence_en, t.sla_situacion()) == (3 * 3600, None, "pausado")
    # The user answers Monday 9 at 08h00: the remaining 5 h run from then.
    tickets.ticket_agregar_mensaje(
        ticket_id=t.pk, autor=usuario, texto="Aquí está.", ahora=datetime(2026, 11, 9, 8, 0, tzinfo=GYE)
    )
    t.refresh_from_db()
    assert t.sla_vence_en == datetime(2026, 11, 9, 13, 0, tzinfo=GYE)
    t = tickets.ticket_responder(ticket_id=t.pk, por=analista, respuesta="Listo.", ahora=datetime(2026, 11, 9, 12, 0, tzinfo=GYE))
    assert (t.sla_consumido_seg, t.sla_cumplido, t.sla_vence_en) == (7 * 3600, True, None)
    assert t.sla_situacion() == "cumplido"


def test_avisos_una_sola_vez_por_umbral(usuario, analista, supervisor):
    t = tickets.ticket_registrar(solicitante=usuario, ahora=VIERNES_30_OCT, **datos_incidente(ocurrido_en=VIERNES_30_OCT))
    tickets.ticket_asignar(ticket_id=t.pk, por=analista, analista=analista)
    antes = datetime(2026, 11, 4, 12, 59, tzinfo=GYE)
    assert sla.sla_verificar(ahora=antes) == 0
    riesgo = datetime(2026, 11, 4, 13, 30, tzinfo=GYE)
    assert sla.sla_verificar(ahora=riesgo) == 1
    assert sla.sla_verificar(ahora=riesgo) == 0  # re-run: nothing new
    aviso = Notificacion.objects.get(usuario=supervisor)
    assert t.numero in aviso.mensaje and "en riesgo" in aviso.mensaje
    assert Notificacion.objects.filter(usuario=analista, asunto__startswith="Mesa de Servicios:").count() == 1
    vencido = datetime(2026, 11, 4, 15, 30, tzinfo=GYE)
    assert sla.sla_verificar(ahora=vencido) == 1
    assert sla.sla_verificar(ahora=vencido) == 0
    assert list(AvisoSla.objects.filter(ticket=t).order_by("umbral").values_list("umbral", flat=True)) == ["riesgo", "vencido"]
    assert Notificacion.objects.filter(usuario=supervisor).count() == 2


def test_sin_aviso_si_ya_respondio_o_es_duplicado(usuario, analista):
    t = tickets.ticket_registrar(solicitante=usuario, ahora=VIERNES_30_OCT, **datos_incidente(ocurrido_en=VIERNES_30_OCT))
    dup = tickets.ticket_registrar(solicitante=usuario, ahora=VIERNES_30_OCT, **datos_incidente(ocurrido_en=VIERNES_30_OCT))
    tickets.ticket_tomar(ticket_id=t.pk, por=analista)
    tickets.ticket_vincular(ticket_id=dup.pk, por=analista, padre_numero=t.numero)
    tickets.ticket_responder(ticket_id=t.pk, por=analista, respuesta="Listo.", ahora=datetime(2026, 11, 4, 9, 0, tzinfo=GYE))
    assert sla.sla_verificar(ahora=datetime(2026, 11, 20, 9, 0, tzinfo=GYE)) == 0
    assert Ticket.objects.get(pk=dup.pk).sla_cumplido is True
