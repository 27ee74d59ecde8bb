"""Régimen 21 API (authorization, guarantees, codes) as agent software uses it: scoping to delegating
operators, precise errors with stable codes, the documented schema and constant query counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from perfeccionamiento.models import Garantia, SolicitudAutorizacion
from tests.factories import OperadorFactory, UsuarioOperadorFactory
from tramites.models import Delegacion

from .factories import CodigoInsumoFactory, CodigoProductoFactory, GarantiaFactory, SolicitudFactory, pdf

pytestmark = pytest.mark.django_db
BASE = "/api/v1/regimen21"
CAMPOS = {
    "modalidad": "maquila",
    "operacion": "elaboracion",
    "descripcion_proceso": "Confección de camisas de algodón: corte automático, costura industrial y planchado.",
    "mercancias": "Tela de algodón 5208.12",
    "productos": "Camisas 6205.20",
    "plazo_solicitado_meses": 12,
}


@pytest.fixture
def agente_api(oce, agente_de, cliente_token):
    return cliente_token(agente_de(oce.operador))


def test_agente_presenta_una_solicitud_de_punta_a_punta(agente_api, oce):
    r = agente_api.post(f"{BASE}/solicitudes/", {**CAMPOS, "operador_ruc": oce.operador.ruc}, format="json")
    assert r.status_code == 201, r.json()
    sid = r.json()["id"]
    assert r.json()["estado"] == "borrador" and r.json()["operador"]["ruc"] == oce.operador.ruc
    r = agente_api.post(f"{BASE}/solicitudes/{sid}/presentar/", {}, format="json")
    assert (r.status_code, r.json()["code"]) == (400, "invalido")
    assert r.json()["errors"] == {"adjuntos": ["Adjunte al menos un documento que acredite el proceso productivo."]}
    r = agente_api.post(f"{BASE}/solicitudes/{sid}/adjuntos/", {"adjuntos": [pdf()]}, format="multipart")
    assert r.status_code == 200 and len(r.json()["adjuntos"]) == 1
    r = agente_api.post(f"{BASE}/solicitudes/{sid}/presentar/", {}, format="json")
    assert r.status_code == 200
    cuerpo = r.json()
    assert cuerpo["estado"] == "enviada" and cuerpo["numero"].startswith("SOL21-")
    assert [t["transicion"] for t in cuerpo["transiciones"]] == ["presentar"]
    r = agente_api.post(f"{BASE}/solicitudes/{sid}/presentar/", {}, format="json")
    assert (r.status_code, r.json()["code"]) == (409, "transicion_no_permitida")
    assert "Enviada" in r.json()["message"]


@pytest.mark.parametrize(
    ("ruc", "mensaje"),
    [
        ("1763154690001", "El RUC no es válido: el dígito verificador no coincide."),
        ("179008578", "El RUC debe tener 13 dígitos."),
        ("17900857830AB", "El RUC solo puede contener dígitos."),
    ],
)
def test_ruc_invalido_es_un_400_preciso(agente_api, ruc, mensaje):
    r = agente_api.post(f"{BASE}/solicitudes/", {**CAMPOS, "operador_ruc": ruc}, format="json")
    assert r.status_code == 400
    assert r.json()["code"] == "invalido"
    assert r.json()["errors"]["operador_ruc"] == [mensaje]
    assert not SolicitudAutorizacion.objects.exists()


def test_agente_sin_delegacion_de_ese_operador(agente_api):
    otro = OperadorFactory()
    r = agente_api.post(f"{BASE}/solicitudes/", {**CAMPOS, "operador_ruc": otro.ruc}, format="json")
    assert (r.status_code, r.json()["code"]) == (403, "permiso_denegado")
    r = agente_api.post(f"{BASE}/solicitudes/", CAMPOS, format="json")
    assert r.json()["errors"] == {"operador_ruc": ["Indique el RUC del operador por el que actúa."]}


def test_alcance_del_agente_termina_con_la_delegacion(agente_api, oce):
    propia = SolicitudFactory(operador=oce.operador)
    ajena = SolicitudFactory()
    r = agente_api.get(f"{BASE}/solicitudes/")
    assert [s["id"] for s in r.json()["results"]] == [propia.pk]
    assert agente_api.get(f"{BASE}/solicitudes/{ajena.pk}/").status_code == 404
    Delegacion.objects.update(hasta=timezone.localdate() - timedelta(days=1))
    assert agente_api.get(f"{BASE}/solicitudes/").json()["results"] == []
    r = agente_api.get(f"{BASE}/solicitudes/{propia.pk}/")
    assert (r.status_code, r.json()["code"]) == (404, "no_encontrado")


def test_operador_solo_ve_lo_suyo(cliente_token, oce):
    propia, ajena = GarantiaFactory(autorizacion__operador=oce.operador), GarantiaFactory()
    api = cliente_token(oce)
    assert [g["id"] for g in api.get(f"{BASE}/garantias/").json()["results"]] == [propia.pk]
    assert api.get(f"{BASE}/garantias/{ajena.pk}/").status_code == 404
    assert api.post(f"{BASE}/garantias/{ajena.pk}/anular/", {}, format="json").status_code == 404


def test_segunda_prorroga_es_409(cliente_token, oce):
    s = SolicitudFactory(operador=oce.operador, aprobada=True, prorroga_meses=3, prorroga_resuelta=True)
    api = cliente_token(oce)
    r = api.post(f"{BASE}/solicitudes/{s.pk}/solicitar-prorroga/", {"meses": 3, "comentario": "Otra"}, format="json")
    assert r.status_code == 409
    assert r.json() == {
        "code": "prorroga_ya_solicitada",
        "message": f"La autorización {s.numero_autorizacion} ya usó su única prórroga.",
        "errors": {},
    }


def test_garantia_por_api_multipart_y_vencida(cliente_token, oce):
    s = SolicitudFactory(operador=oce.operador, aprobada=True)
    api = cliente_token(oce)
    hoy = timezone.localdate()
    datos = {
        "autorizacion": s.pk,
        "tipo": "general",
        "forma": "poliza",
        "entidad_emisora": "Seguros Equinoccial S.A.",
        "numero_documento": "PA-77",
        "monto": "120000.00",
        "vigencia_desde": (hoy - timedelta(days=400)).isoformat(),
        "vigencia_hasta": (hoy - timedelta(days=2)).isoformat(),
    }
    r = api.post(f"{BASE}/garantias/", {**datos, "adjuntos": [pdf("poliza.pdf")]}, format="multipart")
    assert (r.status_code, r.json()["code"]) == (409, "garantia_vencida")
    assert list(r.json()["errors"]) == ["vigencia_hasta"]
    datos["vigencia_hasta"] = (hoy + timedelta(days=300)).isoformat()
    r = api.post(f"{BASE}/garantias/", {**datos, "adjuntos": [pdf("poliza.pdf")]}, format="multipart")
    assert r.status_code == 201, r.json()
    assert r.json()["estado"] == "solicitada" and r.json()["monto"] == "120000.00"
    r = api.post(f"{BASE}/garantias/", datos, format="multipart")
    assert r.json()["errors"]["adjuntos"]
    ajena = SolicitudFactory(aprobada=True)  # another operator's authorization
    r = api.post(f"{BASE}/garantias/", {**datos, "autorizacion": ajena.pk, "adjuntos": [pdf("poliza.pdf")]}, format="multipart")
    assert (r.status_code, r.json()) == (
        400,
        {
            "code": "invalido",
            "message": "Los datos enviados no son válidos.",
            "errors": {"autorizacion": ["La solicitud no existe o no está a su alcance."]},
        },
    )
    assert not Garantia.objects.filter(autorizacion=ajena).exists()


def test_coeficiente_no_positivo_es_400_por_linea(cliente_token, oce):
    producto = CodigoProductoFactory(operador=oce.operador)
    CodigoInsumoFactory(operador=oce.operador, codigo="TELA-01")
    api = cliente_token(oce)
    cuerpo = {
        "vigente_desde": timezone.localdate().isoformat(),
        "justificacion": "Prueba",
        "coeficientes": [{"insumo": "TELA-01", "coeficiente": "1.5"}, {"insumo": "TELA-01", "coeficiente": "0"}],
    }
    r = api.post(f"{BASE}/codigos-producto/{producto.pk}/versiones/", cuerpo, format="json")
    assert r.status_code == 400
    assert r.json()["errors"]["coeficientes"] == {"1": {"coeficiente": ["El coeficiente debe ser mayor que cero."]}}
    cuerpo["coeficientes"] = [{"insumo": "TELA-01", "coeficiente": "1.5", "desperdicio": "0.2"}]
    r = api.post(f"{BASE}/codigos-producto/{producto.pk}/versiones/", cuerpo, format="json")
    assert r.status_code == 201
    assert r.json()["coeficientes"] == [{"insumo": "TELA-01", "coeficiente": "1.50000000", "desperdicio": "0.20000000"}]
    assert api.get(f"{BASE}/codigos-producto/{producto.pk}/versiones/").json()[0]["numero"] == 1


def test_registrar_codigo_con_subpartida_invalida(cliente_token, oce):
    api = cliente_token(oce)
    r = api.post(
        f"{BASE}/codigos-insumo/", {"codigo": "tela-1", "descripcion": "Tela", "subpartida": "52081200X0", "unidad": "m"}
    )
    assert r.json()["errors"] == {"subpartida": ["La subpartida arancelaria tiene 10 dígitos, sin puntos."]}
    r = api.post(
        f"{BASE}/codigos-insumo/", {"codigo": "tela-1", "descripcion": "Tela", "subpartida": "5208120000", "unidad": "m"}
    )
    assert r.status_code == 201 and r.json()["codigo"] == "TELA-1"


def test_listas_con_consultas_constantes(cliente_token):
    usuario = UsuarioOperadorFactory()
    api = cliente_token(usuario)
    api.get(f"{BASE}/solicitudes/")  # the token's first use records `ultimo_uso` (one UPDATE, once)

    def consultas(ruta):
        with CaptureQueriesContext(connection) as c:
            assert api.get(ruta).status_code == 200
        return len(c)

    for ruta, fabrica in [
        (f"{BASE}/solicitudes/", lambda: SolicitudFactory(operador=usuario.operador)),
        (f"{BASE}/garantias/", lambda: GarantiaFactory(autorizacion__operador=usuario.operador)),
        (f"{BASE}/codigos-producto/", lambda: CodigoProductoFactory(operador=usuario.operador)),
    ]:
        for _ in range(3):
            fabrica()
        pocas = consultas(ruta)
        for _ in range(12):
            fabrica()
        assert consultas(ruta) == pocas, ruta


def test_esquema_documenta_endpoints_y_errores(client):
    esquema = client.get("/api/schema/?format=json").json()
    rutas = esquema["paths"]
    crear = rutas["/api/v1/regimen21/solicitudes/"]["post"]
    assert {"400", "401", "403", "409"} <= set(crear["responses"])
    assert "multipart/form-data" in rutas["/api/v1/regimen21/garantias/"]["post"]["requestBody"]["content"]
    for ruta in [
        "/api/v1/regimen21/solicitudes/{id}/solicitar-prorroga/",
        "/api/v1/regimen21/garantias/{id}/solicitar-modificacion/",
        "/api/v1/regimen21/codigos-producto/{id}/versiones/",
    ]:
        assert "404" in rutas[ruta]["post"]["responses"], ruta
