"""DAI 21 and ledger API as agent software uses it: transmission with per-field errors, idempotent retries,
signed webhooks on each state change, scoping, CSV exports and constant query counts."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from perfeccionamiento.models import DAI, ReglaCanal, SaldoInsumo
from tests.factories import UsuarioOperadorFactory
from tramites.models import Delegacion, EntregaWebhook
from tramites.webhooks import verificar_firma

pytestmark = pytest.mark.django_db
BASE = "/api/v1/regimen21"


def cuerpo(esc, **extra):
    return {
        "operador_ruc": esc.oce.operador.ruc,
        "distrito": "028",
        "autorizacion": esc.autorizacion.numero_autorizacion,
        "garantia": esc.garantia.numero,
        "documento_transporte": "MSCU1234567",
        "lineas": [{**esc.linea(), "seguro": "100.00"}],
        **extra,
    }


@pytest.fixture
def api(escenario, cliente_token):
    return cliente_token(escenario.agente)


def test_transmitir_por_api(api, escenario):
    r = api.post(f"{BASE}/dais/", cuerpo(escenario), format="json")
    assert r.status_code == 201, r.json()
    d = r.json()
    assert (d["estado"], d["canal"], d["total_suspendido"]) == ("salida_autorizada", "automatico", "2951.18")
    assert d["lineas"][0]["iva"] == "1806.68"
    assert [t["transicion"] for t in d["transiciones"]] == ["transmitir", "autorizar_salida_automatica"]


def test_errores_de_transmision_por_campo(api, escenario):
    lineas = [{**escenario.linea(), "subpartida": "5208110000"}, {**escenario.linea(), "cantidad": "0"}]
    r = api.post(f"{BASE}/dais/", cuerpo(escenario, lineas=lineas, garantia="GAR21-NO-EXISTE"), format="json")
    assert r.status_code == 400
    errores = r.json()["errors"]
    assert "garantia" in errores
    assert errores["lineas"] == {"1": {"cantidad": ["Asegúrese de que este valor es mayor o igual a 0.000001."]}}
    r = api.post(f"{BASE}/dais/", cuerpo(escenario, lineas=[lineas[0]]), format="json")
    assert r.status_code == 400 and r.json()["code"] == "validacion_transmision"
    assert r.json()["errors"] == {
        "lineas.0.subpartida": ["Ítem 1: la subpartida 5208110000 no coincide con la del insumo TELA-01 (5208120000)."]
    }
    assert not DAI.objects.exists()


def test_reintento_idempotente_no_duplica(api, escenario):
    datos = cuerpo(escenario)
    r1 = api.post(f"{BASE}/dais/", datos, format="json", HTTP_IDEMPOTENCY_KEY="dai-0001")
    r2 = api.post(f"{BASE}/dais/", datos, format="json", HTTP_IDEMPOTENCY_KEY="dai-0001")
    assert r1.status_code == r2.status_code == 201
    assert r1.json()["numero"] == r2.json()["numero"] and r2["Idempotent-Replayed"] == "true"
    assert DAI.objects.count() == 1 and SaldoInsumo.objects.count() == 1
    r3 = api.post(f"{BASE}/dais/", {**datos, "documento_transporte": "OTRO"}, format="json", HTTP_IDEMPOTENCY_KEY="dai-0001")
    assert (r3.status_code, r3.json()["code"]) == (422, "idempotency_key_reutilizada")


def test_aforo_observacion_y_correccion_por_api(api, escenario, aforo):
    from perfeccionamiento.services.dai import dai_transicionar

    ReglaCanal.objects.create(nombre="Todo a documental", prioridad=1, canal="documental")
    dai = api.post(f"{BASE}/dais/", cuerpo(escenario), format="json").json()
    assert dai["estado"] == "en_aforo"
    dai_transicionar(dai_id=dai["id"], accion="observar", por=aforo, comentario="Falta la factura.")
    r = api.post(
        f"{BASE}/dais/{dai['id']}/corregir/",
        {"comentario": "Adjunta", "lineas": [escenario.linea(cantidad="990")]},
        format="json",
    )
    assert r.status_code == 200 and r.json()["estado"] == "en_aforo"
    assert r.json()["lineas"][0]["cantidad"] == "990.000000"
    r = api.post(f"{BASE}/dais/{dai['id']}/corregir/", {"lineas": [escenario.linea()]}, format="json")
    assert (r.status_code, r.json()["code"]) == (409, "transicion_no_permitida")


def test_borrador_editar_y_transmitir(api, escenario):
    r = api.post(f"{BASE}/dais/", cuerpo(escenario, transmitir=False), format="json")
    assert r.json()["estado"] == "borrador" and r.json()["numero"] is None
    dai_id = r.json()["id"]
    r = api.patch(f"{BASE}/dais/{dai_id}/", {"documento_transporte": "HLCU999"}, format="json")
    assert r.json()["documento_transporte"] == "HLCU999"
    r = api.post(f"{BASE}/dais/{dai_id}/transmitir/", format="json")
    assert r.json()["estado"] == "salida_autorizada"


class _Receptor(BaseHTTPRequestHandler):
    recibidas: list = []

    def do_POST(self):
        type(self).recibidas.append((self.headers, self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_webhook_firmado_en_cada_cambio_de_estado(api, escenario, aforo, django_capture_on_commit_callbacks):
    from perfeccionamiento.services.dai import dai_transicionar

    _Receptor.recibidas = []
    servidor = HTTPServer(("127.0.0.1", 0), _Receptor)
    threading.Thread(target=servidor.serve_forever, daemon=True).start()
    try:
        agencia = escenario.agente.agente
        agencia.webhook_url = f"http://127.0.0.1:{servidor.server_port}/hook"
        agencia.save()
        ReglaCanal.objects.create(nombre="Físico", prioridad=1, canal="fisico")
        with django_capture_on_commit_callbacks(execute=True):
            dai = api.post(f"{BASE}/dais/", cuerpo(escenario), format="json").json()
        with django_capture_on_commit_callbacks(execute=True):
            dai_transicionar(dai_id=dai["id"], accion="autorizar_salida", por=aforo)
    finally:
        servidor.shutdown()
    eventos = [h["X-SENAE-Evento"] for h, _ in _Receptor.recibidas]
    assert eventos == [
        "perfeccionamiento.dai.transmitir",
        "perfeccionamiento.dai.enviar_a_aforo",
        "perfeccionamiento.dai.autorizar_salida",
    ]
    for cabeceras, cuerpo_http in _Receptor.recibidas:
        assert verificar_firma(agencia.webhook_secreto, cabeceras["X-SENAE-Timestamp"], cuerpo_http, cabeceras["X-SENAE-Firma"])
    assert json.loads(_Receptor.recibidas[-1][1])["registro"]["numero"] == dai["numero"]
    assert EntregaWebhook.objects.filter(estado="entregada").count() == 3


def test_alcance_y_consultas_de_existencias(api, escenario, cliente_token):
    api.post(f"{BASE}/dais/", cuerpo(escenario), format="json")
    existencias = api.get(f"{BASE}/existencias/").json()["results"]
    assert [(e["codigo"], e["saldo"], e["lotes_abiertos"]) for e in existencias] == [("TELA-01", "1000.000000", 1)]
    lote = api.get(f"{BASE}/saldos/?abiertos=true").json()["results"][0]
    assert (lote["insumo"], lote["saldo"], lote["tributos_del_saldo"]) == ("TELA-01", "1000.000000", "2951.18")
    movimientos = api.get(f"{BASE}/saldos/{lote['id']}/movimientos/").json()
    assert [(m["tipo"], m["cantidad"]) for m in movimientos] == [("ingreso", "1000.000000")]
    csv = b"".join(api.get(f"{BASE}/saldos/exportar/").streaming_content).decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("RUC,DAI,ítem") and "TELA-01" in csv
    otro = cliente_token(UsuarioOperadorFactory())
    assert otro.get(f"{BASE}/existencias/").json()["results"] == []
    assert otro.get(f"{BASE}/saldos/{lote['id']}/").status_code == 404
    Delegacion.objects.update(hasta=timezone.localdate() - timedelta(days=1))
    assert api.get(f"{BASE}/dais/").json()["results"] == []


def test_listas_con_consultas_constantes(api, escenario):
    def consultas(ruta):
        with CaptureQueriesContext(connection) as c:
            assert api.get(ruta).status_code == 200
        return len(c)

    api.get(f"{BASE}/dais/")  # first use of the token
    api.post(f"{BASE}/dais/", cuerpo(escenario), format="json")
    rutas = [f"{BASE}/dais/", f"{BASE}/saldos/", f"{BASE}/existencias/", f"{BASE}/movimientos/"]
    pocas = {r: consultas(r) for r in rutas}
    for _ in range(8):
        api.post(f"{BASE}/dais/", cuerpo(escenario, lineas=[escenario.linea(), escenario.linea(escenario.boton)]), format="json")
    assert {r: consultas(r) for r in rutas} == pocas
