from celery import current_app
from django.core.management.base import BaseCommand, CommandError

from tramites.periodicas import TAREAS


class Command(BaseCommand):
    help = "Ejecuta ahora, en este proceso, las tareas periódicas registradas (o las nombradas)."

    def add_arguments(self, parser):
        parser.add_argument("tareas", nargs="*", help="Nombres de tarea; por omisión, todas.")

    def handle(self, *args, **options):
        # Celery discovers the apps' tasks.py lazily (when a worker starts): import them now.
        current_app.loader.import_default_modules()
        nombres = options["tareas"] or list(TAREAS)
        desconocidas = [n for n in nombres if n not in TAREAS]
        if desconocidas:
            raise CommandError(f"Tareas desconocidas: {', '.join(desconocidas)}. Disponibles: {', '.join(TAREAS)}")
        for nombre in nombres:
            resultado = current_app.tasks[nombre].apply().get()
            self.stdout.write(f"{nombre}: {resultado}")
