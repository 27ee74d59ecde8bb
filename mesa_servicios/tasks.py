"""Thin Celery wrappers around the desk's services: ids in, service call, retries on transient errors."""

from smtplib import SMTPException

from celery import shared_task


@shared_task(name="mesa_servicios.verificar_sla", acks_late=True)
def verificar_sla_task() -> int:
    from .services.sla import sla_verificar

    return sla_verificar()


@shared_task(name="mesa_servicios.cerrar_inactivos", acks_late=True)
def cerrar_inactivos_task() -> int:
    from .services.sla import tickets_cerrar_inactivos

    return tickets_cerrar_inactivos()


@shared_task(name="mesa_servicios.leer_buzon", acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def leer_buzon_task() -> int:
    from .services.correo import buzon_leer

    return buzon_leer()


@shared_task(
    name="mesa_servicios.responder_correo",
    acks_late=True,
    autoretry_for=(SMTPException, ConnectionError),
    retry_backoff=True,
    max_retries=5,
)
def responder_correo_task(*, correo_id: int) -> bool:
    from .services.correo import correo_enviar_respuesta

    return correo_enviar_respuesta(correo_id=correo_id)
