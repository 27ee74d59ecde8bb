"""The audited FSM base: transitions allowed and refused, permissions, comments, concurrency, append-only log."""

import pytest
from django.db import DatabaseError, connection, transaction

from tests.factories import FuncionarioFactory, OperadorFactory, UsuarioFactory
from tramites.exceptions import ComentarioRequerido, ConflictoConcurrente, PermisoDenegado, TransicionNoPermitida
from tramites.fsm import transicionar
from tramites.models import Operador, Transicion
from tramites.services import operador_transicionar

pytestmark = pytest.mark.django_db


def test_transicion_cambia_estado_y_registra_quien_cuando_comentario():
    op = OperadorFactory(estado=Operador.Estado.REGISTRADO)
    funcionario = FuncionarioFactory()
    operador_transicionar(operador_id=op.pk, accion="habilitar", funcionario=funcionario, comentario="RUC verificado")
    op.refresh_from_db()
    assert op.estado == Operador.Estado.HABILITADO
    (t,) = Transicion.objects.de(op)
    assert (t.desde, t.hacia, t.por, t.comentario, t.transicion) == (
        "registrado",
        "habilitado",
        funcionario,
        "RUC verificado",
        "habilitar",
    )


def test_estado_protegido_no_se_asigna():
    op = OperadorFactory()
    with pytest.raises(AttributeError):
        op.estado = Operador.Estado.SUSPENDIDO


def test_transicion_desde_estado_equivocado_se_rechaza_sin_guardar():
    op = OperadorFactory(estado=Operador.Estado.HABILITADO)
    with pytest.raises(TransicionNoPermitida) as e:
        operador_transicionar(operador_id=op.pk, accion="habilitar", funcionario=FuncionarioFactory())
    assert e.value.http_status == 409
    assert "Habilitado" in str(e.value)
    assert not Transicion.objects.de(op).exists()


def test_sin_permiso_se_rechaza():
    op = OperadorFactory(estado=Operador.Estado.REGISTRADO)
    with pytest.raises(PermisoDenegado):
        operador_transicionar(operador_id=op.pk, accion="habilitar", funcionario=UsuarioFactory())
    op.refresh_from_db()
    assert op.estado == Operador.Estado.REGISTRADO


def test_rechazo_exige_comentario():
    op = OperadorFactory(estado=Operador.Estado.REGISTRADO)
    with pytest.raises(ComentarioRequerido, match="motivo"):
        operador_transicionar(operador_id=op.pk, accion="rechazar", funcionario=FuncionarioFactory(), comentario="  ")
    op.refresh_from_db()
    assert op.estado == Operador.Estado.REGISTRADO


@pytest.mark.django_db(transaction=True)
def test_transicionar_fuera_de_transaccion_es_un_error_de_programacion():
    op = OperadorFactory(estado=Operador.Estado.REGISTRADO)
    with pytest.raises(RuntimeError):
        transicionar(op, "habilitar", por=None)


def test_dos_copias_concurrentes_solo_una_gana():
    """Optimistic locking: a stale copy cannot overwrite the state another official already changed."""
    op = OperadorFactory(estado=Operador.Estado.REGISTRADO)
    f1, f2 = FuncionarioFactory(), FuncionarioFactory()
    copia1, copia2 = Operador.objects.get(pk=op.pk), Operador.objects.get(pk=op.pk)
    with transaction.atomic():
        transicionar(copia1, "habilitar", por=f1)
    with pytest.raises(ConflictoConcurrente), transaction.atomic():
        transicionar(copia2, "rechazar", por=f2, comentario="duplicado")
    op.refresh_from_db()
    assert op.estado == Operador.Estado.HABILITADO
    assert Transicion.objects.de(op).count() == 1


def test_registro_de_transiciones_es_de_solo_agregado():
    op = OperadorFactory(estado=Operador.Estado.REGISTRADO)
    with transaction.atomic():
        t = transicionar(op, "habilitar", por=None)
    t.comentario = "alterado"
    with pytest.raises(ValueError, match="solo agregado"):
        t.save()
    with pytest.raises(ValueError, match="solo agregado"):
        t.delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="el disparador existe solo en PostgreSQL")
def test_postgres_impide_update_y_delete_del_registro():
    op = OperadorFactory(estado=Operador.Estado.REGISTRADO)
    with transaction.atomic():
        transicionar(op, "habilitar", por=None)
    with pytest.raises(DatabaseError, match="solo agregado"), transaction.atomic():
        Transicion.objects.filter(object_id=op.pk).update(comentario="x")
    with pytest.raises(DatabaseError, match="solo agregado"), transaction.atomic():
        Transicion.objects.filter(object_id=op.pk).delete()
