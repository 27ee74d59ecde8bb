"""Anexos compensatorios: the six kinds end to end, FIFO discharge with the coefficient version in force,
over-discharge refused, transfers (acceptance, rejection, lapse), nationalisation taxes, evidence, closing
of compensated DAI, corrections (reversal + new movements) and concurrency on the same balance."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from perfeccionamiento.models import DAI, AnexoCompensatorio, LiquidacionNacionalizacion, MovimientoInsumo, SaldoInsumo
from perfeccionamiento.selectors import garantia_exposicion
from perfeccionamiento.services.anexos import (
    CesionNoAceptable,
    SaldoInsuficiente,
    anexo_registrar,
    anexo_solicitar_correccion,
    anexo_transicionar,
    cesiones_caducar,
)
from perfeccionamiento.services.descargo import simular
from tests.factories import UsuarioOperadorFactory
from tramites.exceptions import DatosInvalidos, PermisoDenegado, TransicionNoPermitida
from tramites.models import Transicion

from .factories import CodigoInsumoFactory, GarantiaFactory, SolicitudFactory, pdf

pytestmark = pytest.mark.django_db
T, E = AnexoCompensatorio.Tipo, AnexoCompensatorio.Estado
NUMEROS = {"exportacion": "40", "reexportacion": "61", "nacionalizacion": "10", "perdida": "87", "desperdicios": "86"}


def hoy():
    return timezone.localdate()


def registrar(esc, tipo, lineas, n=1, **extra):
    datos = {"fecha": hoy(), "lineas": lineas, **extra}
    if tipo != "cesion" and "declaracion" not in datos:
        datos["declaracion"] = {"numero": f"028-{hoy().year}-{NUMEROS[tipo]}-{n:08d}", "fecha": hoy()}
    return anexo_registrar(operador=esc.oce.operador, por=esc.oce, tipo=tipo, **datos)


def saldo(esc, dai, insumo):
    return SaldoInsumo.objects.get(linea__dai=dai, insumo=insumo, origen="dai").saldo


def test_exportacion_descarga_fifo_solo_al_aplicar(con_saldos, senae):
    esc = con_saldos
    exposicion_antes = garantia_exposicion(garantia_id=esc.garantia.pk)
    anexo = registrar(esc, "exportacion", [{"producto": "CAM-001", "cantidad": "550"}])
    assert (anexo.estado, anexo.numero) == (E.REGISTRADO, f"AC21-{hoy().year}-000001")
    assert saldo(esc, esc.dai_vieja, esc.tela) == 1000  # nothing debited at registration
    anexo = anexo_transicionar(anexo_id=anexo.pk, accion="aceptar", por=senae, comentario="DAE verificada")
    assert anexo.estado == E.APLICADO
    # 550 shirts × 1.85 m = 1017.5 m: the older DAI's 1000 m first, then 17.5 m of the newer one; 550 × 9 buttons
    assert saldo(esc, esc.dai_vieja, esc.tela) == 0
    assert saldo(esc, esc.dai_nueva, esc.tela) == Decimal("582.5")
    assert saldo(esc, esc.dai_vieja, esc.boton) == 50
    movimientos = MovimientoInsumo.objects.filter(anexo=anexo)
    assert sorted((m.saldo.insumo.codigo, m.tipo, m.cantidad) for m in movimientos) == [
        ("BOTON-02", "descargo", Decimal("-4950")),
        ("TELA-01", "descargo", Decimal("-1000")),
        ("TELA-01", "descargo", Decimal("-17.5")),
        # 550 × 0.15 m = 82.5 m of waste stock, split like the fabric it came from: 82.5 × 1000 / 1017.5 = 81.081081…
        ("TELA-01", "desperdicio", Decimal("1.418919")),
        ("TELA-01", "desperdicio", Decimal("81.081081")),
    ]
    assert {m.linea_anexo.version_id for m in movimientos} == {esc.version.pk}
    assert [t.transicion for t in Transicion.objects.de(anexo)] == ["registrar", "aceptar", "aplicar"]
    assert garantia_exposicion(garantia_id=esc.garantia.pk) < exposicion_antes


def test_saldos_iguales_a_la_suma_de_movimientos(con_saldos, senae):
    esc = con_saldos
    for n, cantidad in enumerate(["100", "250", "7"], start=1):
        a = registrar(esc, "exportacion", [{"producto": "CAM-001", "cantidad": cantidad}], n=n)
        anexo_transicionar(anexo_id=a.pk, accion="aceptar", por=senae)
    for lote in SaldoInsumo.objects.all():
        assert lote.saldo == lote.movimientos.aggregate(s=Sum("cantidad"))["s"] >= 0


def test_sobredescargo_rechazado_con_mensaje_claro(con_saldos):
    esc = con_saldos
    with pytest.raises(DatosInvalidos) as e:
        registrar(esc, "exportacion", [{"producto": "CAM-001", "cantidad": "1000"}])
    assert e.value.errores["lineas.0.cantidad"] == [
        "Ítem 1: saldo insuficiente de BOTON-02: se requieren 9 000 u y hay 5 000 u disponibles en plazo.",
        "Ítem 1: saldo insuficiente de TELA-01: se requieren 1 850 m y hay 1 600 m disponibles en plazo.",
    ]
    assert not AnexoCompensatorio.objects.exists()


def test_tipo_de_linea_segun_la_compensacion(con_saldos):
    esc = con_saldos
    with pytest.raises(DatosInvalidos) as e:
        registrar(esc, "exportacion", [{"insumo": "TELA-01", "cantidad": "10"}])
    assert e.value.errores["lineas.0.insumo"] == ["Ítem 1: la exportación a consumo (dae 40) compensa productos, no insumos."]
    with pytest.raises(DatosInvalidos) as e:
        registrar(esc, "desperdicios", [{"producto": "CAM-001", "cantidad": "1"}], archivos=[pdf()])
    assert e.value.errores["lineas.0.desperdicio"] == [
        "Ítem 1: el desperdicio se indica por su código de insumo, no de producto."
    ]


def test_declaracion_del_tipo_correcto(con_saldos):
    esc = con_saldos
    with pytest.raises(DatosInvalidos) as e:
        registrar(
            esc,
            "exportacion",
            [{"producto": "CAM-001", "cantidad": "1"}],
            declaracion={"numero": "028-2026-61-00000001", "fecha": hoy()},
        )
    assert e.value.errores["declaracion.numero"] == ["El número indica el régimen 61, pero la declaración es 40."]
    with pytest.raises(DatosInvalidos) as e:
        registrar(esc, "exportacion", [{"producto": "CAM-001", "cantidad": "1"}], declaracion={"numero": "DAE-1", "fecha": hoy()})
    assert "distrito-año-régimen-secuencia" in e.value.errores["declaracion.numero"][0]


def test_reexportacion_de_insumos_con_items_elegidos(con_saldos, senae):
    esc = con_saldos
    lote_nuevo = SaldoInsumo.objects.get(linea__dai=esc.dai_nueva)
    a = registrar(esc, "reexportacion", [{"insumo": "TELA-01", "cantidad": "200", "lotes": [lote_nuevo.pk]}])
    anexo_transicionar(anexo_id=a.pk, accion="aceptar", por=senae)
    assert (saldo(esc, esc.dai_vieja, esc.tela), saldo(esc, esc.dai_nueva, esc.tela)) == (1000, 400)  # not FIFO: the named lot
    with pytest.raises(DatosInvalidos) as e:
        registrar(esc, "reexportacion", [{"insumo": "TELA-01", "cantidad": "500", "lotes": [lote_nuevo.pk]}], n=2)
    assert "disponibles en los ítems de DAI elegidos" in e.value.errores["lineas.0.cantidad"][0]


def test_nacionalizacion_liquida_tributos_y_admite_saldos_vencidos(con_saldos, senae):
    esc = con_saldos
    SaldoInsumo.objects.filter(linea__dai=esc.dai_vieja).update(vence_el=hoy() - timedelta(days=1))
    with pytest.raises(DatosInvalidos):  # an export cannot draw on expired balances
        registrar(esc, "exportacion", [{"producto": "CAM-001", "cantidad": "400"}])
    a = registrar(esc, "nacionalizacion", [{"insumo": "TELA-01", "cantidad": "100"}])
    a = anexo_transicionar(anexo_id=a.pk, accion="aceptar", por=senae)
    (liq,) = LiquidacionNacionalizacion.objects.filter(anexo=a)
    # 100 m of the older lot: CIF 10,900.00 / 1000 m × 100 = 1,090.00; 10 % ad valorem, 0.5 % FODINFA, 15 % IVA
    assert (liq.cif, liq.ad_valorem, liq.fodinfa, liq.iva, liq.total) == (
        Decimal("1090.00"), Decimal("109.00"), Decimal("5.45"), Decimal("180.67"), Decimal("295.12"),
    )  # fmt: skip
    assert a.total_tributos == Decimal("295.12")


def test_perdida_y_desperdicios_exigen_evidencia(con_saldos, senae):
    esc = con_saldos
    with pytest.raises(DatosInvalidos) as e:
        registrar(esc, "perdida", [{"insumo": "TELA-01", "cantidad": "30"}])
    assert "Adjunte la evidencia" in e.value.errores["adjuntos"][0]
    perdida = registrar(esc, "perdida", [{"producto": "CAM-001", "cantidad": "10"}], archivos=[pdf("acta-incendio.pdf")])
    assert anexo_transicionar(anexo_id=perdida.pk, accion="aceptar", por=senae).estado == E.APLICADO
    with pytest.raises(DatosInvalidos) as e:  # evidence first, for waste too
        registrar(esc, "desperdicios", [{"insumo": "TELA-01", "cantidad": "1.5"}], n=2)
    assert "Adjunte la evidencia" in e.value.errores["adjuntos"][0]
    # the 10 shirts left 10 × 0.15 = 1.5 m of waste; its destruction draws on that waste stock only
    desperdicio = registrar(esc, "desperdicios", [{"insumo": "TELA-01", "cantidad": "1.5"}], n=2, archivos=[pdf("acta.pdf")])
    assert anexo_transicionar(anexo_id=desperdicio.pk, accion="aceptar", por=senae).estado == E.APLICADO
    assert saldo(esc, esc.dai_vieja, esc.tela) == Decimal("1000") - Decimal("18.5")


@pytest.fixture
def cesionario(escenario):
    """Another enabled operator with an authorization, a guarantee and input codes like the transferor's."""
    usuario = UsuarioOperadorFactory()
    aut = SolicitudFactory(operador=usuario.operador, aprobada=True)
    usuario.garantia = GarantiaFactory(autorizacion=aut, monto=Decimal("50000.00"))
    usuario.tela = CodigoInsumoFactory(operador=usuario.operador, codigo="TEJIDO-A", subpartida="5208120000", unidad="m")
    return usuario


