"""Webhooks to agent software on every state change of a record of a delegating operator.

`transicionar()` calls `encolar_por_transicion()` in the same transaction: one `EntregaWebhook` per agency
with an active delegation and a webhook URL (unique per transition and agency, so a re-run never duplicates),
and one outbox row (`tramites.salidas`, handler `tramites.webhook`) that sends it after commit and retries it
with exponential backoff; after the last attempt the delivery is `fallida`.

Request: `POST <webhook_url>` with a JSON body and headers
  X-SENAE-Evento: <app>.<modelo>.<transicion>      X-SENAE-Entrega: <id de la entrega>
  X-SENAE-Timestamp: <unix seconds>                 X-SENAE-Firma: sha256=<hex>
where the signature is HMAC-SHA256(secreto, f"{timestamp}.{body}"). Agents verify it with their secret
(shown on their "Tokens de API" page) and reject old timestamps.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time

from django.db import transaction
from django.utils import timezone

from . import red
from .models import AgenteAduana, Delegacion, EntregaWebhook, Operador, Transicion


class WebhookFallido(Exception):
    pass


def firmar(secreto: str, timestamp: str, cuerpo: bytes) -> str:
    mensaje = timestamp.encode() + b"." + cuerpo
    return "sha256=" + hmac.new(secreto.encode(), mensaje, hashlib.sha256).hexdigest()


def verificar_firma(secreto: str, timestamp: str, cuerpo: bytes, firma: str) -> bool:
    return hmac.compare_digest(firmar(secreto, timestamp, cuerpo), firma)


def operador_id_de(objeto) -> int | None:
    """The operator a record belongs to: itself for an Operador, else its `operador` foreign key."""
    return objeto.pk if isinstance(objeto, Operador) else getattr(objeto, "operador_id", None)


def _carga(objeto, t: Transicion, operador_id: int) -> dict:
    meta = objeto._meta
    return {
        "evento": f"{meta.app_label}.{meta.model_name}.{t.transicion}",
        "registro": {"tipo": f"{meta.app_label}.{meta.model_name}", "id": objeto.pk, "numero": getattr(objeto, "numero", None)},
        "operador": {"id": operador_id, "ruc": Operador.objects.values_list("ruc", flat=True).get(pk=operador_id)},
        "transicion": t.transicion,
        "desde": t.desde,
        "hacia": t.hacia,
        "comentario": t.comentario,
        "en": t.en.isoformat(),
    }


def _clave_salida(entrega_id: int) -> str:
    return f"webhook:{entrega_id}"


def encolar_por_transicion(objeto, t: Transicion) -> list[EntregaWebhook]:
    operador_id = operador_id_de(objeto)
    if operador_id is None:
        return []
    agentes = AgenteAduana.objects.filter(
        activo=True,
        pk__in=Delegacion.objects.activas().filter(operador_id=operador_id).values("agente_id"),
    ).exclude(webhook_url="")
    agentes = list(agentes)
    if not agentes:
        return []
    carga = _carga(objeto, t, operador_id)
    entregas = EntregaWebhook.objects.bulk_create(
        [EntregaWebhook(agente=a, transicion=t, evento=carga["evento"], url=a.webhook_url, carga=carga) for a in agentes],
        ignore_conflicts=False,
    )
    from .salidas import salidas_encolar

    salidas_encolar(manejador="tramites.webhook", lote=[(_clave_salida(e.pk), {"entrega_id": e.pk}) for e in entregas])
    return entregas


def _intentar(url: str, cuerpo: bytes, cabeceras: dict[str, str]) -> tuple[int | None, str]:
    """One HTTP attempt through `tramites.red` (the URL is validated again: DNS may have changed since it was
    registered). Returns (status code or None, error text; empty when delivered)."""
    try:
        codigo = red.post(url, cuerpo, cabeceras)
    except red.DestinoNoPermitido as e:
        return None, f"Destino no permitido: {e}"
    except red.FalloDeRed as e:
        return None, str(e)
    if 200 <= codigo < 300:
        return codigo, ""
    if 300 <= codigo < 400:
        return codigo, f"HTTP {codigo}: redirección no seguida (configure la URL final)"
    return codigo, f"HTTP {codigo}"


def entrega_enviar(*, entrega_id: int, ultimo_intento: bool = False, reintentable: bool = False) -> bool:
    """Send one delivery. Returns True when delivered (or already delivered); raises WebhookFallido to retry.

    On the last attempt a failure marks the delivery `fallida`, unless `reintentable` (eager mode, no broker):
    then it stays `pendiente` for the periodic re-send job, which stops after as many attempts as the task.
    Every outcome (refused address, no connection, timeout, not HTTP, redirect, HTTP error) is a recorded attempt.
    """
    from .tasks import WEBHOOK_MAX_REINTENTOS

    with transaction.atomic():
        entrega = EntregaWebhook.objects.select_for_update().select_related("agente").filter(pk=entrega_id).first()
        if entrega is None or entrega.estado == EntregaWebhook.Estado.ENTREGADA:
            return True
        entrega.intentos += 1
        cuerpo = json.dumps(entrega.carga, ensure_ascii=False, sort_keys=True).encode()
        timestamp = str(int(time.time()))
        cabeceras = {
            "Content-Type": "application/json",
            "User-Agent": "PortalSENAE-Webhooks/1.0",
            "X-SENAE-Evento": entrega.evento,
            "X-SENAE-Entrega": str(entrega.pk),
            "X-SENAE-Timestamp": timestamp,
            "X-SENAE-Firma": firmar(entrega.agente.webhook_secreto, timestamp, cuerpo),
        }
        entrega.ultimo_codigo_http, error = _intentar(entrega.url, cuerpo, cabeceras)
        entrega.ultimo_error = error
        if not error:
            entrega.estado = EntregaWebhook.Estado.ENTREGADA
            entrega.entregada_en = timezone.now()
        elif (ultimo_intento and not reintentable) or entrega.intentos > WEBHOOK_MAX_REINTENTOS:
            # Without a broker the periodic job re-sends; it stops after the same number of attempts, so a
            # delivery that can never succeed ends `fallida` instead of staying `pendiente` for ever.
            entrega.estado = EntregaWebhook.Estado.FALLIDA
        entrega.save()
    if error and not ultimo_intento:
        raise WebhookFallido(error)
    return not error


def webhook_entregar(*, entrega_id: int) -> None:
    """Outbox handler: one attempt; a failed attempt (recorded on the delivery) is retried by the outbox."""
    from .salidas import Reintentar

    try:
        entrega_enviar(entrega_id=entrega_id)
    except WebhookFallido as e:
        raise Reintentar(str(e)) from e


def webhook_marcar_fallida(*, entrega_id: int) -> None:
    """Outbox hook after the last attempt: the delivery log shows it failed."""
    EntregaWebhook.objects.filter(pk=entrega_id, estado=EntregaWebhook.Estado.PENDIENTE).update(
        estado=EntregaWebhook.Estado.FALLIDA
    )


@transaction.atomic
def entrega_reintentar(*, entrega_id: int) -> bool:
    """An official's action: send a delivery that has not arrived again, through the outbox."""
    from .models import Salida
    from .salidas import salida_encolar, salida_reencolar

    entrega = EntregaWebhook.objects.select_for_update().filter(pk=entrega_id).first()
    if entrega is None or entrega.estado == EntregaWebhook.Estado.ENTREGADA:
        return False
    entrega.estado = EntregaWebhook.Estado.PENDIENTE
    entrega.save(update_fields=["estado"])
    salida = Salida.objects.filter(clave=_clave_salida(entrega_id)).first()
    if salida is None:  # a delivery created before the outbox existed
        salida_encolar(manejador="tramites.webhook", argumentos={"entrega_id": entrega_id}, clave=_clave_salida(entrega_id))
    else:
        salida_reencolar(salida_id=salida.pk)
    return True
