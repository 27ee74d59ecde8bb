"""Issue 14, point 4: every decimal input of the régimen 21 (DAI items, guarantees, coefficient tables, anexo
quantities and its dry run, the officials' rate tables in the admin) reads 1000,50 and 1.000,50 like 1000.50,
refuses an ambiguous 1.000 naming the field and saving nothing, and shows stored values back as 1.000,50."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from perfeccionamiento.models import (
    DAI,
    AnexoCompensatorio,
    Garantia,
    LineaAnexo,
    TarifaArancelaria,
    TasasGenerales,
    VersionCoeficientes,
)
from perfeccionamiento.services.dai import dai_crear
from perfeccionamiento.services.descargo import simular

from .factories import CodigoInsumoFactory, CodigoProductoFactory, SolicitudFactory, pdf
from .test_api_anexos import cuerpo as cuerpo_api
from .test_vistas_anexos import formulario as formulario_anexo
from .test_vistas_dai import formulario as formulario_dai

pytestmark = pytest.mark.django_db
REEXPORTACION = "028-2026-61-00000917"


# --- DAI -----------------------------------------------------------------------------------------------------


def test_dai_con_coma_decimal_guarda_el_valor_exacto(client, escenario):
    client.force_login(escenario.agente)
    item = escenario.linea(cantidad="1000,50", fob="1.000,50", flete="80,25", seguro="1000.50")
    r = client.post("/regimen21/dai/nueva/", {**formulario_dai(escenario, item), "guardar": ""})
    assert r.status_code == 302, r.content.decode()
    linea = DAI.objects.get().lineas.get()
    assert (linea.cantidad, linea.fob, linea.flete, linea.seguro) == (
        Decimal("1000.50"),
        Decimal("1000.50"),
        Decimal("80.25"),
        Decimal("1000.50"),
    )


def test_dai_con_valor_ambiguo_no_guarda_nada_y_nombra_el_campo(client, escenario):
    client.force_login(escenario.agente)
    item = escenario.linea(cantidad="1000,50", fob="1.000")
    r = client.post("/regimen21/dai/nueva/", {**formulario_dai(escenario, item), "transmitir": ""})
    html = r.content.decode()
    assert r.status_code == 200
    assert "En «FOB (USD)», «1.000» es ambiguo: ¿1000 o 1,000?" in html
    assert not DAI.objects.exists()
    assert 'value="1.000,50"' in html  # the quantity that was read comes back as the portal understood it
    assert 'value="1.000"' in html  # the ambiguous one, as typed, next to its error
    assert 'type="number"' not in html


def test_borrador_de_dai_muestra_los_montos_como_se_escriben(client, escenario):
    dai = dai_crear(
        por=escenario.agente,
        lineas=[escenario.linea(cantidad=Decimal("1000.5"), fob=Decimal("12345.6"))],
        transmitir=False,
        **escenario.cabecera(),
    )
    client.force_login(escenario.agente)
    html = client.get(f"/regimen21/dai/{dai.pk}/corregir/").content.decode()
    assert 'name="item-0-cantidad" value="1.000,50"' in html
    assert 'name="item-0-fob" value="12.345,60"' in html
    assert 'inputmode="decimal"' in html


# --- Guarantees and coefficient tables ----------------------------------------------------------------------


def datos_garantia(oce, monto):
    hoy = timezone.localdate()
    return {
        "autorizacion": SolicitudFactory(operador=oce.operador, aprobada=True).pk,
        "tipo": "general",
        "forma": "poliza",
        "entidad_emisora": "Seguros Equinoccial",
        "numero_documento": "PA-1",
        "monto": monto,
        "vigencia_desde": hoy,
        "vigencia_hasta": hoy + timedelta(days=200),
        "adjuntos": [pdf()],
    }


def test_garantia_con_miles_y_coma(client, oce):
    client.force_login(oce)
    r = client.post("/regimen21/garantias/nueva/", datos_garantia(oce, "25.000,50"))
    assert r.status_code == 302
    assert Garantia.objects.get().monto == Decimal("25000.50")


def test_garantia_con_monto_ambiguo(client, oce):
    client.force_login(oce)
    r = client.post("/regimen21/garantias/nueva/", datos_garantia(oce, "25.000"))
    html = r.content.decode()
    assert "En «Monto (USD)», «25.000» es ambiguo: ¿25000 o 25,000?" in html
    assert "Revise 1 dato del formulario" in html
    assert not Garantia.objects.exists()


def datos_version(tela, coeficiente, desperdicio=""):
    return {
        "vigente_desde": timezone.localdate().isoformat(),
        "justificacion": "Pruebas de producción",
        "coef-TOTAL_FORMS": "1",
        "coef-INITIAL_FORMS": "0",
        "coef-MIN_NUM_FORMS": "1",
        "coef-MAX_NUM_FORMS": "1000",
        "coef-0-insumo": tela.pk,
        "coef-0-coeficiente": coeficiente,
        "coef-0-desperdicio": desperdicio,
    }


def test_coeficientes_con_coma_decimal(client, oce):
    producto = CodigoProductoFactory(operador=oce.operador)
    tela = CodigoInsumoFactory(operador=oce.operador, codigo="TELA-01")
    client.force_login(oce)
    url = f"/regimen21/codigos/productos/{producto.pk}/versiones/nueva/"
    r = client.post(url, datos_version(tela, "1,85", "0.05"))
    assert r.status_code == 302
    coeficiente = VersionCoeficientes.objects.get().coeficientes.get()
    assert (coeficiente.coeficiente, coeficiente.desperdicio) == (Decimal("1.85"), Decimal("0.05"))


def test_coeficiente_con_demasiados_decimales_se_explica(client, oce):
    producto = CodigoProductoFactory(operador=oce.operador)
    tela = CodigoInsumoFactory(operador=oce.operador, codigo="TELA-01")
    client.force_login(oce)
    r = client.post(f"/regimen21/codigos/productos/{producto.pk}/versiones/nueva/", datos_version(tela, "1,123456789"))
    html = r.content.decode()
    assert "En «Coeficiente», escriba como máximo 8 decimales después de la coma" in html
    assert "Asegúrese" not in html
    assert not VersionCoeficientes.objects.exists()


# --- Anexos: the form, its dry run and the service's own reading ------------------------------------------


def test_anexo_con_coma_decimal(client, con_saldos):
    client.force_login(con_saldos.oce)
    item = {"insumo": con_saldos.tela.pk, "cantidad": "112,5"}
    r = client.post(
        "/regimen21/anexos/nuevo/", formulario_anexo(con_saldos, item, tipo="reexportacion", declaracion_numero=REEXPORTACION)
    )
    assert r.status_code == 302, r.content.decode()
    assert LineaAnexo.objects.get().cantidad == Decimal("112.5")


def test_anexo_con_cantidad_ambigua_no_se_registra(client, con_saldos):
    client.force_login(con_saldos.oce)
    item = {"insumo": con_saldos.tela.pk, "cantidad": "1.000"}
    r = client.post(
        "/regimen21/anexos/nuevo/", formulario_anexo(con_saldos, item, tipo="reexportacion", declaracion_numero=REEXPORTACION)
    )
    assert "En «Cantidad», «1.000» es ambiguo" in r.content.decode()
    assert not AnexoCompensatorio.objects.exists()


def test_simulacion_lee_la_coma_y_explica_lo_ambiguo(client, con_saldos):
    client.force_login(con_saldos.oce)
    r = client.post(
        "/regimen21/anexos/simular/", formulario_anexo(con_saldos, {"producto": con_saldos.camisa.pk, "cantidad": "550,0"})
    )
    assert "582,5" in r.content.decode()  # same dry run as 550
    r = client.post(
        "/regimen21/anexos/simular/", formulario_anexo(con_saldos, {"producto": con_saldos.camisa.pk, "cantidad": "1.000"})
    )
    html = r.content.decode()
    assert "Ítem 1: En «Cantidad», «1.000» es ambiguo" in html  # said in the panel, not silently dropped


def test_el_servicio_lee_cantidades_escritas_con_el_mismo_criterio(con_saldos):
    esc = con_saldos
    hoy = timezone.localdate()

    def plan(cantidad):
        return simular(
            operador=esc.oce.operador, tipo="reexportacion", fecha=hoy, lineas=[{"insumo": "TELA-01", "cantidad": cantidad}]
        )

    for cantidad in ("1.000,5", "1000,5", "1000.5", 1000.5, Decimal("1000.5")):
        assert plan(cantidad).insumos[(esc.tela.pk, False)].requerido == Decimal("1000.5"), cantidad
    assert plan("1.000").errores["lineas.0.cantidad"][0].startswith("«1.000» es ambiguo")  # was read as 1
    assert plan("1,2,3").errores["lineas.0.cantidad"][0].startswith("«1,2,3» tiene más de una coma")
    assert plan("9" * 30).errores["lineas.0.cantidad"] == [f"«{'9' * 30}» es demasiado grande para una cantidad."]


def test_api_sigue_leyendo_numeros_de_maquina(cliente_token, con_saldos):
    api = cliente_token(con_saldos.agente)
    for cantidad, requerido in (("1000.50", "1000.500000"), (1000.5, "1000.500000"), ("1.000", "1.000000")):
        lineas = [{"insumo": "TELA-01", "cantidad": cantidad}]
        r = api.post("/api/v1/regimen21/anexos/simular/", cuerpo_api(con_saldos, "reexportacion", lineas), format="json")
        assert r.status_code == 200, r.json()
        assert r.json()["insumos"][0]["requerido"] == requerido  # JSON is machine format: the dot is decimal


# --- Admin: the officials' rate tables ---------------------------------------------------------------------


def test_admin_de_tasas_lee_la_coma(client, senae):
    client.force_login(senae)
    r = client.post(
        "/admin/perfeccionamiento/tasasgenerales/add/",
        {"vigente_desde": "01/01/2030", "fodinfa": "0,5", "iva": "15", "seguro_presuntivo": "1.5", "interes_anual": "7,3"},
    )
    assert r.status_code == 302, r.content.decode()
    tasas = TasasGenerales.objects.get(vigente_desde="2030-01-01")
    assert (tasas.fodinfa, tasas.iva, tasas.seguro_presuntivo, tasas.interes_anual) == (
        Decimal("0.5"), Decimal(15), Decimal("1.5"), Decimal("7.3"),
    )  # fmt: skip
    html = client.get(f"/admin/perfeccionamiento/tasasgenerales/{tasas.pk}/change/").content.decode()
    assert 'name="fodinfa" value="0,50"' in html and 'inputmode="decimal"' in html


def test_admin_de_tarifas_rechaza_lo_ambiguo(client, senae):
    client.force_login(senae)
    r = client.post(
        "/admin/perfeccionamiento/tarifaarancelaria/add/",
        {"subpartida": "5208120000", "descripcion": "Tejidos de algodón", "ad_valorem": "12.500", "ice": "0"},
    )
    assert "En «Ad valorem (%)», «12.500» es ambiguo" in r.content.decode()
    assert not TarifaArancelaria.objects.exists()
