"""Scoping matrix: who sees which tickets, the same in selectors, pages, admin and API."""

import pytest

from mesa_servicios import selectors
from mesa_servicios.services import tickets
from tests.factories import FuncionarioFactory, UsuarioAgenteFactory, UsuarioFactory, UsuarioOperadorFactory
from tramites import roles

from .conftest import datos_consulta, datos_incidente

pytestmark = pytest.mark.django_db


@pytest.fixture
def mundo(analista, mesa, supervisor):
    ciudadano, otro, operador, agente = UsuarioFactory(), UsuarioFactory(), UsuarioOperadorFactory(), UsuarioAgenteFactory()
    colega = UsuarioOperadorFactory(operador=operador.operador)  # same company, different person
    t = {
        "incidente_ciudadano": tickets.ticket_registrar(solicitante=ciudadano, **datos_incidente()),
        "consulta_otro": tickets.ticket_registrar(solicitante=otro, **datos_consulta()),
        "consulta_operador": tickets.ticket_registrar(solicitante=operador, **datos_consulta(motivo="regimen_21")),
        "incidente_agente": tickets.ticket_registrar(solicitante=agente, **datos_incidente()),
    }
    usuarios = {
        "ciudadano": ciudadano,
        "otro": otro,
        "operador": operador,
        "colega": colega,
        "agente": agente,
        "analista": analista,
        "mesa": mesa,
        "supervisor": supervisor,
        "regimenes": FuncionarioFactory(grupos=[roles.REGIMENES]),
    }
    return usuarios, t


ESPERADO = {
    "ciudadano": {"incidente_ciudadano"},
    "otro": {"consulta_otro"},
    "operador": {"consulta_operador"},
    "colega": set(),
    "agente": {"incidente_agente"},
    "analista": {"incidente_ciudadano", "incidente_agente"},  # Jefatura de Análisis Funcional: incidents
    "mesa": {"consulta_otro", "consulta_operador"},  # its areas: attention and customs processes
    "supervisor": {"incidente_ciudadano", "consulta_otro", "consulta_operador", "incidente_agente"},
    "regimenes": set(),
}


@pytest.mark.parametrize("rol", list(ESPERADO))
def test_matriz_selector_pagina_api_y_admin(rol, mundo, client, cliente_token):
    usuarios, t = mundo
    u = usuarios[rol]
    numeros = {clave: ticket.numero for clave, ticket in t.items()}
    esperados = {numeros[c] for c in ESPERADO[rol]}
    assert set(selectors.tickets_visibles(u).values_list("numero", flat=True)) == esperados
    client.force_login(u)
    for clave, numero in numeros.items():
        codigo = client.get(f"/mesa/tickets/{numero}/").status_code
        assert codigo == (200 if clave in ESPERADO[rol] else 404), (rol, clave)
    api = cliente_token(u)
    assert {r["numero"] for r in api.get("/api/v1/mesa/tickets/").json()["results"]} == esperados
    for clave, numero in numeros.items():
        r = api.get(f"/api/v1/mesa/tickets/{numero}/")
        assert r.status_code == (200 if clave in ESPERADO[rol] else 404)
        if r.status_code == 404:
            assert r.json()["code"] == "no_encontrado"
    if u.is_staff:
        r = client.get("/admin/mesa_servicios/ticket/")
        if rol == "regimenes":
            assert r.status_code == 403
        else:
            assert r.status_code == 200
            for numero in numeros.values():
                assert (numero in r.content.decode()) == (numero in esperados)


def test_notas_internas_no_las_ve_el_usuario(incidente, analista, client):
    tickets.ticket_nota_interna(ticket_id=incidente.pk, por=analista, texto="Revisar con infraestructura.")
    assert "Revisar con infraestructura" not in str(
        selectors.ticket_obtener(usuario=incidente.solicitante, numero=incidente.numero).seguimientos.all()
    )
    client.force_login(incidente.solicitante)
    assert "Revisar con infraestructura" not in client.get(f"/mesa/tickets/{incidente.numero}/").content.decode()
    client.force_login(analista)
    assert "Revisar con infraestructura" in client.get(f"/mesa/tickets/{incidente.numero}/").content.decode()


def test_adjuntos_solo_dentro_del_alcance(incidente, client):
    adjunto = incidente.adjuntos.get()
    url = f"/mesa/tickets/{incidente.numero}/adjuntos/{adjunto.pk}/"
    client.force_login(UsuarioFactory())
    assert client.get(url).status_code == 404
    client.force_login(incidente.solicitante)
    r = client.get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"\x89PNG")


@pytest.mark.parametrize("rol", list(ESPERADO))
def test_descarga_de_adjuntos_sigue_la_cola(rol, mundo, client):
    """/adjuntos/<pk>/ (the link the admin shows) serves a ticket's or a message's file only to whoever sees the
    ticket through the desk's selector: the same queues as the pages, the API and the admin."""
    usuarios, t = mundo
    client.force_login(usuarios[rol])
    for clave, ticket in t.items():
        for adjunto in ticket.adjuntos.all():
            r = client.get(f"/adjuntos/{adjunto.pk}/")
            assert r.status_code == (200 if clave in ESPERADO[rol] else 404), (rol, clave)


def test_adjunto_de_nota_interna_solo_para_la_mesa(incidente, analista, client):
    from tramites.services import adjuntos_guardar

    from .conftest import png

    nota = tickets.ticket_nota_interna(ticket_id=incidente.pk, por=analista, texto="Captura del servidor.")
    adjunto = adjuntos_guardar(objeto=nota, archivos=[png("log.png")], por=analista)[0]
    client.force_login(incidente.solicitante)
    assert client.get(f"/adjuntos/{adjunto.pk}/").status_code == 404
    client.force_login(analista)
    assert client.get(f"/adjuntos/{adjunto.pk}/").status_code == 200


def test_funcionario_de_otro_grupo_que_reporta_no_ve_notas_internas(analista, client):
    """An official of Regímenes who reports a ticket is a requester there: answers yes, the desk's notes no."""
    regimenes = FuncionarioFactory(grupos=[roles.REGIMENES])
    ticket = tickets.ticket_registrar(solicitante=regimenes, **datos_incidente())
    tickets.ticket_nota_interna(ticket_id=ticket.pk, por=analista, texto="Revisar con infraestructura.")
    client.force_login(regimenes)
    pagina = client.get(f"/mesa/tickets/{ticket.numero}/")
    assert pagina.status_code == 200
    assert "Revisar con infraestructura" not in pagina.content.decode()
