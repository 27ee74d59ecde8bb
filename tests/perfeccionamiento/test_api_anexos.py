"""Anexos compensatorios over the API: dry run, registration (JSON and multipart with evidence), transfers
accepted by the cesionario's software, corrections, scoping and constant query counts."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from perfeccionamiento.models import AnexoCompensatorio, SaldoInsumo
from perfeccionamiento.services.anexos import anexo_transicionar
from tests.factories import UsuarioOperadorFactory

from .factories import CodigoInsumoFactory, GarantiaFactory, SolicitudFactory, pdf

pytestmark = pytest.mark.django_db
BASE = "/api/v1/regimen21/anexos"


def cuerpo(esc, tipo="exportacion", lineas=None, n=1, **extra):
    datos = {
        "operador_ruc": esc.oce.operador.ruc,
        "tipo": tipo,
        "fecha": timezone.localdate().isoformat(),
        "lineas": lineas or [{"producto": "CAM-001", "cantidad": "100"}],
        **extra,
    }
    if tipo != "cesion":
        regimen = {"exportacion": "40", "reexportacion": "61", "nacionalizacion": "10", "perdida": "87", "desperdicios": "86"}[
            tipo
        ]
        datos.setdefault("declaracion", {"numero": f"028-2026-{regimen}-{n:08d}", "fecha": timezone.localdate().isoformat()})
    return datos


@pytest.fixture
def api(con_saldos, cliente_token):
    return cliente_token(con_saldos.agente)


def test_simular_por_api(api, con_saldos):
    r = api.post(f"{BASE}/simular/", cuerpo(con_saldos, lineas=[{"producto": "CAM-001", "cantidad": "550"}]), format="json")
    assert r.status_code == 200, r.json()
    plan = r.json()
    assert plan["valido"] is True and plan["errores"] == {}
    tela = next(i for i in plan["insumos"] if i["insumo"] == "TELA-01")
    assert (tela["requerido"], tela["restante"]) == ("1017.500000", "582.500000")
    assert [t["cantidad"] for t in tela["tramos"]] == ["1000.000000", "17.500000"]
    r = api.post(f"{BASE}/simular/", cuerpo(con_saldos, lineas=[{"producto": "CAM-001", "cantidad": "5000"}]), format="json")
    assert r.json()["valido"] is False and "lineas.0.cantidad" in r.json()["errores"]
    assert not AnexoCompensatorio.objects.exists()


def test_registrar_y_consultar_por_api(api, con_saldos, senae):
    r = api.post(f"{BASE}/", cuerpo(con_saldos), format="json", HTTP_IDEMPOTENCY_KEY="ac-1")
    assert r.status_code == 201, r.json()
    anexo = r.json()
    assert (anexo["estado"], anexo["declaracion"]) == ("registrado", "028-2026-40-00000001")
    assert api.post(f"{BASE}/", cuerpo(con_saldos), format="json", HTTP_IDEMPOTENCY_KEY="ac-1").json()["id"] == anexo["id"]
    anexo_transicionar(anexo_id=anexo["id"], accion="aceptar", por=senae)
    detalle = api.get(f"{BASE}/{anexo['id']}/").json()
    assert detalle["estado"] == "aplicado"
    assert sorted((m["insumo"], m["tipo"], m["cantidad"]) for m in detalle["movimientos"]) == [
        ("BOTON-02", "descargo", "-900.000000"),
        ("TELA-01", "descargo", "-185.000000"),
        ("TELA-01", "desperdicio", "15.000000"),  # 100 shirts × 0.15 m of waste
    ]
    movs = api.get(f"/api/v1/regimen21/movimientos/?anexo={anexo['id']}").json()["results"]
    assert len(movs) == 3


def test_sobredescargo_y_declaracion_invalida(api, con_saldos):
    r = api.post(f"{BASE}/", cuerpo(con_saldos, lineas=[{"producto": "CAM-001", "cantidad": "5000"}]), format="json")
    assert r.status_code == 400 and "saldo insuficiente de TELA-01" in r.json()["errors"]["lineas.0.cantidad"][1]
    r = api.post(
        f"{BASE}/", cuerpo(con_saldos, declaracion={"numero": "028-2026-10-00000001", "fecha": "2026-01-01"}), format="json"
    )
    assert r.json()["errors"]["declaracion.numero"] == ["El número indica el régimen 10, pero la declaración es 40."]


def test_perdida_multipart_con_evidencia(api, con_saldos):
    datos = cuerpo(con_saldos, tipo="perdida", lineas=[{"insumo": "TELA-01", "cantidad": "25"}])
    r = api.post(f"{BASE}/", {"anexo": json.dumps(datos)}, format="multipart")
    assert r.status_code == 400 and "adjuntos" in r.json()["errors"]
    r = api.post(f"{BASE}/", {"anexo": json.dumps(datos), "adjuntos": [pdf("acta.pdf")]}, format="multipart")
    assert r.status_code == 201 and r.json()["adjuntos"][0]["nombre"] == "acta.pdf"


def test_cesion_aceptada_por_el_software_del_cesionario(api, con_saldos, cliente_token):
    cesionario = UsuarioOperadorFactory()
    aut = SolicitudFactory(operador=cesionario.operador, aprobada=True)
    garantia = GarantiaFactory(autorizacion=aut)
    CodigoInsumoFactory(operador=cesionario.operador, codigo="TEJ-1", subpartida="5208120000", unidad="m")
    datos = cuerpo(
        con_saldos, tipo="cesion", lineas=[{"insumo": "TELA-01", "cantidad": "200"}], cesionario_ruc=cesionario.operador.ruc
    )
    anexo = api.post(f"{BASE}/", datos, format="json").json()
    assert anexo["estado"] == "pendiente_aceptacion"
    suyo = cliente_token(cesionario)
    assert suyo.get(f"{BASE}/{anexo['id']}/").status_code == 200
    r = suyo.post(f"{BASE}/{anexo['id']}/aceptar-cesion/", {"garantia": garantia.numero}, format="json")
    assert r.status_code == 200 and r.json()["estado"] == "aplicado"
    assert SaldoInsumo.objects.get(operador=cesionario.operador).saldo == 200
    assert cliente_token(UsuarioOperadorFactory()).get(f"{BASE}/{anexo['id']}/").status_code == 404


def test_correccion_por_api(api, con_saldos, senae):
    anexo = api.post(f"{BASE}/", cuerpo(con_saldos), format="json").json()
    r = api.post(
        f"{BASE}/{anexo['id']}/solicitar-correccion/",
        {"motivo": "x", "lineas": [{"producto": "CAM-001", "cantidad": "90"}]},
        format="json",
    )
    assert (r.status_code, r.json()["code"]) == (409, "transicion_no_permitida")  # not applied yet
    anexo_transicionar(anexo_id=anexo["id"], accion="aceptar", por=senae)
    r = api.post(
        f"{BASE}/{anexo['id']}/solicitar-correccion/",
        {"motivo": "Eran 90", "lineas": [{"producto": "CAM-001", "cantidad": "90"}]},
        format="json",
    )
    assert r.status_code == 200 and r.json()["estado"] == "correccion_solicitada"
    assert [li["correccion"] for li in r.json()["lineas"]] == [None, 1]


def test_lista_con_consultas_constantes(api, con_saldos):
    api.get(f"{BASE}/")

    def consultas():
        with CaptureQueriesContext(connection) as c:
            api.get(f"{BASE}/")
        return len(c)

    api.post(f"{BASE}/", cuerpo(con_saldos, n=1), format="json")
    pocas = consultas()
    for n in range(2, 8):
        api.post(f"{BASE}/", cuerpo(con_saldos, n=n, lineas=[{"producto": "CAM-001", "cantidad": "1"}]), format="json")
    assert consultas() == pocas
