"""Registry of periodic jobs. Apps register theirs in AppConfig.ready():

    periodicas.registrar("perfeccionamiento.alertar_vencimientos", hora=6, minuto=0,
                         descripcion="Alertas de vencimiento del régimen 21")

`manage.py programar_tareas` writes them as django-celery-beat PeriodicTasks (editable by officials in
the admin afterwards; existing schedules are not overwritten). `manage.py ejecutar_tareas` runs them
now, in-process — the embedded default needs no worker or beat.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TareaPeriodica:
    nombre: str
    descripcion: str
    minuto: str = "0"
    hora: str = "*"
    dia_semana: str = "*"
    dia_mes: str = "*"


TAREAS: dict[str, TareaPeriodica] = {}


def registrar(
    nombre: str,
    *,
    descripcion: str,
    minuto: str | int = "0",
    hora: str | int = "*",
    dia_semana: str = "*",
    dia_mes: str | int = "*",
) -> None:
    TAREAS[nombre] = TareaPeriodica(
        nombre=nombre, descripcion=descripcion, minuto=str(minuto), hora=str(hora), dia_semana=dia_semana, dia_mes=str(dia_mes)
    )
