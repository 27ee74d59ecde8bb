"""Scoping matrix: who sees which operator's data, in selectors and in the API."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import DelegacionFactory, OperadorFactory
from tramites.selectors import alcance_operador, delegaciones_listar, operadores_listar, puede_ver_operador

pytestmark = pytest.mark.django_db
HOY = timezone.localdate


def test_operador_solo_ve_su_empresa(usuario_operador):
    otro = OperadorFactory()
    visibles = set(operadores_listar(usuario=usuario_operador))
    assert visibles == {usuario_operador.operador}
    assert not puede_ver_operador(usuario_operador, otro.pk)


def test_agente_ve_delegantes_solo_con_delegacion_activa(usuario_agente):
    activa = DelegacionFactory(agente=usuario_agente.agente).operador
    futura = DelegacionFactory(agente=usuario_agente.agente, desde=HOY() + timedelta(days=1)).operador
    vencida = DelegacionFactory(
        agente=usuario_agente.agente, desde=HOY() - timedelta(days=90), hasta=HOY() - timedelta(days=1)
    ).operador
    revocada = DelegacionFactory(agente=usuario_agente.agente, revocada_en=timezone.now()).operador
    de_otro_agente = DelegacionFactory().operador
    ultimo_dia = DelegacionFactory(agente=usuario_agente.agente, hasta=HOY()).operador
    visibles = set(operadores_listar(usuario=usuario_agente))
    assert visibles == {activa, ultimo_dia}
    for invisible in (futura, vencida, revocada, de_otro_agente):
        assert not puede_ver_operador(usuario_agente, invisible.pk)
    # The same delegation read on another day: tomorrow the one ending today no longer counts.
    manana = HOY() + timedelta(days=1)
    from tramites.models import Operador

    assert set(alcance_operador(Operador.objects.all(), usuario=usuario_agente, campo="pk", al=manana)) == {
        activa,
        futura,
    }


def test_funcionario_ve_todo(funcionario):
    OperadorFactory.create_batch(3)
    assert operadores_listar(usuario=funcionario).count() == 3


def test_ciudadano_no_ve_operadores(ciudadano):
    OperadorFactory()
    assert not operadores_listar(usuario=ciudadano).exists()


def test_delegaciones_visibles_por_cada_parte(delegacion, usuario_operador, usuario_agente, ciudadano):
    DelegacionFactory()
    assert list(delegaciones_listar(usuario=usuario_operador)) == [delegacion]
    assert list(delegaciones_listar(usuario=usuario_agente)) == [delegacion]
    assert not delegaciones_listar(usuario=ciudadano).exists()


@pytest.mark.parametrize("rol", ["operador", "agente", "agente_sin_delegacion", "ciudadano", "funcionario"])
def test_api_operadores_respeta_el_alcance(
    rol, cliente_token, delegacion, usuario_operador, usuario_agente, ciudadano, funcionario
):
    from tests.factories import UsuarioAgenteFactory

    ajeno = OperadorFactory()
    usuario = {
        "operador": usuario_operador,
        "agente": usuario_agente,
        "agente_sin_delegacion": UsuarioAgenteFactory(),
        "ciudadano": ciudadano,
        "funcionario": funcionario,
    }[rol]
    cliente = cliente_token(usuario)
    ids = {o["id"] for o in cliente.get("/api/v1/operadores/").json()["results"]}
    esperado = {
        "operador": {delegacion.operador_id},
        "agente": {delegacion.operador_id},
        "agente_sin_delegacion": set(),
        "ciudadano": set(),
        "funcionario": {delegacion.operador_id, ajeno.pk},
    }[rol]
    assert ids == esperado
    detalle = cliente.get(f"/api/v1/operadores/{ajeno.pk}/")
    assert detalle.status_code == (200 if rol == "funcionario" else 404)
    if detalle.status_code == 404:
        assert detalle.json()["code"] == "no_encontrado"
