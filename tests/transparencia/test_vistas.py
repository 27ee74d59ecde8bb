"""The public pages (no login) and the open-data files: the seeds' figures exactly, the flags, the origin of each
row, the year selector, accessibility hooks, constant queries."""

import csv
import io
import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from transparencia import registro
from transparencia.models import EstadisticaMensual

from .conftest import cifras_semillas

pytestmark = pytest.mark.django_db
GYE = ZoneInfo("America/Guayaquil")


def _entero(texto: str) -> int:
    return int(texto.replace("\xa0", "").replace(".", "").replace(" ", ""))


def filas_de_la_tabla(html: str) -> dict[tuple[int, int], list[str]]:
    """Rows of the «Cifras por mes» table by month: [mes, quejas, atenciones, por mil, origen, observaciones]."""
    filas = {}
    for m in re.finditer(r'<tr[^>]*id="mes-(\d{4})-(\d{2})">(.*?)</tr>', html, re.S):
        celdas = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", m[3], re.S)
        filas[(int(m[1]), int(m[2]))] = [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in celdas]
    return filas


@pytest.mark.parametrize("codigo", ["regimen_21", "mesa_servicios"])
def test_la_pagina_muestra_exactamente_las_cifras_de_las_semillas(client, historico, codigo):
    respuesta = client.get(f"/transparencia/{codigo}/")
    assert respuesta.status_code == 200
    filas = filas_de_la_tabla(respuesta.content.decode())
    semillas = cifras_semillas()[codigo]
    assert set(filas) == set(semillas)
    for mes, (quejas, atenciones) in semillas.items():
        celdas = filas[mes]
        assert (_entero(celdas[1]), _entero(celdas[2])) == (quejas, atenciones), mes
        assert celdas[4] == "Histórico"
    assert list(filas)[:2] == sorted(semillas, reverse=True)[:2]  # newest first, like gob.ec


def test_pagina_regimen_21_senala_marzo_2025(client, historico):
    html = client.get("/transparencia/regimen_21/").content.decode()
    filas = filas_de_la_tabla(html)
    assert filas[(2025, 3)][2] == "25"
    assert "Muy por debajo de los meses vecinos" in filas[(2025, 3)][5]
    assert filas[(2025, 3)][0] == "Marzo de 2025"  # the year is in the row header for screen readers
    assert not any(filas[m][5] for m in filas if m != (2025, 3))
    assert 'class="fila--alerta" id="mes-2025-03"' in html


def test_pagina_mesa_senala_marzo_y_abril_2021_y_cuenta_por_mil(client, historico):
    filas = filas_de_la_tabla(client.get("/transparencia/mesa_servicios/").content.decode())
    assert "Cifras repetidas" in filas[(2021, 3)][5] and "Cifras repetidas" in filas[(2021, 4)][5]
    assert _entero(filas[(2021, 4)][2]) == 4848
    assert not filas[(2021, 5)][5]
    assert filas[(2025, 12)][3] == "12,66"  # 37 / 2923 × 1000
    assert filas[(2020, 2)][3] == "0,00"


def test_pagina_accesible_tabla_y_grafico(client, historico):
    html = client.get("/transparencia/regimen_21/").content.decode()
    assert (
        '<caption id="caption-cifras">Quejas y atenciones por mes: Régimen 21: perfeccionamiento activo, todos los años</caption>'
        in html
    )
    assert 'role="region" aria-labelledby="caption-cifras" tabindex="0"' in html  # scrollable on narrow screens
    assert html.count('<th scope="col"') >= 12
    assert '<th scope="rowgroup" colspan="6">2025</th>' in html  # years without thousands separator
    assert 'role="img" aria-labelledby="grafico-titulo grafico-desc"' in html
    desc = re.search(r'<desc id="grafico-desc">(.*?)</desc>', html, re.S)[1]
    assert "marzo de 2025" in desc and "tabla" in desc
    assert re.search(r'<rect class="barra barra--alerta" [^>]*><title>marzo de 2025: 25 atenciones', html)
    assert 'href="#cifras-por-mes"' in html
    assert "Queja</dt>" in html and registro.obtener("regimen_21").definicion_atencion[:40] in html
    assert "2 026" not in html and "2\xa0026" not in html


def test_selector_de_anio(client, historico):
    respuesta = client.get("/transparencia/mesa_servicios/", {"anio": "2021"})
    filas = filas_de_la_tabla(respuesta.content.decode())
    assert set(filas) == {(2021, m) for m in range(1, 13)}
    assert '<option value="2021" selected>2021</option>' in respuesta.content.decode()
    assert "Cifras repetidas" in filas[(2021, 4)][5]  # flags are judged on the whole series
    assert client.get("/transparencia/mesa_servicios/", {"anio": "todos"}).status_code == 200
    assert client.get("/transparencia/mesa_servicios/", {"anio": "2019"}).status_code == 404
    assert client.get("/transparencia/mesa_servicios/", {"anio": "x"}).status_code == 404