def test_cesion_aceptada_mueve_el_saldo_al_cesionario(con_saldos, cesionario):
    esc = con_saldos
    a = registrar(esc, "cesion", [{"insumo": "TELA-01", "cantidad": "300"}], cesionario=cesionario.operador)
    assert a.estado == E.PENDIENTE_ACEPTACION and a.aceptar_hasta > hoy()
    with pytest.raises(PermisoDenegado):  # only the receiving beneficiary accepts
        anexo_transicionar(anexo_id=a.pk, accion="aceptar_cesion", por=esc.oce, garantia=cesionario.garantia.pk)
    a = anexo_transicionar(anexo_id=a.pk, accion="aceptar_cesion", por=cesionario, garantia=cesionario.garantia.pk)
    assert a.estado == E.APLICADO
    assert saldo(esc, esc.dai_vieja, esc.tela) == 700
    recibido = SaldoInsumo.objects.get(operador=cesionario.operador)
    origen = SaldoInsumo.objects.get(linea__dai=esc.dai_vieja, insumo=esc.tela, origen="dai")
    assert (recibido.insumo, recibido.saldo, recibido.origen, recibido.vence_el) == (
        cesionario.tela,
        300,
        "cesion",
        origen.vence_el,
    )
    assert garantia_exposicion(garantia_id=cesionario.garantia.pk) == Decimal("885.35")  # 300 × 2,951.18 / 1000
    assert [m.tipo for m in recibido.movimientos.all()] == ["cesion_entrada"]


