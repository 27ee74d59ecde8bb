from django.core.management.base import BaseCommand
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from tramites.periodicas import TAREAS


class Command(BaseCommand):
    help = "Crea en django-celery-beat las tareas periódicas registradas (no pisa horarios ya editados)."

    def handle(self, *args, **options):
        for tarea in TAREAS.values():
            horario, _ = CrontabSchedule.objects.get_or_create(
                minute=tarea.minuto,
                hour=tarea.hora,
                day_of_week=tarea.dia_semana,
                day_of_month=tarea.dia_mes,
                month_of_year="*",
                timezone="America/Guayaquil",
            )
            _, creada = PeriodicTask.objects.get_or_create(
                name=tarea.descripcion,
                defaults={"task": tarea.nombre, "crontab": horario},
            )
            self.stdout.write(f"{'creada' if creada else 'ya existía'}: {tarea.descripcion} ({tarea.nombre})")
