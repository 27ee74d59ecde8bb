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


WEBHOOK_MAX_REINTENTOS = 8


def espera_reintento(reintentos: int) -> int:
    """Exponential backoff: base·2ⁿ seconds (base WEBHOOK_REINTENTO_BASE_SEGUNDOS, default 30), at most 1 h."""
    from django.conf import settings

    base = getattr(settings, "WEBHOOK_REINTENTO_BASE_SEGUNDOS", 30)
    return min(base * 2**reintentos, 3600)


@shared_task(bind=True, name="tramites.entregar_webhook", acks_late=True, max_retries=WEBHOOK_MAX_REINTENTOS)
def entregar_webhook_task(self, *, entrega_id: int) -> bool:
    """POST one webhook; on failure retry with exponential backoff, 8 times. Without a broker (eager mode) a
    failure is recorded and the periodic `tramites.reintentar_webhooks` job sends it again later."""
    from .webhooks import WebhookFallido, entrega_enviar

    ultimo = self.request.is_eager or self.request.retries >= self.max_retries
    try:
        return entrega_enviar(entrega_id=entrega_id, ultimo_intento=ultimo, reintentable=self.request.is_eager)
    except WebhookFallido as exc:
        raise self.retry(exc=exc, countdown=espera_reintento(self.request.retries)) from exc


@shared_task(name="tramites.reintentar_webhooks")
def reintentar_webhooks_task() -> int:
    from .webhooks import entregas_reencolar

    return entregas_reencolar()


@shared_task(name="tramites.purgar_idempotencia")
def purgar_idempotencia_task() -> int:
    from .idempotencia import idempotencia_purgar

    return idempotencia_purgar()


@shared_task(name="tramites.asegurar_feriados")
def asegurar_feriados_task() -> int:
    from .services import feriados_anios_a_sembrar, feriados_asegurar

    return feriados_asegurar(anios=feriados_anios_a_sembrar())
