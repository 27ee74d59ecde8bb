"""What schemathesis and the benchmarks found, pinned down: strict paging parameters, integer and boolean filters,
405 before idempotency, and the DAI list's queries (no items, no six-table join)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from perfeccionamiento.services.dai import dai_crear
from tramites.models import SolicitudIdempotente

pytestmark = pytest.mark.django_db
DAIS = "/api/v1/regimen21/dais/"


@pytest.fixture
def api(escenario, cliente_token):
    return cliente_token(escenario.agente)


@pytest.mark.parametrize("consulta", ["page_size=0", "page_size=abc", "page_size=null&page_size=null", "cursor=zzz"])
def test_parametros_de_pagina_invalidos_son_400(api, consulta):
    r = api.get(f"{DAIS}?{consulta}")
    assert r.status_code == 400
    assert r.json()["code"] == "invalido" and set(r.json()["errors"]) <= {"page_size", "cursor"}


def test_page_size_valido_y_recortado(api, escenario):
    for _ in range(3):
        dai_crear(por=escenario.agente, lineas=[escenario.linea(cantidad="1", fob="10")], **escenario.cabecera())
    assert len(api.get(f"{DAIS}?page_size=2").json()["results"]) == 2
    assert len(api.get(f"{DAIS}?page_size=5000").json()["results"]) == 3


@pytest.mark.parametrize(
    ("ruta", "codigo"),
    [
        ("/api/v1/regimen21/saldos/?dai=0.5", 400),
        ("/api/v1/regimen21/movimientos/?insumo=1.5", 400),
        ("/api/v1/regimen21/saldos/?abiertos=quizas", 400),
        ("/api/v1/regimen21/saldos/?abiertos=true", 200),
        ("/api/v1/regimen21/saldos/?abiertos=", 200),
        ("/api/v1/regimen21/dais/?estado=", 200),
    ],
)
def test_filtros_estrictos(api, ruta, codigo):
    assert api.get(ruta).status_code == codigo


def test_metodo_no_permitido_responde_405_aunque_la_clave_ya_se_haya_usado(api):
    api.post(f"{DAIS}1/transmitir/", format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    r = api.put(f"{DAIS}1/transmitir/", {}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert r.status_code == 405 and r.json()["code"] == "metodo_no_permitido"
    assert api.post("/api/v1/no-existe/", {}, format="json", HTTP_IDEMPOTENCY_KEY="k-2").status_code == 404
    assert not SolicitudIdempotente.objects.filter(clave="k-2").exists()


def test_lista_de_dai_sin_items_y_con_consultas_fijas(api, escenario):
    api.get(DAIS)  # first use of the token
    for _ in range(3):
        dai_crear(por=escenario.agente, lineas=[escenario.linea(), escenario.linea(escenario.boton)], **escenario.cabecera())
    with CaptureQueriesContext(connection) as c:
        filas = api.get(DAIS).json()["results"]
    assert len(filas) == 3 and filas[0]["autorizacion"] == escenario.autorizacion.numero_autorizacion
    assert filas[0]["garantia"] == escenario.garantia.numero and filas[0]["agente"]
    sql = [q["sql"] for q in c.captured_queries]
    assert len(sql) == 6  # token, DAI (+ operator), agencies, districts, authorizations, guarantees
    assert not any("perfeccionamiento_lineadai" in s for s in sql)
    assert sum(s.count(" JOIN ") for s in sql) == 2  # the token with its user, the DAI with its operator


def test_alta_de_dai_responde_sin_una_consulta_por_item(api, escenario):
    from tests.perfeccionamiento.test_api_dai import cuerpo

    api.post(DAIS, cuerpo(escenario), format="json")
    consultas = {}
    for n in (1, 4):
        datos = cuerpo(escenario, lineas=[escenario.linea(cantidad="1", fob="10") for _ in range(n)])
        with CaptureQueriesContext(connection) as c:
            assert api.post(DAIS, datos, format="json").status_code == 201
        consultas[n] = sum('FROM "perfeccionamiento_codigoinsumo"' in q["sql"] for q in c.captured_queries)
    assert consultas[1] == consultas[4]


def test_ruta_inexistente_bajo_la_api_responde_json(api, client):
    r = api.get(f"{DAIS}1.5/")
    assert (r.status_code, r["Content-Type"], r.json()["code"]) == (404, "application/json", "no_encontrado")
    assert client.get("/no-existe/")["Content-Type"].startswith("text/html")


def test_detalle_de_ticket_sin_unir_la_tabla_consigo_misma(cliente_token):
    from mesa_servicios.catalogo import asegurar_catalogo
    from mesa_servicios.models import Motivo
    from mesa_servicios.services.tickets import ticket_agregar_mensaje, ticket_registrar
    from tests.factories import UsuarioFactory

    asegurar_catalogo()
    usuario = UsuarioFactory()
    api = cliente_token(usuario)
    ticket = ticket_registrar(
        tipo="consulta", solicitante=usuario, asunto="Horario", motivo=Motivo.objects.get(codigo="otros"),
        descripcion="¿Cuál es el horario de atención telefónica de la Mesa?",
    )  # fmt: skip
    ruta = f"/api/v1/mesa/tickets/{ticket.numero}/"
    ticket_agregar_mensaje(ticket_id=ticket.pk, autor=usuario, texto="Primer dato.")
    api.get(ruta)  # first use of the token and of the content types' cache
    cuentas = []
    for i in (1, 8):
        for j in range(i):
            ticket_agregar_mensaje(ticket_id=ticket.pk, autor=usuario, texto=f"Dato adicional {i}.{j}.")
        with CaptureQueriesContext(connection) as c:
            assert api.get(ruta).json()["numero"] == ticket.numero
        cuentas.append(len(c))
        principal = next(q["sql"] for q in c.captured_queries if 'FROM "mesa_servicios_ticket"' in q["sql"])
        assert principal.count(" JOIN ") == 3  # area, motivo, distrito: no users, no ticket joined to itself
    assert cuentas[0] == cuentas[1]
