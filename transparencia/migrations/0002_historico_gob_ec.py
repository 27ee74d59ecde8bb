"""The monthly figures SENAE published on gob.ec (the «Transparencia» table of each trámite's page), loaded from
transparencia/datos/transparencia_historica.csv as `origen=historico`. They are imported exactly as published,
including the two known data-quality cases, which the page flags (docs/decisions/0009).

Reversible: going back deletes the historical rows of the file (rows computed by the portal stay).
No app code is imported: the model comes from `apps.get_model`.
"""

import csv
from pathlib import Path

from django.db import migrations

ARCHIVO = Path(__file__).resolve().parent.parent / "datos" / "transparencia_historica.csv"
# Code of the trámite in the file (gob.ec) → code of the source in the portal (transparencia/fuentes.py).
CODIGOS = {"perfeccionamiento_activo": "regimen_21", "mesa_servicios": "mesa_servicios"}


def _filas():
    with ARCHIVO.open(encoding="utf-8", newline="") as archivo:
        for fila in csv.DictReader(archivo):
            yield {
                "tramite": CODIGOS[fila["tramite"]],
                "anio": int(fila["anio"]),
                "mes": int(fila["mes"]),
                "quejas": int(fila["quejas"]),
                "atenciones": int(fila["atenciones"]),
            }


def cargar(apps, schema_editor):
    EstadisticaMensual = apps.get_model("transparencia", "EstadisticaMensual")
    EstadisticaMensual.objects.bulk_create([EstadisticaMensual(origen="historico", **fila) for fila in _filas()])


def borrar(apps, schema_editor):
    EstadisticaMensual = apps.get_model("transparencia", "EstadisticaMensual")
    for fila in _filas():
        EstadisticaMensual.objects.filter(
            origen="historico", tramite=fila["tramite"], anio=fila["anio"], mes=fila["mes"]
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("transparencia", "0001_estadisticas")]

    operations = [migrations.RunPython(cargar, borrar)]