def test_resumen_anual_por_mil(client, historico):
    html = client.get("/transparencia/mesa_servicios/", {"anio": "2024"}).content.decode()
    fila = re.search(r'<th scope="row">2024</th>(.*?)</tr>', html, re.S)[1]
    numeros = [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in re.findall(r"<td[^>]*>(.*?)</td>", fila, re.S)]
    quejas = sum(q for (a, _m), (q, _at) in cifras_semillas()["mesa_servicios"].items() if a == 2024)
    atenciones = sum(at for (a, _m), (_q, at) in cifras_semillas()["mesa_servicios"].items() if a == 2024)
    assert [numeros[0], _entero(numeros[1]), _entero(numeros[2])] == ["12", quejas, atenciones]
    assert numeros[3] == f"{quejas * 1000 / atenciones:.2f}".replace(".", ",")


def test_origen_de_cada_fila_y_mes_en_curso(client, historico):
    anio, mes = registro.mes_actual()
    EstadisticaMensual.objects.create(
        tramite="regimen_21", anio=anio, mes=mes, quejas=1, atenciones=40, origen="portal", calculado_en=datetime.now(GYE)
    )
    html = client.get("/transparencia/regimen_21/").content.decode()
    filas = filas_de_la_tabla(html)
    assert filas[(anio, mes)][4].startswith("Calculado por el portal el ")
    assert "Mes en curso: cifra parcial." in filas[(anio, mes)][5]
    assert "Muy por debajo" not in filas[(anio, mes)][5]  # the partial month is not judged
    assert "Sin cifras publicadas: mayo de 2026" in html


def test_indice_lista_los_dos_tramites_sin_ingresar(client, historico):
    respuesta = client.get("/transparencia/")
    html = respuesta.content.decode()
    assert respuesta.status_code == 200
    assert "Régimen 21: perfeccionamiento activo" in html and "Mesa de Servicios" in html
    assert "abril de 2026" in html and "diciembre de 2025" in html
    for codigo in ("regimen_21", "mesa_servicios"):
        assert f'href="/transparencia/{codigo}/"' in html
        assert f'href="/transparencia/{codigo}.csv"' in html and f'href="/transparencia/{codigo}.json"' in html


def test_tramite_desconocido_404(client):
    assert client.get("/transparencia/perfeccionamiento_activo/").status_code == 404
    assert client.get("/transparencia/aforo.csv").status_code == 404
    assert client.get("/transparencia/aforo.json").status_code == 404


def test_consultas_constantes(client, historico, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        client.get("/transparencia/")
    with CaptureQueriesContext(connection) as consultas:
        client.get("/transparencia/regimen_21/")
    assert len(consultas) <= 2, [c["sql"] for c in consultas]


def test_csv_de_datos_abiertos(client, historico):
    respuesta = client.get("/transparencia/regimen_21.csv")
    assert respuesta.status_code == 200
    assert respuesta["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="transparencia_regimen_21.csv"' in respuesta["Content-Disposition"]
    assert "max-age=900" in respuesta["Cache-Control"]
    filas = list(csv.DictReader(io.StringIO(respuesta.content.decode("utf-8"))))
    assert len(filas) == 76
    assert {(int(f["anio"]), int(f["mes"])): (int(f["quejas"]), int(f["atenciones"])) for f in filas} == cifras_semillas()[
        "regimen_21"
    ]
    marzo = next(f for f in filas if (f["anio"], f["mes"]) == ("2025", "3"))
    assert marzo["origen"] == "historico" and marzo["alertas"].startswith("Muy por debajo de los meses vecinos:")
    enero = next(f for f in filas if (f["anio"], f["mes"]) == ("2026", "1"))
    assert enero["quejas_por_mil"] == "3.53" and enero["parcial"] == "no"


def test_json_de_datos_abiertos_igual_a_la_api(client, historico):
    respuesta = client.get("/transparencia/mesa_servicios.json")
    assert respuesta["Content-Type"] == "application/json; charset=utf-8"
    datos = json.loads(respuesta.content)
    assert datos["tramite"]["codigo"] == "mesa_servicios"
    assert datos["tramite"]["definicion_atencion"] == registro.obtener("mesa_servicios").definicion_atencion
    assert datos["ultimo_mes"] == "2025-12"
    abril = next(f for f in datos["filas"] if (f["anio"], f["mes"]) == (2021, 4))
    assert abril["atenciones"] == 4848 and abril["alertas"][0]["tipo"] == "cifras_repetidas"
    assert datos == client.get("/api/v1/transparencia/mesa_servicios/").json()
