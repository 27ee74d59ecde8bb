import pytest

from tests.factories import DelegacionFactory, FuncionarioFactory, UsuarioAgenteFactory, UsuarioOperadorFactory


@pytest.fixture
def oce(db):
    """A user of an enabled operator (a private company, domiciled in Ecuador)."""
    return UsuarioOperadorFactory()


@pytest.fixture
def senae(db):
    """An official of Regímenes Especiales."""
    return FuncionarioFactory()


@pytest.fixture
def agente_de(db):
    """A customs agency's user with an active delegation from the given operator."""

    def _agente(operador, **delegacion):
        usuario = UsuarioAgenteFactory()
        DelegacionFactory(operador=operador, agente=usuario.agente, **delegacion)
        return usuario

    return _agente
