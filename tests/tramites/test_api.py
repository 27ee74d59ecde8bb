"""REST base: client tokens, one error shape, OpenAPI, cursor pagination, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import DelegacionFactory
from tramites.models import TokenCliente
from tramites.services import token_revocar

pytestmark = pytest.mark.django_db


def test_sin_credenciales_responde_401_con_forma_unica(api_client):
    r = api_client.get("/api/v1/operadores/")
    assert r.status_code == 401
    assert r.json() == {
        "code": "no_autenticado",
        "message": "Debe autenticarse: envíe «Authorization: Token <clave>».",
        "errors": {},
    }


def test_token_valido_y_luego_revocado(api_client, usuario_operador, cliente_token):
    cliente = cliente_token(usuario_operador)
    r = cliente.get("/api/v1/yo/")
    assert r.status_code == 200
    assert r.json()["rol"] == "operador"
    assert r.json()["operador"]["ruc"] == usuario_operador.operador.ruc
    token = TokenCliente.objects.get(usuario=usuario_operador)
    assert token.ultimo_uso is not None
    token_revocar(token_id=token.pk, por=usuario_operador)
    r = cliente.get("/api/v1/yo/")
    assert r.status_code == 401
    assert r.json()["code"] == "autenticacion_fallida"


def test_token_se_guarda_solo_como_hash(usuario_agente):
    from tramites.services import token_crear

    token, clave = token_crear(usuario=usuario_agente, nombre="SIGAD")
    assert clave not in (token.clave_hash, token.prefijo)
    assert token.clave_hash == TokenCliente.hash_de(clave)


def test_metodo_no_permitido_con_codigo_estable(cliente_token, usuario_operador):
    r = cliente_token(usuario_operador).delete("/api/v1/operadores/")
    assert r.status_code == 405
    assert r.json()["code"] == "metodo_no_permitido"


def test_esquema_openapi_documenta_errores(client):
    r = client.get("/api/schema/?format=json")
    assert r.status_code == 200
    esquema = r.json()
    assert esquema["openapi"].startswith("3.")
    assert "Error" in esquema["components"]["schemas"]
    operacion = esquema["paths"]["/api/v1/operadores/{id}/"]["get"]
    assert {"401", "403", "404"} <= set(operacion["responses"])
    assert "tokenCliente" in esquema["components"]["securitySchemes"]


def test_swagger_ui(client):
    assert client.get("/api/docs/").status_code == 200


def test_lista_paginada_por_cursor_con_consultas_constantes(cliente_token, funcionario):
    cliente = cliente_token(funcionario)

    def consultas():
        with CaptureQueriesContext(connection) as ctx:
            r = cliente.get("/api/v1/delegaciones/?page_size=100")
        assert r.status_code == 200
        return len(ctx), r.json()

    DelegacionFactory.create_batch(3)
    consultas()  # first use of the token records `ultimo_uso` once
    pocas, _ = consultas()
    DelegacionFactory.create_batch(30)
    muchas, datos = consultas()
    assert pocas == muchas
    assert "next" in datos and "count" not in datos
