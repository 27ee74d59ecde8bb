"""DAI under régimen 21: transmission validation (a precise error per field), liquidation of the suspended
taxes, numbering, risk channels, the aforo paths, release into the ledger and the guarantee's exposure."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from perfeccionamiento.models import DAI, CodigoInsumo, Garantia, MovimientoInsumo, ReglaCanal, SaldoInsumo, SolicitudAutorizacion
from perfeccionamiento.selectors import garantia_exposicion
from perfeccionamiento.services.dai import ValidacionTransmision, dai_corregir, dai_crear, dai_transicionar, dai_transmitir
from tests.factories import UsuarioAgenteFactory
from tramites.calendario import sumar_meses
from tramites.exceptions import ComentarioRequerido, DatosInvalidos, PermisoDenegado, TransicionNoPermitida
from tramites.models import Notificacion, Transicion

from .factories import GarantiaFactory

pytestmark = pytest.mark.django_db


def hoy():
    return timezone.localdate()


def transmitir(esc, lineas=None, **cabecera):
    return dai_crear(por=esc.agente, lineas=lineas or [esc.linea()], **esc.cabecera(**cabecera))


def test_transmision_con_aforo_automatico_acredita_el_kardex(escenario):
    boton = escenario.linea(escenario.boton, cantidad="5000", fob="500", flete="0", seguro=None)
    dai = transmitir(escenario, [escenario.linea(), boton])
    assert dai.estado == DAI.Estado.SALIDA_AUTORIZADA and dai.canal == "automatico"
    assert dai.numero == f"028-{hoy().year}-21-00000001"
    assert dai.vence_el == sumar_meses(hoy(), 12) - timedelta(days=1)
    tela, boton = dai.lineas.order_by("numero")
    assert (tela.cif, tela.ad_valorem, tela.fodinfa, tela.ice, tela.iva) == (
        Decimal("10900.00"), Decimal("1090.00"), Decimal("54.50"), Decimal("0.00"), Decimal("1806.68"),
    )  # fmt: skip
    assert tela.total_suspendido == Decimal("2951.18")
    # no insurance declared: 1 % of FOB is presumed
    assert (boton.seguro, boton.seguro_liquidado, boton.cif) == (None, Decimal("5.00"), Decimal("505.00"))
    assert dai.total_suspendido == tela.total_suspendido + boton.total_suspendido
    lotes = {s.insumo.codigo: s for s in SaldoInsumo.objects.filter(linea__dai=dai)}
    assert (lotes["TELA-01"].saldo, lotes["BOTON-02"].saldo) == (Decimal("1000"), Decimal("5000"))
    assert [m.tipo for m in MovimientoInsumo.objects.filter(saldo__linea__dai=dai)] == ["ingreso", "ingreso"]
    assert [t.transicion for t in Transicion.objects.de(dai)] == ["transmitir", "autorizar_salida_automatica"]
    assert garantia_exposicion(garantia_id=escenario.garantia.pk) == dai.total_suspendido
    assert Notificacion.objects.filter(usuario=escenario.oce, asunto__contains="salida autorizada").exists()


def test_exposicion_lee_solo_las_dai_en_despacho(escenario):
    """The reserved part of a guarantee's exposure is read through the partial index of DAI in clearance: its
    predicate must match the query's (a state list in another form would fall back to all the guarantee's DAI)."""
    reservado = DAI.objects.filter(garantia_id=escenario.garantia.pk, estado__in=DAI.EN_DESPACHO).exclude(pk=0)
    with connection.cursor() as c:
        c.execute("SET LOCAL enable_seqscan = off")
        plan = reservado.explain()
    assert "dai_garantia_en_despacho_idx" in plan


def test_canal_fisico_pasa_por_aforo_y_salida(escenario, aforo):
    ReglaCanal.objects.create(nombre="Tela china", prioridad=1, canal="fisico", subpartida_prefijo="5208", pais_origen="CN")
    dai = transmitir(escenario)
    assert (dai.estado, dai.canal, dai.regla_canal.nombre) == (DAI.Estado.EN_AFORO, "fisico", "Tela china")
    assert not SaldoInsumo.objects.exists()
    assert garantia_exposicion(garantia_id=escenario.garantia.pk) == dai.total_suspendido  # reserved while in aforo
    assert Notificacion.objects.filter(usuario=aforo, asunto__contains="por aforar").exists()
    with pytest.raises(ComentarioRequerido):
        dai_transicionar(dai_id=dai.pk, accion="observar", por=aforo)
    dai = dai_transicionar(dai_id=dai.pk, accion="observar", por=aforo, comentario="Se contaron 950 m, no 1000.")
    assert dai.estado == DAI.Estado.OBSERVADA
    with pytest.raises(PermisoDenegado):  # another agency cannot correct it
        dai_corregir(dai_id=dai.pk, por=UsuarioAgenteFactory(), lineas=[escenario.linea(cantidad="950")])
    corregida = [escenario.linea(cantidad="950")]
    dai = dai_corregir(dai_id=dai.pk, por=escenario.agente, comentario="Cantidad corregida", lineas=corregida)
    assert dai.estado == DAI.Estado.EN_AFORO and dai.lineas.get().cantidad == Decimal("950")
    dai = dai_transicionar(dai_id=dai.pk, accion="autorizar_salida", por=aforo, comentario="Conforme")
    assert dai.estado == DAI.Estado.SALIDA_AUTORIZADA
    assert SaldoInsumo.objects.get().saldo == Decimal("950")
    assert [t.transicion for t in Transicion.objects.de(dai)] == [
        "transmitir", "enviar_a_aforo", "observar", "corregir", "autorizar_salida",
    ]  # fmt: skip


def test_reglas_por_prioridad_y_canal_por_omision(escenario, settings):
    settings.AFORO_CANAL_POR_OMISION = "electronico"
    ReglaCanal.objects.create(nombre="Inactiva", prioridad=1, canal="fisico", activa=False)
    ReglaCanal.objects.create(nombre="Grandes", prioridad=5, canal="documental", cif_minimo=Decimal("50000"))
    assert transmitir(escenario).canal == "electronico"
    assert transmitir(escenario, [escenario.linea(fob="60000")]).canal == "documental"


def test_regla_aleatoria_es_determinista(escenario):
    regla = ReglaCanal.objects.create(nombre="10 %", prioridad=1, canal="fisico", porcentaje=10)
    datos = {"operador_id": 1, "subpartidas": ["5208120000"], "paises": ["CN"], "cif": Decimal(1)}
    elegidas = [regla.aplica(numero=f"028-2026-21-{n:08d}", **datos) for n in range(1000)]
    assert elegidas == [regla.aplica(numero=f"028-2026-21-{n:08d}", **datos) for n in range(1000)]
    assert 60 <= sum(elegidas) <= 140


def test_errores_de_transmision_por_campo_y_nada_guardado(escenario):
    CodigoInsumo.objects.filter(pk=escenario.boton.pk).update(estado="registrado")
    lineas = [
        escenario.linea(subpartida="5208110000"),
        escenario.linea(escenario.boton),
        escenario.linea(unidad="kg"),
    ]
    with pytest.raises(ValidacionTransmision) as e:
        transmitir(escenario, lineas)
    errores = e.value.errores
    assert errores["lineas.0.subpartida"] == [
        "Ítem 1: la subpartida 5208110000 no coincide con la del insumo TELA-01 (5208120000)."
    ]
    assert errores["lineas.1.insumo"] == ["Ítem 2: el código de insumo BOTON-02 está «Registrado (por aprobar)»."]
    assert errores["lineas.2.unidad"] == ["Ítem 3: el insumo TELA-01 se declara en metro (m)."]
    assert (e.value.code, e.value.http_status) == ("validacion_transmision", 400)
    assert not DAI.objects.exists() and not SaldoInsumo.objects.exists()


@pytest.mark.parametrize(
    ("linea", "clave", "mensaje"),
    [
        ({"cantidad": "0"}, "lineas.0.cantidad", "Ítem 1: debe ser mayor que cero."),
        ({"cantidad": "mil"}, "lineas.0.cantidad", "«mil» no es un número."),
        ({"fob": ""}, "lineas.0.fob", "Este dato es obligatorio."),
        ({"flete": "-5"}, "lineas.0.flete", "Ítem 1: no puede ser negativo."),
        ({"pais_origen": "China"}, "lineas.0.pais_origen", "Ítem 1: use el código ISO de 2 letras del país (p. ej. CN, CO, US)."),
        ({"insumo": "NO-EXISTE"}, "lineas.0.insumo", "Ítem 1: «NO-EXISTE» no es un código de insumo del operador."),
    ],
)
def test_datos_de_items_invalidos(escenario, linea, clave, mensaje):
    with pytest.raises(DatosInvalidos) as e:
        transmitir(escenario, [escenario.linea(**linea)])
    assert e.value.errores[clave] == [mensaje]
    assert not DAI.objects.exists()


def test_autorizacion_y_garantia_no_vigentes(escenario):
    SolicitudAutorizacion.objects.filter(pk=escenario.autorizacion.pk).update(estado="suspendida")
    Garantia.objects.filter(pk=escenario.garantia.pk).update(vigencia_hasta=hoy() - timedelta(days=1))
    with pytest.raises(ValidacionTransmision) as e:
        transmitir(escenario)
    assert "está «Suspendida»: no admite nuevas DAI 21" in e.value.errores["autorizacion"][0]
    assert f"venció el {hoy() - timedelta(days=1):%d/%m/%Y}" in e.value.errores["garantia"][0]


def test_garantia_vencida_bloquea_nuevas_dai(escenario):
    Garantia.objects.filter(pk=escenario.garantia.pk).update(estado="vencida")
    with pytest.raises(ValidacionTransmision) as e:
        transmitir(escenario)
    assert "está «Vencida»: no cubre nuevas DAI 21" in e.value.errores["garantia"][0]


def test_cobertura_insuficiente(escenario):
    Garantia.objects.filter(pk=escenario.garantia.pk).update(monto=Decimal("5000.00"))
    transmitir(escenario)  # USD 2,951.18
    with pytest.raises(ValidacionTransmision) as e:
        transmitir(escenario)
    assert e.value.errores["garantia"] == [
        f"Cobertura libre insuficiente en la garantía {escenario.garantia}: disponible USD 2,048.82, la DAI suspende "
        "USD 2,951.18. Solicite aumentar el monto o use otra garantía."
    ]
    assert DAI.objects.count() == 1


def test_garantia_especifica_cubre_una_sola_dai(escenario):
    especifica = GarantiaFactory(autorizacion=escenario.autorizacion, tipo="especifica", operacion="Embarque MSCU1234567")
    transmitir(escenario, garantia=especifica)
    with pytest.raises(ValidacionTransmision, match="validaciones"):
        transmitir(escenario, garantia=especifica)


def test_solo_el_agente_con_delegacion_transmite(escenario):
    with pytest.raises(PermisoDenegado):
        dai_crear(por=escenario.oce, lineas=[escenario.linea()], **escenario.cabecera())
    with pytest.raises(PermisoDenegado):
        dai_crear(por=UsuarioAgenteFactory(), lineas=[escenario.linea()], **escenario.cabecera())


def test_borrador_se_transmite_despues_o_se_anula(escenario):
    dai = dai_crear(por=escenario.agente, lineas=[escenario.linea()], transmitir=False, **escenario.cabecera())
    assert (dai.estado, dai.numero) == (DAI.Estado.BORRADOR, None)
    assert dai_transmitir(dai_id=dai.pk, por=escenario.agente).estado == DAI.Estado.SALIDA_AUTORIZADA
    with pytest.raises(TransicionNoPermitida):
        dai_transicionar(dai_id=dai.pk, accion="anular", por=escenario.agente)
    otro = dai_crear(por=escenario.agente, lineas=[escenario.linea()], transmitir=False, **escenario.cabecera())
    assert dai_transicionar(dai_id=otro.pk, accion="anular", por=escenario.agente).estado == DAI.Estado.ANULADA


def test_la_exposicion_limita_liberar_y_reducir_la_garantia(escenario, senae):
    from perfeccionamiento.exceptions import GarantiaConSaldos
    from perfeccionamiento.services.garantias import garantia_transicionar

    dai = transmitir(escenario)
    with pytest.raises(GarantiaConSaldos):
        garantia_transicionar(garantia_id=escenario.garantia.pk, accion="liberar", por=senae)
    with pytest.raises(DatosInvalidos) as e:
        garantia_transicionar(
            garantia_id=escenario.garantia.pk, accion="solicitar_modificacion", por=escenario.oce, monto=Decimal("1000")
        )
    assert f"USD {dai.total_suspendido:,.2f}" in e.value.errores["monto"][0]


def test_saldos_iguales_a_la_suma_de_movimientos(escenario):
    from django.db.models import Sum

    for n in range(5):
        transmitir(escenario, [escenario.linea(cantidad=str(100 + n)), escenario.linea(escenario.boton, cantidad="7")])
    for lote in SaldoInsumo.objects.all():
        assert lote.saldo == lote.movimientos.aggregate(s=Sum("cantidad"))["s"]
        assert lote.saldo == lote.movimientos.latest("en", "pk").saldo_resultante


def test_kardex_es_de_solo_agregado(escenario):
    from django.db import DatabaseError, transaction

    transmitir(escenario)
    m = MovimientoInsumo.objects.get()
    with pytest.raises(ValueError, match="solo agregado"):
        m.save()
    with pytest.raises(ValueError, match="solo agregado"):
        m.delete()
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError, match="solo agregado"), transaction.atomic():
            MovimientoInsumo.objects.filter(pk=m.pk).update(cantidad=Decimal(1))
    with pytest.raises(Exception, match="saldo_entre_cero"), transaction.atomic():
        SaldoInsumo.objects.update(saldo=Decimal(-1))


@pytest.mark.concurrencia
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_transmisiones_concurrentes_no_exceden_la_garantia(escenario):
    """Ten agents' requests at once against a guarantee with room for three: exactly three pass."""
    if connection.vendor != "postgresql":
        pytest.skip("la concurrencia real se prueba en PostgreSQL")
    Garantia.objects.filter(pk=escenario.garantia.pk).update(monto=Decimal("9000.00"))  # 3 × 2,951.18 fits
    resultados: list[str] = []
    barrera = threading.Barrier(10)

    def trabajar():
        try:
            barrera.wait()
            resultados.append(transmitir(escenario).numero)
        except ValidacionTransmision:
            resultados.append("sin cobertura")
        finally:
            connection.close()

    hilos = [threading.Thread(target=trabajar) for _ in range(10)]
    for h in hilos:
        h.start()
    for h in hilos:
        h.join()
    assert resultados.count("sin cobertura") == 7
    assert DAI.objects.filter(estado="salida_autorizada").count() == 3
    assert garantia_exposicion(garantia_id=escenario.garantia.pk) == Decimal("8853.54")
