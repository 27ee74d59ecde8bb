"""Expiry alerts and expiry: thresholds, exactly once per record and threshold (re-runs, concurrent runs),
who is told, proof of delivery, expiry transitions, the officials' queue and the operator's widget."""

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from perfeccionamiento.models import DAI, AlertaVencimiento, EntregaAlerta, Garantia, SaldoInsumo, SolicitudAutorizacion
from perfeccionamiento.services.dai import dai_crear
from perfeccionamiento.services.vencimientos import alertar_vencimientos, vencer_registros
from tests.factories import DelegacionFactory, UsuarioAgenteFactory, UsuarioOperadorFactory
from tramites.models import Notificacion, Transicion

pytestmark = pytest.mark.django_db


def hoy():
    return timezone.localdate()


@pytest.fixture
def dai(escenario):
    """A released DAI of the scenario (fabric and buttons), whose term we move around."""
    return dai_crear(
        por=escenario.agente, lineas=[escenario.linea(), escenario.linea(escenario.boton, cantidad="100")], **escenario.cabecera()
    )


def vence_en(dai, dias):
    SaldoInsumo.objects.filter(linea__dai=dai).update(vence_el=hoy() + timedelta(days=dias))
    DAI.objects.filter(pk=dai.pk).update(vence_el=hoy() + timedelta(days=dias))


def test_alerta_por_umbral_una_sola_vez(escenario, dai, django_capture_on_commit_callbacks):
    vence_en(dai, 45)
    with django_capture_on_commit_callbacks(execute=True):
        assert alertar_vencimientos()["saldos"] == 1  # one per DAI (its two items together), threshold 60
    alerta = AlertaVencimiento.objects.get(tipo="saldo")
    assert (alerta.umbral_dias, alerta.object_id, alerta.operador_id) == (60, dai.pk, escenario.oce.operador_id)
    assert f"La DAI {dai.numero} vence en 45 días" in alerta.asunto and f"USD {dai.total_suspendido:,.2f}" in alerta.mensaje
    # the operator's user and its agency's user, in the portal and by e-mail, with proof of delivery
    destinatarios = set(EntregaAlerta.objects.filter(alerta=alerta).values_list("usuario__username", flat=True))
    assert destinatarios == {escenario.oce.username, escenario.agente.username}
    assert all(n.correo_enviado_en for n in Notificacion.objects.filter(pk__in=alerta.entregas.values("notificacion")))
    assert sorted(m.to[0] for m in mail.outbox if alerta.asunto in m.subject) == sorted(
        [escenario.oce.email, escenario.agente.email]
    )
    assert alertar_vencimientos()["saldos"] == 0  # re-run: nothing new
    vence_en(dai, 29)
    assert alertar_vencimientos()["saldos"] == 1  # next threshold (30) once
    vence_en(dai, 5)  # the job skipped 15 and 7: only the current threshold
    assert alertar_vencimientos()["saldos"] == 1
    assert sorted(AlertaVencimiento.objects.filter(tipo="saldo").values_list("umbral_dias", flat=True)) == [7, 30, 60]


def test_sin_saldo_o_fuera_del_horizonte_no_se_alerta(escenario, dai):
    vence_en(dai, 120)
    assert alertar_vencimientos()["saldos"] == 0
    vence_en(dai, 10)
    SaldoInsumo.objects.update(saldo=0)
    assert alertar_vencimientos()["saldos"] == 0


def test_umbrales_configurables(escenario, dai, settings):
    settings.ALERTAS_DIAS_ANTICIPACION = ["10", "3"]
    vence_en(dai, 45)
    assert alertar_vencimientos()["saldos"] == 0
    vence_en(dai, 8)
    alertar_vencimientos()
    assert AlertaVencimiento.objects.get().umbral_dias == 10


def test_solo_se_avisa_a_quien_corresponde(escenario, dai):
    otro_operador = UsuarioOperadorFactory()
    agencia_vencida = UsuarioAgenteFactory()
    DelegacionFactory(operador=escenario.oce.operador, agente=agencia_vencida.agente, hasta=hoy() - timedelta(days=1))
    DelegacionFactory(operador=otro_operador.operador, agente=UsuarioAgenteFactory().agente)
    vence_en(dai, 20)
    alertar_vencimientos()
    avisados = set(EntregaAlerta.objects.values_list("usuario", flat=True))
    assert avisados == {escenario.oce.pk, escenario.agente.pk}


