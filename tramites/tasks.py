"""Thin Celery wrappers around tramites services: ids in, service call, retry on transient errors."""

from smtplib import SMTPException

from celery import shared_task

# Direct attempts of one webhook delivery (tramites.webhooks.entrega_enviar) before it is marked failed; the outbox
# (SALIDAS_MAX_INTENTOS) normally stops it first.
WEBHOOK_MAX_REINTENTOS = 8


@shared_task(
    name="tramites.enviar_correo_notificacion",
    autoretry_for=(SMTPException, ConnectionError),
    retry_backoff=True,
    max_retries=5,
    acks_late=True,
)
def enviar_correo_notificacion_task(*, notificacion_id: int, responder_a: str = "") -> bool:
    from .services import notificacion_enviar_correo

    return notificacion_enviar_correo(notificacion_id=notificacion_id, responder_a=responder_a)


@shared_task(
    name="tramites.enviar_correos_notificaciones",
    autoretry_for=(SMTPException, ConnectionError),
    retry_backoff=True,
    max_retries=5,
    acks_late=True,
)
def enviar_correos_notificaciones_task(*, notificacion_ids: list[int]) -> int:
    """The e-mails of a batch of notifications (one broker message for a periodic job's whole batch). Each
    e-mail is still sent exactly once: a retry skips those already marked as sent."""
    from .services import notificacion_enviar_correo

    return sum(notificacion_enviar_correo(notificacion_id=pk) for pk in notificacion_ids)


@shared_task(name="tramites.ping")
def ping_task(valor: int) -> int:
    """Health check used by the real-worker test and by operators of the deployment."""
    return valor


@shared_task(name="tramites.entregar_salida", acks_late=True, ignore_result=True)
def entregar_salida_task(*, salida_id: int) -> bool | None:
    """Deliver one outbox row (tramites/salidas.py). On a worker, a failed attempt is published again for its
    backoff time (best effort); eager mode leaves it to the periodic sweep."""
    from .models import Salida
    from .salidas import salida_entregar

    entregada = salida_entregar(salida_id=salida_id)
    if entregada is False and not entregar_salida_task.request.is_eager:
        salida = Salida.objects.filter(pk=salida_id, estado=Salida.Estado.PENDIENTE).first()
        if salida is not None:
            try:
                entregar_salida_task.apply_async(kwargs={"salida_id": salida_id}, eta=salida.proximo_intento)
            except Exception:  # noqa: BLE001, S110 - broker gone again: the sweep delivers it when it is due
                pass
    return entregada


@shared_task(name="tramites.barrer_salidas", acks_late=True)
def barrer_salidas_task() -> int:
    from .salidas import salidas_barrer

    return salidas_barrer()


@shared_task(name="tramites.reintentar_webhooks")
def reintentar_webhooks_task() -> int:
    """Former periodic job name (schedules saved in django-celery-beat): webhooks now leave by the outbox sweep."""
    from .salidas import salidas_barrer

    return salidas_barrer()


@shared_task(name="tramites.purgar_idempotencia")
def purgar_idempotencia_task() -> int:
    from .idempotencia import idempotencia_purgar

    return idempotencia_purgar()


@shared_task(name="tramites.asegurar_feriados")
def asegurar_feriados_task() -> int:
    from .services import feriados_anios_a_sembrar, feriados_asegurar

    return feriados_asegurar(anios=feriados_anios_a_sembrar())
