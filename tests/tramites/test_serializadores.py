"""The shared output fields render exactly what DRF's stock fields render (they exist only for speed)."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework import serializers

from mesa_servicios.api.serializers import TicketOutput
from mesa_servicios.models import Ticket
from senae_portal.api.serializers import FechaHora, NombreDeOpcion, OpcionCalculada
from tests.factories import OperadorFactory
from tramites.api.serializers import NotificacionOutput, OperadorOutput
from tramites.models import Notificacion, Operador

pytestmark = pytest.mark.django_db


def test_nombre_de_opcion_es_el_nombre_legible_del_estado():
    operador = OperadorFactory(estado=Operador.Estado.SUSPENDIDO)
    datos = OperadorOutput(operador).data
    assert datos["estado"] == "suspendido"
    assert datos["estado_nombre"] == operador.get_estado_display() == str(Operador.Estado.SUSPENDIDO.label)
    stock = serializers.CharField(source="get_estado_display", read_only=True)
    stock.bind("estado_nombre", serializers.Serializer())
    assert NombreDeOpcion().to_representation(operador) == stock.to_representation(stock.get_attribute(operador))


def test_fecha_hora_en_hora_de_ecuador_igual_que_drf(usuario_operador):
    instante = dt.datetime(2026, 11, 23, 15, 30, 5, 120000, tzinfo=dt.UTC)
    assert FechaHora().to_representation(instante) == serializers.DateTimeField().to_representation(instante)
    assert FechaHora().to_representation(instante) == "2026-11-23T10:30:05.120000-05:00"
    notificacion = Notificacion.objects.create(usuario=usuario_operador, asunto="a", mensaje="m")
    Notificacion.objects.filter(pk=notificacion.pk).update(creada_en=instante)
    notificacion.refresh_from_db()
    assert isinstance(NotificacionOutput().fields["creada_en"], FechaHora)  # model date-times map to it
    assert NotificacionOutput(notificacion).data["creada_en"] == "2026-11-23T10:30:05.120000-05:00"
    assert timezone.get_current_timezone_name() == "America/Guayaquil"


@pytest.mark.parametrize("situacion", list(Ticket.SITUACIONES_SLA))
def test_opcion_calculada_igual_que_choicefield_sobre_el_metodo(situacion):
    ticket = Ticket(sla_desde=None, sla_cumplido=None)
    ticket.sla_situacion = lambda ahora=None: situacion  # a method with an optional argument, as the model's
    opciones = list(Ticket.SITUACIONES_SLA.items())
    stock = serializers.ChoiceField(choices=opciones, read_only=True)  # the source defaults to the field's name
    stock.bind("sla_situacion", serializers.Serializer())
    nuestro = OpcionCalculada("sla_situacion", choices=opciones)
    nuestro.bind("sla_situacion", serializers.Serializer())
    assert nuestro.to_representation(nuestro.get_attribute(ticket)) == stock.to_representation(stock.get_attribute(ticket))
    assert nuestro.to_representation(ticket) == situacion
    assert isinstance(TicketOutput().fields["sla_situacion"], OpcionCalculada)