def test_autorizacion_y_garantia_por_vencer(escenario):
    SolicitudAutorizacion.objects.filter(pk=escenario.autorizacion.pk).update(vigencia_hasta=hoy() + timedelta(days=14))
    Garantia.objects.filter(pk=escenario.garantia.pk).update(vigencia_hasta=hoy() + timedelta(days=1))
    resultado = alertar_vencimientos()
    assert (resultado["autorizaciones"], resultado["garantias"]) == (1, 1)
    a = AlertaVencimiento.objects.get(tipo="autorizacion")
    assert a.umbral_dias == 15 and "Puede solicitar su única prórroga" in a.mensaje
    g = AlertaVencimiento.objects.get(tipo="garantia")
    assert g.umbral_dias == 1 and "vence mañana" in g.asunto
    assert alertar_vencimientos() == {"saldos": 0, "autorizaciones": 0, "garantias": 0}


def test_garantia_excedida(escenario, dai):
    Garantia.objects.filter(pk=escenario.garantia.pk).update(monto=Decimal("1000.00"))  # below its exposure (~3,000)
    assert alertar_vencimientos()["garantias"] == 1
    alerta = AlertaVencimiento.objects.get(tipo="garantia_excedida")
    assert "no cubre sus tributos suspendidos" in alerta.asunto and "USD 1,000.00" in alerta.mensaje
    assert alertar_vencimientos()["garantias"] == 0


def test_lotes_pequenos_y_ejecuciones_repetidas(escenario, settings):
    """Many records in batches of 3: every DAI alerted exactly once, whatever the number of runs."""
    settings.ALERTAS_TAMANO_LOTE = 3
    dais = [
        dai_crear(por=escenario.agente, lineas=[escenario.linea(cantidad="10", fob="100")], **escenario.cabecera())
        for _ in range(10)
    ]
    for d in dais:
        vence_en(d, 25)
    assert alertar_vencimientos()["saldos"] == 10
    assert alertar_vencimientos()["saldos"] == 0
    assert AlertaVencimiento.objects.count() == 10
    assert EntregaAlerta.objects.count() == 20  # two recipients each, once


def test_vencimiento_de_registros(escenario, dai, senae):
    DAI.objects.filter(pk=dai.pk).update(vence_el=hoy() - timedelta(days=1))
    SolicitudAutorizacion.objects.filter(pk=escenario.autorizacion.pk).update(vigencia_hasta=hoy() - timedelta(days=1))
    Garantia.objects.filter(pk=escenario.garantia.pk).update(vigencia_hasta=hoy() - timedelta(days=1))
    assert vencer_registros() == {"autorizaciones": 1, "garantias": 1, "dai": 1}
    assert vencer_registros() == {"autorizaciones": 0, "garantias": 0, "dai": 0}
    dai.refresh_from_db()
    assert dai.estado == DAI.Estado.VENCIDA_CON_SALDO
    t = Transicion.objects.de(dai).last()
    assert (t.transicion, t.por) == ("vencer", None) and "con saldo por compensar" in t.comentario
    assert SolicitudAutorizacion.objects.get(pk=escenario.autorizacion.pk).estado == "vencida"
    assert Garantia.objects.get(pk=escenario.garantia.pk).estado == "vencida"


def test_cola_de_dai_vencidas_con_saldo_en_el_admin(client, escenario, dai, senae):
    DAI.objects.filter(pk=dai.pk).update(vence_el=hoy() - timedelta(days=1))
    vencer_registros()
    client.force_login(senae)
    html = client.get("/admin/perfeccionamiento/daivencidaconsaldo/").content.decode()
    assert dai.numero in html and f"{dai.total_suspendido:,.2f}" in html  # suspended taxes of the open balance: owed


def test_widget_de_vencimientos(client, escenario, dai):
    vence_en(dai, 12)
    client.force_login(escenario.oce)
    html = client.get("/panel/").content.decode()
    assert "Vencimientos del régimen 21" in html and "Compense primero" in html and dai.numero in html


