"""The benchmark seeding (bench/sembrar.py) at a tiny scale: what it writes satisfies the models' rules, and the
services keep working on it (numbering continues, a DAI transmits, a ticket is filed, an anexo simulates)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from bench import sembrar
from mesa_servicios.models import Motivo, Ticket
from mesa_servicios.services.tickets import ticket_registrar
from perfeccionamiento.models import DAI, CodigoInsumo, Garantia, MovimientoInsumo, SaldoInsumo, SolicitudAutorizacion
from perfeccionamiento.services.dai import dai_crear
from perfeccionamiento.services.descargo import simular
from tramites.models import Distrito, Transicion, Usuario

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _una(sql: str):
    with connection.cursor() as c:
        c.execute(sql)
        return c.fetchone()[0]


@pytest.fixture
def sembrada():
    if connection.vendor != "postgresql":
        pytest.skip("la siembra usa SQL de PostgreSQL")
    return sembrar.sembrar(sembrar.Volumenes(operadores=4, lineas=160, movimientos=400, tickets=300), informar=lambda _: None)


def test_volumenes_y_kardex_consistente(sembrada):
    assert (DAI.objects.count(), SaldoInsumo.objects.count(), MovimientoInsumo.objects.count()) == (40, 160, 400)
    assert Ticket.objects.count() == 300
    # every lot's balance is the sum of its movements, and each movement's result its running sum
    assert not _una(
        "SELECT count(*) FROM perfeccionamiento_saldoinsumo s WHERE s.saldo <> "
        "(SELECT sum(cantidad) FROM perfeccionamiento_movimientoinsumo m WHERE m.saldo_id = s.id)"
    )
    assert not _una(
        "SELECT count(*) FROM (SELECT saldo_resultante, sum(cantidad) OVER (PARTITION BY saldo_id ORDER BY en, id) AS s "
        "FROM perfeccionamiento_movimientoinsumo) x WHERE saldo_resultante <> s"
    )
    compensadas = DAI.objects.filter(estado=DAI.Estado.COMPENSADA)
    assert compensadas.exists() and not SaldoInsumo.objects.filter(linea__dai__in=compensadas, saldo__gt=0).exists()
    assert not SaldoInsumo.objects.exclude(
        linea__dai__estado__in=["salida_autorizada", "vencida_con_saldo", "compensada"]
    ).exists()
    assert not MovimientoInsumo.objects.filter(en__gt=timezone.now()).exists()
    dai = compensadas.first()
    assert [t.transicion for t in Transicion.objects.de(dai)] == [
        "transmitir", "autorizar_salida_automatica", "cerrar_compensada",
    ]  # fmt: skip
    cerrado = Ticket.objects.filter(estado=Ticket.Estado.CERRADO).first()
    assert [t.transicion for t in Transicion.objects.de(cerrado)] == ["registrar", "tomar", "responder", "aceptar"]
    assert cerrado.seguimientos.filter(tipo="respuesta").count() == 1


def test_los_servicios_siguen_sobre_lo_sembrado(sembrada, settings):
    agente, oce = Usuario.objects.get(username="agente-1"), Usuario.objects.get(username="oce-1")
    insumo = CodigoInsumo.objects.filter(operador=oce.operador).order_by("codigo").first()
    ultimo = DAI.objects.filter(distrito__codigo="028").order_by("-numero").values_list("numero", flat=True).first()
    dai = dai_crear(
        operador=oce.operador, por=agente, distrito=Distrito.objects.get(codigo="028"),
        autorizacion=SolicitudAutorizacion.objects.get(operador=oce.operador),
        garantia=Garantia.objects.get(operador=oce.operador), documento_transporte="BL-1",
        lineas=[{"insumo": insumo.codigo, "subpartida": insumo.subpartida, "pais_origen": "CN", "cantidad": "10",
                 "unidad": insumo.unidad, "fob": "100"}],
    )  # fmt: skip
    assert dai.estado == DAI.Estado.SALIDA_AUTORIZADA and dai.numero > ultimo
    ticket = ticket_registrar(
        tipo="consulta", solicitante=Usuario.objects.get(username="ciudadano-1"), asunto="Horario",
        motivo=Motivo.objects.get(codigo="otros"), descripcion="¿Cuál es el horario de atención telefónica?",
    )  # fmt: skip
    assert ticket.numero == f"MDS-{timezone.localdate().year}-" + str(
        Ticket.objects.filter(numero__startswith=f"MDS-{timezone.localdate().year}-").count()
    ).zfill(6)
    plan = simular(operador=oce.operador, tipo="exportacion", fecha=timezone.localdate(),
                   lineas=[{"producto": "PRD-001", "cantidad": "1"}])  # fmt: skip
    assert plan.valido and sum(t.cantidad for t in plan.tramos) == Decimal("4.000000")


def test_solo_en_bases_de_benchmarks(monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "NAME", "senae_portal")
    with pytest.raises(sembrar.BaseNoPermitida):
        sembrar.exigir_base_de_bench()
