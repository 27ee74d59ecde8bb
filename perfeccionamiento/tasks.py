"""Thin Celery wrappers around régimen 21 services (ids in, service call)."""

from celery import shared_task


@shared_task(name="perfeccionamiento.caducar_cesiones", acks_late=True)
def caducar_cesiones_task() -> int:
    """Daily: transfers of ownership not accepted within their term lapse."""
    from .services.anexos import cesiones_caducar

    return cesiones_caducar()


@shared_task(name="perfeccionamiento.alertar_vencimientos", acks_late=True)
def alertar_vencimientos_task() -> dict:
    """Daily: expiry alerts (DAI balances, authorizations, guarantees) at the configured lead days."""
    from .services.vencimientos import alertar_vencimientos

    return alertar_vencimientos()


@shared_task(name="perfeccionamiento.vencer_registros", acks_late=True)
def vencer_registros_task() -> dict:
    """Daily, just after midnight: records whose end date passed move to their expired state."""
    from .services.vencimientos import vencer_registros

    return vencer_registros()
