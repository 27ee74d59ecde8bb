"""List pages show every row a page at a time (tramites/paginacion.py), keeping their filters in the links,
instead of cutting the list at a fixed number of rows."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from perfeccionamiento.services.dai import dai_crear
from tests.perfeccionamiento.factories import CodigoInsumoFactory, CodigoProductoFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def por_pagina(monkeypatch):
    monkeypatch.setattr("tramites.paginacion.POR_PAGINA", 2)


def numeros(html: str) -> list[str]:
    return re.findall(r"\b(\d{3}-\d{4}-21-\d{8})\b", html)


def test_control_del_regimen_por_paginas_con_sus_filtros(client, escenario, por_pagina):
    dais = [dai_crear(por=escenario.agente, lineas=[escenario.linea()], **escenario.cabecera()) for _ in range(5)]
    vistas = set()
    client.force_login(escenario.oce)

    html = client.get("/regimen21/dai/?canal=automatico").content.decode()
    assert "1–2 de 5" in html and "Página 1 de 3" in html
    assert 'href="?canal=automatico&amp;pagina=2"' in html  # the filter stays in the link
    assert 'href="?canal=automatico&amp;pagina=3">Última' in html and "Anterior" not in html
    vistas.update(numeros(html))

    for pagina in (2, 3):
        html = client.get(f"/regimen21/dai/?canal=automatico&pagina={pagina}").content.decode()
        vistas.update(numeros(html))
    assert "5–5 de 5" in html and "Siguiente" not in html and 'href="?canal=automatico&amp;pagina=2"' in html
    assert vistas == {d.numero for d in dais}  # every DAI reachable, none twice

    assert "Página 3 de 3" in client.get("/regimen21/dai/?pagina=99").content.decode()
    assert "Página 1 de 3" in client.get("/regimen21/dai/?pagina=xyz").content.decode()
    vacia = client.get("/regimen21/dai/?canal=fisico").content.decode()
    assert "No hay DAI con esos filtros" in vacia and "Página" not in vacia


def test_la_pagina_no_cuesta_mas_consultas_con_mas_filas(client, escenario, por_pagina):
    client.force_login(escenario.oce)
    dai_crear(por=escenario.agente, lineas=[escenario.linea()], **escenario.cabecera())
    with CaptureQueriesContext(connection) as una:
        client.get("/regimen21/dai/")
    for _ in range(4):
        dai_crear(por=escenario.agente, lineas=[escenario.linea(), escenario.linea(escenario.boton)], **escenario.cabecera())
    with CaptureQueriesContext(connection) as cinco:
        assert "3–4 de 5" in client.get("/regimen21/dai/?pagina=2").content.decode()
    assert len(cinco) == len(una)


def test_insumos_y_productos_se_paginan_por_separado(client, oce, por_pagina):
    CodigoInsumoFactory.create_batch(3, operador=oce.operador)
    CodigoProductoFactory.create_batch(5, operador=oce.operador)
    client.force_login(oce)
    html = client.get("/regimen21/codigos/?pagina_productos=3").content.decode()
    assert "1–2 de 3" in html and "5–5 de 5" in html
    assert 'href="?pagina_productos=3&amp;pagina_insumos=2"' in html  # the other list keeps its page
    assert 'aria-label="Páginas de insumos"' in html and 'aria-label="Páginas de productos"' in html
