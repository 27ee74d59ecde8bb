import pytest

from tests.factories import (
    DelegacionFactory,
    FuncionarioFactory,
    UsuarioAgenteFactory,
    UsuarioFactory,
    UsuarioOperadorFactory,
)


@pytest.fixture
def usuario_operador(db):
    return UsuarioOperadorFactory()


@pytest.fixture
def usuario_agente(db):
    return UsuarioAgenteFactory()


@pytest.fixture
def funcionario(db):
    return FuncionarioFactory()


@pytest.fixture
def ciudadano(db):
    return UsuarioFactory()


@pytest.fixture
def delegacion(usuario_operador, usuario_agente):
    """usuario_operador's operator delegated to usuario_agente's agency (active)."""
    return DelegacionFactory(operador=usuario_operador.operador, agente=usuario_agente.agente)


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def cliente_token(api_client):
    """An API client authenticated with a real client token of the given user."""
    from tramites.services import token_crear

    def _cliente(usuario):
        _, clave = token_crear(usuario=usuario, nombre="Software de prueba")
        api_client.credentials(HTTP_AUTHORIZATION=f"Token {clave}")
        return api_client

    return _cliente
