"""Régimen 21 terms on the district's holiday calendar (ADR 0012): the guarantee's challenge and enforcement
days follow the operator's district; a transfer's acceptance term follows the transferee's district."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from perfeccionamiento.models import AnexoCompensatorio
from perfeccionamiento.services.anexos import anexo_registrar
from perfeccionamiento.services.garantias import garantia_transicionar
from tests.factories import UsuarioOperadorFactory
from tramites.calendario import sumar_dias_habiles
from tramites.models import Distrito, Feriado

from .factories import CodigoInsumoFactory, GarantiaFactory, SolicitudFactory

pytestmark = pytest.mark.django_db


def feriado_local(distrito, fecha):
    return Feriado.objects.create(fecha=fecha, nombre="Fundación de Guayaquil", distrito=distrito, origen="local")


@pytest.fixture
def guayaquil(escenario):
    return Distrito.objects.get(codigo="028")


def test_impugnacion_y_efectivizacion_con_el_calendario_del_distrito_del_operador(escenario, senae, guayaquil):
    operador = escenario.oce.operador
    operador.distrito = guayaquil
    operador.save(update_fields=["distrito"])
    # Guayaquil's foundation (25 July 2027, a Sunday) rested on Monday 26 July in that district only.
    feriado_local(guayaquil, date(2027, 7, 26))
    otro = GarantiaFactory(autorizacion=SolicitudFactory(aprobada=True))  # an operator without a district
    for g in (escenario.garantia, otro):
        garantia_transicionar(
            garantia_id=g.pk, accion="notificar_cobro", por=senae, comentario="Saldos vencidos", oficio="OF-1",
            notificado_el=date(2027, 7, 22),
        )  # fmt: skip
        g.refresh_from_db()
    # Thu 22/07/2027 + 20 business days, with Mon 9 Aug rested for Tue 10 Aug: Fri 20 Aug nationally;
    # one more business day (Mon 23 Aug) in Guayaquil, where Mon 26 July is rested.
    assert otro.impugnable_hasta == date(2027, 8, 20)
    assert escenario.garantia.impugnable_hasta == date(2027, 8, 23)
    assert escenario.garantia.efectivizable_desde == sumar_dias_habiles(otro.efectivizable_desde, 1)


def test_plazo_de_aceptacion_de_la_cesion_con_el_distrito_del_cesionario(con_saldos, guayaquil, settings):
    esc = con_saldos
    cesionario = UsuarioOperadorFactory()
    cesionario.operador.distrito = guayaquil
    cesionario.operador.save(update_fields=["distrito"])
    aut = SolicitudFactory(operador=cesionario.operador, aprobada=True)
    GarantiaFactory(autorizacion=aut, monto=Decimal("50000.00"))
    CodigoInsumoFactory(operador=cesionario.operador, codigo="TEJIDO-A", subpartida="5208120000", unidad="m")
    hoy = timezone.localdate()
    nacional = sumar_dias_habiles(hoy, settings.ANEXO_CESION_DIAS_ACEPTACION)
    feriado_local(guayaquil, sumar_dias_habiles(hoy, 1))  # the first business day of the term, only in Guayaquil
    anexo = anexo_registrar(
        operador=esc.oce.operador, por=esc.oce, tipo="cesion", fecha=hoy, cesionario=cesionario.operador,
        lineas=[{"insumo": "TELA-01", "cantidad": "300"}],
    )  # fmt: skip
    assert anexo.estado == AnexoCompensatorio.Estado.PENDIENTE_ACEPTACION
    assert anexo.aceptar_hasta == sumar_dias_habiles(nacional, 1) > nacional
    assert anexo.aceptar_hasta - nacional <= timedelta(days=4)