def test_cesion_sin_codigo_equivalente_no_se_acepta(con_saldos, cesionario):
    esc = con_saldos
    a = registrar(esc, "cesion", [{"insumo": "BOTON-02", "cantidad": "100"}], cesionario=cesionario.operador)
    with pytest.raises(CesionNoAceptable, match="9606220000 \\(u\\)"):
        anexo_transicionar(anexo_id=a.pk, accion="aceptar_cesion", por=cesionario, garantia=cesionario.garantia.pk)
    a.refresh_from_db()
    assert a.estado == E.PENDIENTE_ACEPTACION and saldo(esc, esc.dai_vieja, esc.boton) == 5000


def test_cesion_rechazada_o_caducada(con_saldos, cesionario):
    esc = con_saldos
    a = registrar(esc, "cesion", [{"insumo": "TELA-01", "cantidad": "10"}], cesionario=cesionario.operador)
    assert (
        anexo_transicionar(anexo_id=a.pk, accion="rechazar_cesion", por=cesionario, comentario="No pedimos esto").estado
        == E.RECHAZADO
    )
    b = registrar(esc, "cesion", [{"insumo": "TELA-01", "cantidad": "10"}], cesionario=cesionario.operador)
    assert cesiones_caducar() == 0
    AnexoCompensatorio.objects.filter(pk=b.pk).update(aceptar_hasta=hoy() - timedelta(days=1))
    with pytest.raises(TransicionNoPermitida):  # too late to accept
        anexo_transicionar(anexo_id=b.pk, accion="aceptar_cesion", por=cesionario, garantia=cesionario.garantia.pk)
    assert cesiones_caducar() == 1 and cesiones_caducar() == 0
    b.refresh_from_db()
    assert b.estado == E.CADUCADO and saldo(esc, esc.dai_vieja, esc.tela) == 1000
    assert Transicion.objects.de(b).last().por is None


