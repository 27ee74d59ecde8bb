"""Compute one month of a trámite's transparency statistics now (never a historical month):

    manage.py recalcular_transparencia regimen_21 2026-05

The monthly job (previous month and missing months) runs with `manage.py ejecutar_tareas transparencia.calcular_estadisticas`.
"""

from django.core.management.base import BaseCommand, CommandError

from tramites.exceptions import ErrorDeNegocio
from transparencia import registro
from transparencia.models import Recalculo
from transparencia.services import estadistica_recalcular


class Command(BaseCommand):
    help = "Recalcula un mes (AAAA-MM) de las estadísticas de transparencia de un trámite con los registros del portal."

    def add_arguments(self, parser):
        parser.add_argument("tramite", help=f"Código del trámite: {', '.join(f.codigo for f in registro.todas())}.")
        parser.add_argument("mes", help="Mes a recalcular, AAAA-MM.")

    def handle(self, *args, **options):
        try:
            anio, mes = (int(parte) for parte in options["mes"].split("-"))
        except ValueError:
            raise CommandError("Indique el mes como AAAA-MM, por ejemplo 2026-05.") from None
        try:
            fila = estadistica_recalcular(tramite=options["tramite"], anio=anio, mes=mes, por=None, via=Recalculo.Via.COMANDO)
        except ErrorDeNegocio as e:
            raise CommandError(str(e)) from e
        self.stdout.write(f"{fila}: {fila.quejas} quejas, {fila.atenciones} atenciones.")
