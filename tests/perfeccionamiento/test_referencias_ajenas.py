"""Write bodies that reference another operator's records (issue 15.8): answered exactly like a reference to a
record that does not exist (same status, code, message and field errors), and nothing is saved."""

from datetime import timedelta

import pytest
from django.utils import timezone

from perfeccionamiento.models import DAI, Garantia
from tests.factories import OperadorFactory

from .factories import CodigoInsumoFactory, GarantiaFactory, SolicitudFactory, pdf
from .test_api_dai import cuerpo

pytestmark = pytest.mark.django_db
BASE = "/api/v1/regimen21"


def _ajenas():
    """An approved authorisation and its guarantee of an operator that did not delegate to the agency."""
    aut = SolicitudFactory(operador=OperadorFactory(), aprobada=True)
    return aut, GarantiaFactory(autorizacion=aut)


def _sin_valor(respuesta, valor_ajeno, valor_inexistente):
    """The JSON answer with the referenced value itself (echoed in the message) replaced by a placeholder."""
    texto = respuesta.content.decode()
    return respuesta.status_code, texto.replace(valor_ajeno, "«ref»").replace(valor_inexistente, "«ref»")


@pytest.mark.parametrize("transmitir", [False, True])
@pytest.mark.parametrize("campo", ["autorizacion", "garantia"])
def test_dai_con_autorizacion_o_garantia_ajena_responde_como_inexistente(cliente_token, escenario, campo, transmitir):
    api = cliente_token(escenario.agente)
    aut, gar = _ajenas()
    ajena = aut.numero_autorizacion if campo == "autorizacion" else gar.numero
    inexistente = "AUT21-2026-999999" if campo == "autorizacion" else "GAR21-2026-999999"
    mala = [{**escenario.linea(), "cantidad": "0"}]  # another error in the same body: errors come at the same stage
    r_ajena, r_nada = (
        api.post(f"{BASE}/dais/", cuerpo(escenario, transmitir=transmitir, lineas=mala, **{campo: v}), format="json")
        for v in (ajena, inexistente)
    )
    assert r_ajena.status_code == 400
    assert _sin_valor(r_ajena, ajena, inexistente) == _sin_valor(r_nada, ajena, inexistente)
    assert r_ajena.json()["code"] == "invalido"
    assert campo in r_ajena.json()["errors"]
    assert not DAI.objects.exists()


def test_borrador_no_referencia_la_autorizacion_de_otro_cliente_de_la_agencia(cliente_token, escenario, agente_de):
    """The agency sees both operators' records; a draft of one still cannot use the other's authorisation."""
    from tests.factories import DelegacionFactory

    aut, gar = _ajenas()
    DelegacionFactory(operador=aut.operador, agente=escenario.agente.agente)
    api = cliente_token(escenario.agente)
    for campo, valor, mensaje in [
        ("autorizacion", aut.numero_autorizacion, f"No existe la autorización «{aut.numero_autorizacion}» de este operador."),
        ("garantia", gar.numero, f"No existe la garantía «{gar.numero}» de este operador."),
    ]:
        r = api.post(f"{BASE}/dais/", cuerpo(escenario, transmitir=False, **{campo: valor}), format="json")
        assert (r.status_code, r.json()) == (
            400,
            {"code": "invalido", "message": "Los datos enviados no son válidos.", "errors": {campo: [mensaje]}},
        )
    assert not DAI.objects.exists()


def test_editar_borrador_con_referencia_ajena_responde_como_inexistente(cliente_token, escenario):
    api = cliente_token(escenario.agente)
    borrador = api.post(f"{BASE}/dais/", cuerpo(escenario, transmitir=False), format="json").json()
    aut, gar = _ajenas()
    r_ajena = api.patch(f"{BASE}/dais/{borrador['id']}/", {"garantia": gar.numero}, format="json")
    r_nada = api.patch(f"{BASE}/dais/{borrador['id']}/", {"garantia": "GAR21-2026-999999"}, format="json")
    assert r_ajena.status_code == 400
    assert _sin_valor(r_ajena, gar.numero, "GAR21-2026-999999") == _sin_valor(r_nada, gar.numero, "GAR21-2026-999999")
    assert DAI.objects.get(pk=borrador["id"]).garantia_id == escenario.garantia.pk


def test_insumo_de_otro_operador_en_un_item_responde_como_inexistente(cliente_token, escenario):
    """Regression guard (this one already held): an input code is looked up among the operator's own."""
    api = cliente_token(escenario.agente)
    ajeno = CodigoInsumoFactory(operador=OperadorFactory(), codigo="AJENO-01", subpartida="5208120000", unidad="m")
    r_ajeno = api.post(f"{BASE}/dais/", cuerpo(escenario, lineas=[escenario.linea(ajeno)]), format="json")
    r_nada = api.post(
        f"{BASE}/dais/", cuerpo(escenario, lineas=[{**escenario.linea(ajeno), "insumo": "NO-EXISTE"}]), format="json"
    )
    assert r_ajeno.status_code == 400
    assert _sin_valor(r_ajeno, "AJENO-01", "NO-EXISTE") == _sin_valor(r_nada, "AJENO-01", "NO-EXISTE")
    assert not DAI.objects.exists()


def test_garantia_sobre_solicitud_ajena_responde_como_inexistente(cliente_token, oce):
    api = cliente_token(oce)
    hoy = timezone.localdate()
    ajena = SolicitudFactory(aprobada=True)
    datos = {
        "tipo": "general",
        "forma": "poliza",
        "entidad_emisora": "Seguros Equinoccial S.A.",
        "numero_documento": "PA-77",
        "monto": "0",  # and a second error in the same body
        "vigencia_desde": hoy.isoformat(),
        "vigencia_hasta": (hoy + timedelta(days=300)).isoformat(),
    }
    r_ajena = api.post(f"{BASE}/garantias/", {**datos, "autorizacion": ajena.pk, "adjuntos": [pdf("p.pdf")]}, format="multipart")
    r_nada = api.post(f"{BASE}/garantias/", {**datos, "autorizacion": 999999, "adjuntos": [pdf("p.pdf")]}, format="multipart")
    assert r_ajena.status_code == 400
    assert r_ajena.json() == r_nada.json()
    assert r_ajena.json()["errors"]["autorizacion"] == ["La solicitud no existe o no está a su alcance."]
    assert not Garantia.objects.filter(operador=oce.operador).exists()