def test_dai_compensada_al_llegar_a_cero_y_reabierta_por_correccion(con_saldos, senae):
    esc = con_saldos
    lote_nuevo = SaldoInsumo.objects.get(linea__dai=esc.dai_nueva)  # FIFO would take the older lot: name this one
    b = registrar(esc, "reexportacion", [{"insumo": "TELA-01", "cantidad": "600", "lotes": [lote_nuevo.pk]}], n=2)
    anexo_transicionar(anexo_id=b.pk, accion="aceptar", por=senae)
    esc.dai_nueva.refresh_from_db()
    assert esc.dai_nueva.estado == DAI.Estado.COMPENSADA
    anexo_solicitar_correccion(anexo_id=b.pk, por=esc.oce, motivo="Se reexportaron 550 m, no 600.", lineas=[
        {"insumo": "TELA-01", "cantidad": "550", "lotes": [lote_nuevo.pk]}])  # fmt: skip
    anexo_transicionar(anexo_id=b.pk, accion="aprobar_correccion", por=senae)
    esc.dai_nueva.refresh_from_db()
    assert esc.dai_nueva.estado == DAI.Estado.SALIDA_AUTORIZADA and saldo(esc, esc.dai_nueva, esc.tela) == 50


def test_aplicar_falla_si_otro_anexo_consumio_el_saldo(con_saldos, senae):
    esc = con_saldos
    a = registrar(esc, "reexportacion", [{"insumo": "TELA-01", "cantidad": "1000"}], n=1)
    b = registrar(esc, "reexportacion", [{"insumo": "TELA-01", "cantidad": "1000"}], n=2)  # each fits alone
    anexo_transicionar(anexo_id=a.pk, accion="aceptar", por=senae)
    with pytest.raises(SaldoInsuficiente) as e:
        anexo_transicionar(anexo_id=b.pk, accion="aceptar", por=senae)
    assert e.value.http_status == 409 and "hay 600 m disponibles" in e.value.errores["lineas.0.cantidad"][0]
    b.refresh_from_db()
    assert b.estado == E.REGISTRADO and not MovimientoInsumo.objects.filter(anexo=b).exists()


