"""The transparency pages in Debian's Chromium, without signing in: a known historical figure, a flagged month,
the year selector, the chart's text alternative, the downloads."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.transparencia.conftest import filas_csv
from transparencia.models import EstadisticaMensual

CAPTURAS = Path(__file__).parent / "capturas"


def fila(tabla, mes):
    """The row whose header is `mes` («Marzo de 2025»): other rows may mention the month in their notes."""
    return tabla.get_by_role("row").filter(has=tabla.page.get_by_role("rowheader", name=mes, exact=True))


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def historico(transactional_db):
    # Migration 0002's rows do not survive the flush of earlier transactional tests: load the same file.
    EstadisticaMensual.objects.all().delete()
    EstadisticaMensual.objects.bulk_create([EstadisticaMensual(origen="historico", **f) for f in filas_csv()])


def test_pagina_publica_cifra_historica_y_mes_senalado(page, live_server, historico):
    CAPTURAS.mkdir(exist_ok=True)
    page.goto(f"{live_server.url}/")
    page.get_by_role("contentinfo").get_by_role("link", name="Transparencia").click()
    expect(page.get_by_role("heading", level=1, name="Transparencia")).to_be_visible()
    expect(page.get_by_role("link", name="Ingresar")).to_be_visible()  # nobody signed in
    page.screenshot(path=CAPTURAS / "transparencia_inicio.png", full_page=True)

    page.get_by_role("link", name="Ver las cifras de Régimen 21: perfeccionamiento activo").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Régimen 21: perfeccionamiento activo")
    tabla = page.get_by_role("table", name="Quejas y atenciones por mes: Régimen 21: perfeccionamiento activo, todos los años")
    marzo = fila(tabla, "Marzo de 2025")
    expect(marzo.get_by_role("cell").nth(1)).to_have_text("25")
    expect(marzo).to_contain_text("Muy por debajo de los meses vecinos")
    abril_2026 = fila(tabla, "Abril de 2026")
    expect(abril_2026.get_by_role("cell").nth(1)).to_have_text("922")
    expect(abril_2026).to_contain_text("Histórico")
    grafico = page.get_by_role("img", name="Atenciones y quejas por mes: Régimen 21: perfeccionamiento activo, todos los años")
    expect(grafico).to_be_visible()
    page.screenshot(path=CAPTURAS / "transparencia_regimen21.png", full_page=True)

    page.goto(f"{live_server.url}/transparencia/mesa_servicios/")
    page.get_by_label("Año", exact=True).select_option("2021")
    page.get_by_role("button", name="Ver").click()
    page.wait_for_url("**/transparencia/mesa_servicios/?anio=2021")
    tabla = page.get_by_role("table", name="Quejas y atenciones por mes: Mesa de Servicios, 2021")
    for mes in ("Marzo de 2021", "Abril de 2021"):
        expect(fila(tabla, mes).get_by_role("cell").nth(1)).to_have_text("4\u00a0848")
        expect(fila(tabla, mes)).to_contain_text("Cifras repetidas")
    expect(fila(tabla, "Mayo de 2021")).not_to_contain_text("Cifras repetidas")
    page.screenshot(path=CAPTURAS / "transparencia_mesa_2021.png", full_page=True)

    with page.expect_download() as descarga:
        page.get_by_role("link", name="CSV").click()
    assert descarga.value.suggested_filename == "transparencia_mesa_servicios.csv"
