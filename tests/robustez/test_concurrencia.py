"""Concurrency against PostgreSQL: requests at the same instant (threads released by a barrier, each with its own
connection). The whole suite is `pytest -m concurrencia`; besides this file it has, next to their features:

- numbering: tests/tramites/test_calendario_numeracion.py (any key), tests/mesa_servicios/test_registro.py (tickets);
- parallel transitions: tests/perfeccionamiento/test_autorizaciones.py, test_garantias.py (two officials approve);
- parallel discharges: tests/perfeccionamiento/test_anexos.py (anexos never overdraw),
  test_dai.py (transmissions never exceed the guarantee).

Here: two officials release the same DAI (the ledger is credited once), two analysts take the same ticket, tickets
filed through the API in parallel (consecutive numbers) and retries with the same Idempotency-Key (one ticket).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from mesa_servicios.catalogo import asegurar_catalogo
from mesa_servicios.models import Motivo, Ticket
from mesa_servicios.services import tickets
from perfeccionamiento.models import DAI, MovimientoInsumo, ReglaCanal, SaldoInsumo
from perfeccionamiento.services.dai import dai_crear, dai_transicionar
from tests.factories import FuncionarioFactory, UsuarioFactory
from tramites import roles
from tramites.exceptions import ErrorDeNegocio
from tramites.models import Transicion

pytestmark = [pytest.mark.postgres, pytest.mark.concurrencia, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _solo_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("la concurrencia real se prueba en PostgreSQL")


def a_la_vez(*trabajos: Callable[[], object]) -> list[object]:
    """Run the callables at the same instant, each in its own thread and connection; results (or the exception
    raised) in the same order."""
    barrera = threading.Barrier(len(trabajos))
    resultados: list[object] = [None] * len(trabajos)

    def correr(i: int, trabajo: Callable[[], object]) -> None:
        try:
            barrera.wait()
            resultados[i] = trabajo()
        except Exception as e:  # noqa: BLE001 - the test inspects it
            resultados[i] = e
        finally:
            connection.close()

    hilos = [threading.Thread(target=correr, args=(i, t)) for i, t in enumerate(trabajos)]
    for h in hilos:
        h.start()
    for h in hilos:
        h.join(timeout=60)
    return resultados


def test_dos_funcionarios_autorizan_la_salida_de_la_misma_dai(escenario):
    """Both click «Autorizar salida» at once: one releases it, the other gets a 409; the ledger is credited once."""
    ReglaCanal.objects.create(nombre="Todo a físico", prioridad=1, canal="fisico")
    dai = dai_crear(por=escenario.agente, lineas=[escenario.linea(), escenario.linea(escenario.boton)], **escenario.cabecera())
    assert dai.estado == DAI.Estado.EN_AFORO
    aforo = [FuncionarioFactory(grupos=[roles.AFORO]) for _ in range(2)]
    resultados = a_la_vez(
        *(lambda f=f: dai_transicionar(dai_id=dai.pk, accion="autorizar_salida", por=f, comentario="Conforme") for f in aforo)
    )
    exitos = [r for r in resultados if isinstance(r, DAI)]
    assert len(exitos) == 1, resultados
    assert isinstance(next(r for r in resultados if not isinstance(r, DAI)), ErrorDeNegocio)
    assert SaldoInsumo.objects.filter(linea__dai=dai).count() == 2
    assert MovimientoInsumo.objects.filter(dai=dai, tipo="ingreso").count() == 2
    assert Transicion.objects.de(dai).filter(transicion="autorizar_salida").count() == 1


def test_dos_analistas_toman_el_mismo_ticket():
    """Two analysts of the queue take the same ticket at once: one gets it, the other a 409, one log row."""
    asegurar_catalogo()
    ticket = tickets.ticket_registrar(
        tipo="consulta", solicitante=UsuarioFactory(), asunto="Clave", motivo=Motivo.objects.get(codigo="otros"),
        descripcion="No recuerdo la clave de mi usuario de ECUAPASS y el correo no llega.",
    )  # fmt: skip
    analistas = [FuncionarioFactory(grupos=[roles.MESA]) for _ in range(2)]
    resultados = a_la_vez(*(lambda a=a: tickets.ticket_tomar(ticket_id=ticket.pk, por=a) for a in analistas))
    ganador = [r for r in resultados if isinstance(r, Ticket)]
    assert len(ganador) == 1, resultados
    assert isinstance(next(r for r in resultados if not isinstance(r, Ticket)), ErrorDeNegocio)
    ticket.refresh_from_db()
    assert (ticket.estado, ticket.asignado_a_id) == (Ticket.Estado.EN_ANALISIS, ganador[0].asignado_a_id)
    assert Transicion.objects.de(ticket).filter(transicion="tomar").count() == 1


def _cliente(usuario):
    from rest_framework.test import APIClient

    from tramites.services import token_crear

    cliente = APIClient()
    cliente.credentials(HTTP_AUTHORIZATION=f"Token {token_crear(usuario=usuario, nombre='concurrencia')[1]}")
    return cliente


CONSULTA = {"motivo": "otros", "asunto": "Horario", "descripcion": "¿Cuál es el horario de atención telefónica?"}


def test_tickets_por_la_api_en_paralelo_se_numeran_sin_saltos():
    asegurar_catalogo()
    clientes = [_cliente(UsuarioFactory()) for _ in range(8)]
    respuestas = a_la_vez(*(lambda c=c: c.post("/api/v1/mesa/consultas/", CONSULTA, format="json") for c in clientes))
    assert [r.status_code for r in respuestas] == [201] * 8, [getattr(r, "content", r) for r in respuestas]
    numeros = sorted(int(r.json()["numero"].rsplit("-", 1)[1]) for r in respuestas)
    assert numeros == list(range(1, 9))


def test_reintentos_simultaneos_con_la_misma_idempotency_key_crean_un_ticket():
    """Agent software retrying on a timeout while the first request still runs: one ticket; each answer is the
    ticket itself or `solicitud_en_proceso` (409), never a second ticket."""
    asegurar_catalogo()
    usuario = UsuarioFactory()
    clientes = [_cliente(usuario) for _ in range(4)]
    for c in clientes[1:]:
        c.credentials(HTTP_AUTHORIZATION=clientes[0]._credentials["HTTP_AUTHORIZATION"])
    respuestas = a_la_vez(
        *(lambda c=c: c.post("/api/v1/mesa/consultas/", CONSULTA, format="json", HTTP_IDEMPOTENCY_KEY="reintento-1")
          for c in clientes)
    )  # fmt: skip
    assert Ticket.objects.count() == 1
    numero = Ticket.objects.get().numero
    for r in respuestas:
        assert (r.status_code, r.json().get("numero") or r.json().get("code")) in {(201, numero), (409, "solicitud_en_proceso")}
    assert any(r.status_code == 201 for r in respuestas)