def test_correccion_revierte_y_vuelve_a_descargar_con_historial(con_saldos, senae):
    esc = con_saldos
    a = registrar(esc, "exportacion", [{"producto": "CAM-001", "cantidad": "100"}])
    anexo_transicionar(anexo_id=a.pk, accion="aceptar", por=senae)
    with pytest.raises(DatosInvalidos):  # the correction is checked with the balance the current debits give back
        anexo_solicitar_correccion(anexo_id=a.pk, por=esc.oce, motivo="x", lineas=[{"producto": "CAM-001", "cantidad": "900"}])
    anexo_solicitar_correccion(
        anexo_id=a.pk, por=esc.oce, motivo="Fueron 80 camisas", lineas=[{"producto": "CAM-001", "cantidad": "80"}]
    )
    a.refresh_from_db()
    assert a.estado == E.CORRECCION_SOLICITADA and saldo(esc, esc.dai_vieja, esc.tela) == 815  # unchanged until approved
    anexo_transicionar(anexo_id=a.pk, accion="aprobar_correccion", por=senae)
    assert saldo(esc, esc.dai_vieja, esc.tela) == 852  # 1000 − 80 × 1.85
    tipos = [(m.tipo, m.cantidad) for m in MovimientoInsumo.objects.filter(anexo=a, saldo__insumo=esc.tela).order_by("pk")]
    assert tipos == [
        ("descargo", Decimal("-185")), ("desperdicio", Decimal("15")),  # 100 shirts: 185 m, of which 15 m of waste
        ("reverso", Decimal("-15")), ("reverso", Decimal("185")),  # both reversed (the waste first)…
        ("descargo", Decimal("-148")), ("desperdicio", Decimal("12")),  # …and 80 shirts posted: 148 m, 12 m of waste
    ]  # fmt: skip
    reverso = MovimientoInsumo.objects.get(anexo=a, saldo__insumo=esc.tela, tipo="reverso", cantidad__gt=0)
    assert reverso.revierte.cantidad == Decimal("-185")
    assert SaldoInsumo.objects.filter(origen="desperdicio", saldo__gt=0).get().saldo == 12
    a.refresh_from_db()
    assert a.estado == E.APLICADO and a.correcciones.get().estado == "aprobada"
    anexo_solicitar_correccion(anexo_id=a.pk, por=esc.oce, motivo="Otra", lineas=[{"producto": "CAM-001", "cantidad": "1"}])
    anexo_transicionar(anexo_id=a.pk, accion="rechazar_correccion", por=senae, comentario="Sin sustento")
    assert saldo(esc, esc.dai_vieja, esc.tela) == 852
    for lote in SaldoInsumo.objects.all():
        assert lote.saldo == lote.movimientos.aggregate(s=Sum("cantidad"))["s"]


