"""Garantía: registration rules, every transition allowed and refused, modification, collection notice,
challenge within its term, enforcement from business day 60, expiry, concurrency."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from perfeccionamiento.exceptions import EfectivizacionPrematura, GarantiaVencida
from perfeccionamiento.models import Garantia, SolicitudAutorizacion
from perfeccionamiento.services.garantias import garantia_registrar, garantia_transicionar
from tests.factories import FuncionarioFactory, UsuarioOperadorFactory
from tramites.calendario import sumar_dias_habiles
from tramites.exceptions import DatosInvalidos, PermisoDenegado, TransicionNoPermitida
from tramites.fsm import verificar_transicion
from tramites.models import Adjunto

from .factories import GarantiaFactory, SolicitudFactory, pdf

pytestmark = pytest.mark.django_db
E = Garantia.Estado


def hoy():
    return timezone.localdate()


def registrar(usuario, autorizacion, **extra):
    datos = {
        "tipo": "general",
        "forma": "poliza",
        "entidad_emisora": "Seguros Equinoccial S.A.",
        "numero_documento": "PA-1",
        "monto": Decimal("50000.00"),
        "vigencia_desde": hoy() - timedelta(days=1),
        "vigencia_hasta": hoy() + timedelta(days=364),
        "archivos": [pdf("poliza.pdf")],
        **extra,
    }
    return garantia_registrar(operador=usuario.operador, por=usuario, autorizacion=autorizacion, **datos)


def paso(g, accion, por, comentario="", **datos):
    return garantia_transicionar(garantia_id=g.pk, accion=accion, por=por, comentario=comentario, **datos)


@pytest.fixture
def autorizacion(oce):
    return SolicitudFactory(operador=oce.operador, aprobada=True)


def test_registrar_y_aprobar(oce, senae, autorizacion):
    g = registrar(oce, autorizacion)
    assert (g.estado, g.numero) == (E.SOLICITADA, f"GAR21-{hoy().year}-000001")
    assert Adjunto.objects.filter(object_id=g.pk, content_type__model="garantia").count() == 1
    g = paso(g, "aprobar", senae)
    assert g.estado == E.APROBADA
    assert g.cubre_al(hoy())


def test_garantia_vencida_se_rechaza_con_mensaje_claro(oce, autorizacion):
    ayer = hoy() - timedelta(days=1)
    with pytest.raises(GarantiaVencida) as e:
        registrar(oce, autorizacion, vigencia_desde=ayer - timedelta(days=90), vigencia_hasta=ayer)
    assert (e.value.http_status, e.value.code, e.value.campo) == (409, "garantia_vencida", "vigencia_hasta")
    assert f"venció el {ayer:%d/%m/%Y}" in str(e.value)
    assert not Garantia.objects.exists()


@pytest.mark.parametrize(
    ("extra", "campo"),
    [
        ({"monto": Decimal("0")}, "__all__"),
        ({"tipo": "especifica", "operacion": ""}, "__all__"),
        ({"archivos": []}, "adjuntos"),
        ({"vigencia_hasta": hoy() - timedelta(days=5), "vigencia_desde": hoy()}, "vigencia_hasta"),
    ],
)
def test_datos_invalidos(oce, autorizacion, extra, campo):
    with pytest.raises((DatosInvalidos, GarantiaVencida)) as e:
        registrar(oce, autorizacion, **extra)
    errores = getattr(e.value, "errores", {e.value.campo: [str(e.value)]})
    assert campo in errores
    assert not Garantia.objects.exists()


def test_autorizacion_ajena_o_rechazada(oce):
    with pytest.raises(DatosInvalidos) as e:
        registrar(oce, SolicitudFactory(aprobada=True))
    assert e.value.errores["autorizacion"] == ["La autorización no es de este operador."]
    rechazada = SolicitudFactory(operador=oce.operador, estado=SolicitudAutorizacion.Estado.RECHAZADA, numero="SOL21-X")
    with pytest.raises(DatosInvalidos) as e:
        registrar(oce, rechazada)
    assert "no admite garantías" in e.value.errores["autorizacion"][0]


def test_aprobar_una_garantia_que_vencio_mientras_esperaba(oce, senae, autorizacion):
    g = registrar(oce, autorizacion)
    Garantia.objects.filter(pk=g.pk).update(vigencia_desde=hoy() - timedelta(days=30), vigencia_hasta=hoy() - timedelta(days=1))
    with pytest.raises(GarantiaVencida):
        paso(g, "aprobar", senae)
    g.refresh_from_db()
    assert g.estado == E.SOLICITADA


LADO_OPERADOR = {"anular", "solicitar_modificacion", "impugnar"}
PERMITIDAS = {
    E.SOLICITADA: {"aprobar", "rechazar", "anular"},
    E.APROBADA: {"solicitar_modificacion", "notificar_cobro", "liberar", "vencer"},
    E.MODIFICACION_SOLICITADA: {"aprobar_modificacion", "rechazar_modificacion", "notificar_cobro", "vencer"},
    E.NOTIFICADA_COBRO: {"impugnar", "efectivizar"},
    E.IMPUGNADA: {"aceptar_impugnacion", "rechazar_impugnacion"},
    E.VENCIDA: {"notificar_cobro"},
    E.RECHAZADA: set(),
    E.EFECTIVIZADA: set(),
    E.LIBERADA: set(),
    E.ANULADA: set(),
}
ACCIONES = sorted(set().union(*PERMITIDAS.values()))


@pytest.mark.parametrize("estado", list(PERMITIDAS))
def test_tabla_de_transiciones(estado, oce, senae, autorizacion):
    g = GarantiaFactory(
        autorizacion=autorizacion,
        estado=estado,
        vigencia_desde=hoy() - timedelta(days=100),
        vigencia_hasta=hoy() - timedelta(days=1),
        impugnable_hasta=hoy() + timedelta(days=5),
    )
    for accion in ACCIONES:
        por = None if accion == "vencer" else oce if accion in LADO_OPERADOR else senae
        if accion in PERMITIDAS[estado]:
            verificar_transicion(g, accion, por=por, comentario="motivo")
        else:
            with pytest.raises(TransicionNoPermitida):
                verificar_transicion(g, accion, por=por, comentario="motivo")


def test_modificacion_de_monto_y_fecha(oce, senae, autorizacion):
    g = GarantiaFactory(autorizacion=autorizacion)
    with pytest.raises(DatosInvalidos) as e:
        paso(g, "solicitar_modificacion", oce, monto=g.monto, vigencia_hasta=g.vigencia_hasta)
    assert "distintos de los actuales" in e.value.errores["monto"][0]
    with pytest.raises(DatosInvalidos):
        paso(g, "solicitar_modificacion", oce, monto=Decimal("-1"))
    nueva = g.vigencia_hasta + timedelta(days=180)
    g = paso(g, "solicitar_modificacion", oce, monto=Decimal("150000.00"), vigencia_hasta=nueva)
    assert (g.estado, g.monto, g.monto_propuesto) == (E.MODIFICACION_SOLICITADA, Decimal("100000.00"), Decimal("150000.00"))
    assert g.cubre_al(hoy())  # keeps covering with its current data while SENAE reviews
    g = paso(g, "aprobar_modificacion", senae)
    assert (g.estado, g.monto, g.vigencia_hasta, g.monto_propuesto) == (E.APROBADA, Decimal("150000.00"), nueva, None)
    paso(g, "solicitar_modificacion", oce, monto=Decimal("1.00"))
    g = paso(g, "rechazar_modificacion", senae, "Monto insuficiente para sus DAI abiertas.")
    assert (g.monto, g.monto_propuesto) == (Decimal("150000.00"), None)


def test_notificacion_al_cobro_impugnacion_y_efectivizacion(oce, senae, autorizacion):
    g = GarantiaFactory(autorizacion=autorizacion)
    with pytest.raises(DatosInvalidos):
        paso(g, "notificar_cobro", senae, "Saldos vencidos", oficio=" ")
    g = paso(g, "notificar_cobro", senae, "Saldos vencidos", oficio="SENAE-DDQ-2026-0001-OF")
    assert g.efectivizable_desde == sumar_dias_habiles(hoy(), 60)
    assert g.impugnable_hasta == sumar_dias_habiles(hoy(), 20)
    with pytest.raises(EfectivizacionPrematura) as e:
        paso(g, "efectivizar", senae, "Cobro")
    assert f"{g.efectivizable_desde:%d/%m/%Y}" in str(e.value)
    g = paso(g, "impugnar", oce, "La DAI fue compensada.")
    g = paso(g, "rechazar_impugnacion", senae, "No consta el anexo.")
    assert g.estado == E.NOTIFICADA_COBRO
    g = paso(g, "efectivizar", senae, "A petición del obligado", anticipada=True)
    assert g.estado == E.EFECTIVIZADA


def test_impugnacion_aceptada_vuelve_a_vigente(oce, senae, autorizacion):
    g = GarantiaFactory(autorizacion=autorizacion)
    paso(g, "notificar_cobro", senae, "Saldos", oficio="OF-1")
    paso(g, "impugnar", oce, "Compensada")
    g = paso(g, "aceptar_impugnacion", senae)
    assert (g.estado, g.cobro_oficio, g.efectivizable_desde) == (E.APROBADA, "", None)


def test_impugnacion_fuera_de_plazo(oce, senae, autorizacion):
    g = GarantiaFactory(autorizacion=autorizacion)
    paso(g, "notificar_cobro", senae, "Saldos", oficio="OF-1", notificado_el=hoy() - timedelta(days=60))
    with pytest.raises(TransicionNoPermitida, match="condiciones"):
        paso(g, "impugnar", oce, "Tarde")


def test_efectivizar_desde_el_dia_habil_60(senae, autorizacion):
    g = GarantiaFactory(autorizacion=autorizacion)
    paso(g, "notificar_cobro", senae, "Saldos", oficio="OF-1", notificado_el=hoy() - timedelta(days=120))
    assert paso(g, "efectivizar", senae, "Día 60 cumplido").estado == E.EFECTIVIZADA


def test_vencer_solo_despues_de_la_fecha(autorizacion):
    g = GarantiaFactory(autorizacion=autorizacion)
    with pytest.raises(TransicionNoPermitida):
        paso(g, "vencer", None)
    Garantia.objects.filter(pk=g.pk).update(vigencia_hasta=hoy() - timedelta(days=1))
    g = paso(g, "vencer", None)
    assert g.estado == E.VENCIDA and not g.cubre_al(hoy())


def test_permisos_de_cada_lado(oce, senae, autorizacion):
    g = registrar(oce, autorizacion)
    with pytest.raises(PermisoDenegado):
        paso(g, "aprobar", oce)
    with pytest.raises(PermisoDenegado):
        paso(g, "anular", senae)
    with pytest.raises(PermisoDenegado):
        paso(g, "anular", UsuarioOperadorFactory())


@pytest.mark.concurrencia
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_dos_funcionarios_aprueban_a_la_vez_gana_uno():
    if connection.vendor != "postgresql":
        pytest.skip("la concurrencia real se prueba en PostgreSQL")
    g = GarantiaFactory(estado=E.SOLICITADA)
    resultados: list[str] = []
    barrera = threading.Barrier(2)

    def aprobar(funcionario):
        try:
            barrera.wait()
            paso(g, "aprobar", funcionario)
            resultados.append("aprobada")
        except TransicionNoPermitida as e:
            resultados.append(e.code)
        finally:
            connection.close()

    hilos = [threading.Thread(target=aprobar, args=(FuncionarioFactory(),)) for _ in range(2)]
    for h in hilos:
        h.start()
    for h in hilos:
        h.join()
    assert sorted(resultados) == ["aprobada", "transicion_no_permitida"]
