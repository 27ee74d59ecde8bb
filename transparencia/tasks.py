"""Thin Celery wrapper: the monthly job of the transparency statistics (registered in apps.py)."""

from celery import shared_task
from django.db import OperationalError


@shared_task(
    name="transparencia.calcular_estadisticas",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def calcular_estadisticas_task() -> dict[str, list[str]]:
    """Previous month and missing months of every trámite (idempotent: a second run writes the same rows)."""
    from .services import estadisticas_calcular_pendientes

    return estadisticas_calcular_pendientes()