def test_version_usada_queda_fija(con_saldos, senae):
    from .factories import CoeficienteFactory, VersionFactory

    esc = con_saldos
    a = registrar(esc, "exportacion", [{"producto": "CAM-001", "cantidad": "10"}])
    nueva = VersionFactory(producto=esc.camisa, numero=2, vigente_desde=hoy())
    CoeficienteFactory(version=nueva, insumo=esc.tela, coeficiente=Decimal("3"), desperdicio=Decimal("0"))
    anexo_transicionar(anexo_id=a.pk, accion="aceptar", por=senae)
    assert a.lineas.get().version == esc.version  # the version in force when it was filed
    assert saldo(esc, esc.dai_vieja, esc.tela) == Decimal("981.5")


def test_simulacion_muestra_tramos_restos_y_vencimientos(con_saldos):
    esc = con_saldos
    plan = simular(
        operador=esc.oce.operador, tipo="exportacion", fecha=hoy(), lineas=[{"producto": "CAM-001", "cantidad": "550"}]
    )
    assert plan.valido
    tela = plan.insumos[(esc.tela.pk, False)]
    assert [(t.lote.linea.dai_id, t.cantidad, t.restante) for t in tela.tramos] == [
        (esc.dai_vieja.pk, Decimal("1000"), Decimal("0")), (esc.dai_nueva.pk, Decimal("17.5"), Decimal("582.5")),
    ]  # fmt: skip
    assert (tela.requerido, tela.disponible, tela.restante) == (Decimal("1017.5"), Decimal("1600"), Decimal("582.5"))
    assert tela.genera == Decimal("82.5")  # the waste stock it would leave: 550 × 0.15 m
    assert plan.proximos_vencimientos
    assert not MovimientoInsumo.objects.filter(tipo="descargo").exists()  # a dry run never writes


def test_cesionario_ve_el_anexo_y_otros_no(con_saldos, cesionario):
    from perfeccionamiento.selectors import anexos_listar

    esc = con_saldos
    a = registrar(esc, "cesion", [{"insumo": "TELA-01", "cantidad": "10"}], cesionario=cesionario.operador)
    assert list(anexos_listar(usuario=cesionario)) == [a]
    assert list(anexos_listar(usuario=esc.oce)) == [a]
    assert not anexos_listar(usuario=UsuarioOperadorFactory()).exists()


@pytest.mark.concurrencia
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_anexos_concurrentes_nunca_sobregiran(con_saldos):
    """Twelve anexos of 150 m each (1,800 m) accepted at once against 1,600 m: ten apply, two are refused,
    no balance goes below zero and every balance equals the sum of its movements."""
    if connection.vendor != "postgresql":
        pytest.skip("la concurrencia real se prueba en PostgreSQL")
    from tests.factories import FuncionarioFactory

    esc = con_saldos
    anexos = [registrar(esc, "reexportacion", [{"insumo": "TELA-01", "cantidad": "150"}], n=n) for n in range(1, 13)]
    funcionarios = [FuncionarioFactory() for _ in anexos]
    resultados: list[str] = []
    barrera = threading.Barrier(len(anexos))

    def aceptar(anexo, funcionario):
        try:
            barrera.wait()
            anexo_transicionar(anexo_id=anexo.pk, accion="aceptar", por=funcionario)
            resultados.append("aplicado")
        except SaldoInsuficiente:
            resultados.append("insuficiente")
        finally:
            connection.close()

    hilos = [threading.Thread(target=aceptar, args=par) for par in zip(anexos, funcionarios, strict=True)]
    for h in hilos:
        h.start()
    for h in hilos:
        h.join()
    assert sorted(resultados) == ["aplicado"] * 10 + ["insuficiente"] * 2
    lotes = SaldoInsumo.objects.filter(insumo=esc.tela)
    assert sum(lote.saldo for lote in lotes) == 100
    for lote in lotes:
        assert lote.saldo >= 0 and lote.saldo == lote.movimientos.aggregate(s=Sum("cantidad"))["s"]
    assert AnexoCompensatorio.objects.filter(estado=E.APLICADO).count() == 10
