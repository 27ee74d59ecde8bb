"""Thin Celery wrappers around régimen 21 services (ids in, service call)."""

from celery import shared_task


@shared_task(name="perfeccionamiento.caducar_cesiones", acks_late=True)
def caducar_cesiones_task() -> int:
    """Daily: transfers of ownership not accepted within their term lapse."""
    from .services.anexos import cesiones_caducar

    return cesiones_caducar()
