"""Thin Celery wrappers around tramites services: ids in, service call, retry on transient errors."""

from smtplib import SMTPException

from celery import shared_task


@shared_task(
    name="tramites.enviar_correo_notificacion",
    autoretry_for=(SMTPException, ConnectionError),
    retry_backoff=True,
    max_retries=5,
    acks_late=True,
)
def enviar_correo_notificacion_task(*, notificacion_id: int) -> bool:
    from .services import notificacion_enviar_correo

    return notificacion_enviar_correo(notificacion_id=notificacion_id)


@shared_task(name="tramites.ping")
def ping_task(valor: int) -> int:
    """Health check used by the real-worker test and by operators of the deployment."""
    return valor
