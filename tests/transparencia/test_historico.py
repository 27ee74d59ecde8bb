"""The historical figures: the repo's CSV is exactly the seeds' «Transparencia» tables, and migration 0002 loads it
(origen=historico, régimen 21 under its portal code) and unloads it."""

from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps

from transparencia.models import EstadisticaMensual

from .conftest import cifras_semillas, filas_csv

migracion = import_module("transparencia.migrations.0002_historico_gob_ec")


def test_el_csv_del_repositorio_es_la_tabla_de_las_semillas():
    semillas = cifras_semillas()
    csv = {}
    for f in filas_csv():
        csv.setdefault(f["tramite"], {})[(f["anio"], f["mes"])] = (f["quejas"], f["atenciones"])
    assert csv == semillas
    assert (min(semillas["regimen_21"]), max(semillas["regimen_21"])) == ((2020, 1), (2026, 4))
    assert (min(semillas["mesa_servicios"]), max(semillas["mesa_servicios"])) == ((2020, 1), (2025, 12))
    assert len(semillas["regimen_21"]) == 76 and len(semillas["mesa_servicios"]) == 72


@pytest.mark.django_db
def test_la_migracion_carga_y_descarga_el_historico():
    calculada = EstadisticaMensual.objects.create(
        tramite="regimen_21", anio=2026, mes=5, quejas=1, atenciones=2, origen="portal", calculado_en="2026-06-01T07:00Z"
    )
    migracion.cargar(apps, None)
    cargadas = {
        (e.tramite, e.anio, e.mes): (e.quejas, e.atenciones) for e in EstadisticaMensual.objects.filter(origen="historico")
    }
    esperadas = {(t, a, m): c for t, serie in cifras_semillas().items() for (a, m), c in serie.items()}
    assert cargadas == esperadas
    assert not EstadisticaMensual.objects.filter(origen="historico", calculado_en__isnull=False).exists()

    migracion.borrar(apps, None)
    assert list(EstadisticaMensual.objects.all()) == [calculada]


def test_la_migracion_no_importa_codigo_de_la_app():
    fuente = Path(migracion.__file__).read_text(encoding="utf-8")
    assert "from transparencia" not in fuente and "import transparencia" not in fuente
    assert "apps.get_model" in fuente
