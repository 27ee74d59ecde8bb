"""Fixtures of the transparency tests: the published figures (from the seeds and from the repo's CSV), complaint
and attention records built through the real services, and a clean statistics table per test."""

from __future__ import annotations

import csv
import re
from datetime import datetime
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache

from mesa_servicios.models import Ticket
from mesa_servicios.services import tickets
from tests.factories import FuncionarioFactory, UsuarioFactory
from tramites import roles
from tramites.models import Transicion
from transparencia.models import EstadisticaMensual

RAIZ = Path(__file__).resolve().parents[2]
CSV_HISTORICO = RAIZ / "transparencia" / "datos" / "transparencia_historica.csv"
SEMILLAS = Path(__file__).parent / "datos" / "semillas_transparencia.txt"
CODIGOS_CSV = {"perfeccionamiento_activo": "regimen_21", "mesa_servicios": "mesa_servicios"}


def cifras_semillas() -> dict[str, dict[tuple[int, int], tuple[int, int]]]:
    """{trámite: {(año, mes): (quejas, atenciones)}} read from the seeds' «Transparencia» tables, verbatim."""
    resultado: dict[str, dict] = {}
    actual = None
    for linea in SEMILLAS.read_text(encoding="utf-8").splitlines():
        if m := re.match(r"# (\w+):", linea):
            actual = resultado.setdefault(m[1], {})
        elif m := re.fullmatch(r"(\d{4})\t(\d{2})\t(\d+)\t(\d+)", linea):
            actual[(int(m[1]), int(m[2]))] = (int(m[3]), int(m[4]))
    return resultado


def filas_csv() -> list[dict]:
    with CSV_HISTORICO.open(encoding="utf-8", newline="") as archivo:
        return [
            {
                "tramite": CODIGOS_CSV[f["tramite"]],
                "anio": int(f["anio"]),
                "mes": int(f["mes"]),
                "quejas": int(f["quejas"]),
                "atenciones": int(f["atenciones"]),
            }
            for f in csv.DictReader(archivo)
        ]


@pytest.fixture(autouse=True)
def tabla_limpia(db):
    """Each test decides what the table holds: migration 0002's rows may have been flushed by an earlier
    transactional test of the same process, so they are removed here and loaded back by `historico`."""
    EstadisticaMensual.objects.all().delete()
    cache.clear()  # API throttling counters


@pytest.fixture
def historico(tabla_limpia):
    EstadisticaMensual.objects.bulk_create([EstadisticaMensual(origen="historico", **f) for f in filas_csv()])


@pytest.fixture
def catalogo_mesa(db):
    from mesa_servicios.catalogo import asegurar_catalogo
    from tramites.referencias import asegurar_distritos

    asegurar_catalogo()
    asegurar_distritos()


@pytest.fixture
def usuario(db):
    return UsuarioFactory()


@pytest.fixture
def analista(db):
    return FuncionarioFactory(grupos=[roles.MESA, roles.ANALISIS_FUNCIONAL])


@pytest.fixture
def supervisor(db):
    return FuncionarioFactory(grupos=[roles.SUPERVISOR])


@pytest.fixture
def queja(catalogo_mesa, usuario):
    """queja(tramite, en): a complaint ticket filed through the desk's service, registered at `en`."""

    def _queja(tramite: str, en: datetime) -> Ticket:
        t = tickets.ticket_registrar(
            solicitante=usuario,
            tipo="queja",
            tramite=tramite,
            asunto="Demora",
            descripcion="Mi trámite no tiene respuesta desde hace un mes.",
            ahora=en,
        )
        Ticket.objects.filter(pk=t.pk).update(creado_en=en)  # creado_en is auto_now_add
        return t

    return _queja


@pytest.fixture
def atendido(catalogo_mesa, usuario, analista):
    """atendido(tipo, respondido_en): an incident or consultation answered for the first time at `respondido_en`."""
    from tests.mesa_servicios.conftest import datos_consulta, datos_incidente

    def _atendido(tipo: str, respondido_en: datetime) -> Ticket:
        datos = datos_incidente(ocurrido_en=respondido_en) if tipo == "incidente" else datos_consulta()
        t = tickets.ticket_registrar(solicitante=usuario, ahora=respondido_en, **datos)
        tickets.ticket_tomar(ticket_id=t.pk, por=analista)
        return tickets.ticket_responder(ticket_id=t.pk, por=analista, respuesta="Atendido.", ahora=respondido_en)

    return _atendido


@pytest.fixture
def transicion(db):
    """transicion(modelo, nombre, en, app="perfeccionamiento"): an audited transition row of any (even not yet
    existing) model: only its content type, name and instant matter to the statistics."""

    def _transicion(modelo: str, nombre: str, en: datetime, app: str = "perfeccionamiento") -> Transicion:
        tipo, _ = ContentType.objects.get_or_create(app_label=app, model=modelo)
        return Transicion.objects.create(content_type=tipo, object_id=1, transicion=nombre, desde="a", hacia="b", en=en)

    return _transicion