def test_comando_ejecuta_las_tareas_sin_worker(escenario, dai):
    vence_en(dai, 3)
    call_command("ejecutar_tareas", "perfeccionamiento.alertar_vencimientos", stdout=StringIO())
    assert AlertaVencimiento.objects.filter(umbral_dias=7).exists()


def test_modificacion_que_ya_no_cubre_no_se_aprueba(escenario, dai, senae):
    from perfeccionamiento.services.garantias import garantia_transicionar
    from tramites.exceptions import DatosInvalidos

    nuevo = dai.total_suspendido + Decimal("100.00")  # covers today's exposure
    garantia_transicionar(garantia_id=escenario.garantia.pk, accion="solicitar_modificacion", por=escenario.oce, monto=nuevo)
    dai_crear(por=escenario.agente, lineas=[escenario.linea()], **escenario.cabecera())  # exposure grows meanwhile
    with pytest.raises(DatosInvalidos) as e:
        garantia_transicionar(garantia_id=escenario.garantia.pk, accion="aprobar_modificacion", por=senae)
    assert "ya no cubre los tributos" in e.value.errores["monto"][0]


def test_bandeja_del_funcionario_por_permisos(client, escenario, aforo, senae):
    from perfeccionamiento.models import ReglaCanal

    ReglaCanal.objects.create(nombre="Físico", prioridad=1, canal="fisico")
    dai_crear(por=escenario.agente, lineas=[escenario.linea()], **escenario.cabecera())
    SolicitudAutorizacion.objects.filter(pk=escenario.autorizacion.pk).update(estado="prorroga_solicitada")
    client.force_login(aforo)
    html = client.get("/panel/").content.decode()
    assert "DAI en aforo" in html and "/admin/perfeccionamiento/dai/?estado__in=en_aforo" in html
    assert "Prórrogas por resolver" not in html  # not an Aforo queue
    client.force_login(senae)
    html = client.get("/panel/").content.decode()
    assert "Prórrogas por resolver" in html
    assert client.get("/admin/perfeccionamiento/dai/?estado__in=en_aforo").status_code == 200


def test_miles_de_saldos_en_lotes_con_consultas_por_lote_constantes(escenario, dai, settings):
    """Thousands of lots (one DAI each, bulk-created): the job's queries grow with the number of batches, not
    with the number of records, and it never alerts twice."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from perfeccionamiento.models import LineaDAI

    settings.ALERTAS_TAMANO_LOTE = 250
    plantilla_dai, plantilla_linea = DAI.objects.get(pk=dai.pk), dai.lineas.get(numero=1)
    lote = SaldoInsumo.objects.get(linea=plantilla_linea)

    def crear(n: int, desde: int) -> None:
        dais = []
        for i in range(desde, desde + n):
            copia = DAI.objects.get(pk=plantilla_dai.pk)
            copia.pk, copia.numero = None, f"028-2026-21-9{i:07d}"
            dais.append(copia)
        dais = DAI.objects.bulk_create(dais)
        lineas = []
        for d in dais:
            linea = LineaDAI.objects.get(pk=plantilla_linea.pk)
            linea.pk, linea.dai = None, d
            lineas.append(linea)
        lineas = LineaDAI.objects.bulk_create(lineas)
        lotes = []
        for linea in lineas:
            copia = SaldoInsumo.objects.get(pk=lote.pk)
            copia.pk, copia.linea, copia.vence_el = None, linea, hoy() + timedelta(days=40)
            lotes.append(copia)
        SaldoInsumo.objects.bulk_create(lotes)

    def consultas_de_una_corrida() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as c:
            n = alertar_vencimientos()["saldos"]
        return n, len(c)

    SaldoInsumo.objects.filter(pk=lote.pk).update(vence_el=hoy() + timedelta(days=200))  # out of the horizon
    crear(1000, 0)
    n, con_4_lotes = consultas_de_una_corrida()
    assert n == 1000
    crear(2000, 1000)
    n, con_8_lotes = consultas_de_una_corrida()
    assert n == 2000
    # four more batches of 250 cost a handful of queries each, never one per record
    assert 4 <= con_8_lotes - con_4_lotes <= 4 * 10
    assert con_8_lotes < 120
    assert alertar_vencimientos()["saldos"] == 0
    assert AlertaVencimiento.objects.filter(tipo="saldo").count() == 3000
