"""Transactional outbox: every side effect of a state change leaves through here (ADR 0014).

A service calls `salida_encolar(manejador=…, argumentos=…, clave=…)` INSIDE its transaction: one `Salida` row is
written with the change (unique `clave`, so the same effect enqueued twice is one row). After the commit a
best-effort publish hands the row's id to the broker with a short timeout (`SALIDAS_PUBLICAR_*`); if the broker
is down the request still answers and the row stays pending. A worker (`tramites.entregar_salida`) or the periodic
sweep (`tramites.barrer_salidas`, also `manage.py ejecutar_tareas`) delivers due rows: row lock with
`skip_locked`, the handler runs, the row is marked delivered in the same transaction. A failure is retried with
exponential backoff (`SALIDAS_REINTENTO_BASE_SEGUNDOS`·2ⁿ, at most `SALIDAS_REINTENTO_MAXIMO_SEGUNDOS`) and after
`SALIDAS_MAX_INTENTOS` attempts the row is `fallida`, visible in the admin, where an official re-queues it.

Delivery guarantees. When the effect is a database write, it commits with the "delivered" mark: exactly once.
An e-mail or an HTTP call cannot join the transaction: it is sent, then the mark commits. A crash between the two
sends it again on the next attempt (at least once); the handlers narrow that window with their own unique marks
(`Notificacion.correo_enviado_en`, `CorreoEntrante.respuesta_enviada_en`, `EntregaWebhook.estado`), so a delivery
already marked is never repeated.

Handlers are registered by name (`registrar(nombre, "modulo.funcion")`), imported lazily when they run. A handler
returns normally when done; raising `Reintentar` asks for a retry keeping what the handler wrote (e.g. the
attempt count of a webhook); any other exception rolls the handler's writes back and is retried too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import Salida

logger = logging.getLogger(__name__)

MANEJADORES: dict[str, str] = {}
AL_FALLAR: dict[str, str] = {}


class Reintentar(Exception):
    """Raised by a handler that recorded a failed attempt itself: keep its writes, retry later."""


class ManejadorDesconocido(LookupError):
    pass


def registrar(nombre: str, ruta: str, *, al_fallar: str = "") -> None:
    """Register a handler by dotted path; `al_fallar` (optional) runs when the row becomes `fallida`."""
    MANEJADORES[nombre] = ruta
    if al_fallar:
        AL_FALLAR[nombre] = al_fallar


def _ajuste(nombre: str, defecto):
    return getattr(settings, nombre, defecto)


def espera_reintento(intentos: int) -> timedelta:
    """Backoff after the `intentos`-th failed attempt: base·2^(intentos-1) seconds, capped."""
    base = _ajuste("SALIDAS_REINTENTO_BASE_SEGUNDOS", 30)
    tope = _ajuste("SALIDAS_REINTENTO_MAXIMO_SEGUNDOS", 3600)
    return timedelta(seconds=min(base * 2 ** max(intentos - 1, 0), tope))


def salida_encolar(*, manejador: str, argumentos: dict, clave: str) -> None:
    """Write one outbox row in the caller's transaction (required) and publish it after commit.

    The same `clave` enqueued again (a retried request, a re-run job) adds nothing.
    """
    salidas_encolar(manejador=manejador, lote=[(clave, argumentos)])


def salidas_encolar(*, manejador: str, lote: list[tuple[str, dict]]) -> None:
    """Several rows of one handler in one INSERT (`lote`: pairs of clave and argumentos)."""
    if manejador not in MANEJADORES:
        raise ManejadorDesconocido(manejador)
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("salida_encolar() must run inside the transaction of the change it belongs to.")
    if not lote:
        return
    Salida.objects.bulk_create(
        [Salida(manejador=manejador, argumentos=argumentos, clave=clave) for clave, argumentos in lote],
        ignore_conflicts=True,
    )
    claves = [clave for clave, _ in lote]
    transaction.on_commit(lambda: salidas_publicar(claves=claves))


def salidas_publicar(*, claves: list[str]) -> int:
    """After commit: hand each pending row to the broker (eager mode: deliver in-process). Never raises: a row
    not published stays pending for the sweep. Returns how many were published."""
    from .tasks import entregar_salida_task

    publicadas = 0
    ids = Salida.objects.filter(clave__in=claves, estado=Salida.Estado.PENDIENTE).values_list("pk", flat=True)
    for pk in list(ids):
        try:
            entregar_salida_task.apply_async(kwargs={"salida_id": pk})  # short timeouts: see settings
            publicadas += 1
        except Exception:  # broker down or slow: the sweep delivers it later
            logger.warning("Salida %s no publicada en el broker; queda pendiente para el barrido.", pk, exc_info=True)
    return publicadas


def _manejador(nombre: str) -> Callable[..., object]:
    try:
        return import_string(MANEJADORES[nombre])
    except KeyError:
        raise ManejadorDesconocido(nombre) from None


def salida_entregar(*, salida_id: int, solo_vencida: bool = False) -> bool | None:
    """Deliver one row once. Returns True when delivered now, False when it failed (retry scheduled or final
    failure), None when there was nothing to do (already delivered, failed, locked by another deliverer, or, with
    `solo_vencida`, not yet due)."""
    with transaction.atomic():
        qs = Salida.objects.select_for_update(skip_locked=True).filter(pk=salida_id, estado=Salida.Estado.PENDIENTE)
        if solo_vencida:
            qs = qs.filter(proximo_intento__lte=timezone.now())
        salida = qs.first()
        if salida is None:
            return None
        salida.intentos += 1
        error = ""
        try:
            with transaction.atomic():
                try:
                    _manejador(salida.manejador)(**salida.argumentos)
                except Reintentar as e:  # the handler's own record of the attempt is kept
                    error = str(e) or "Reintentar"
        except Exception as e:  # noqa: BLE001 - any failure of an effect is recorded and retried
            error = f"{type(e).__name__}: {e}"
        salida.ultimo_error = error[:2000]
        if not error:
            salida.estado = Salida.Estado.ENTREGADA
            salida.entregada_en = timezone.now()
        elif salida.intentos >= _ajuste("SALIDAS_MAX_INTENTOS", 8):
            salida.estado = Salida.Estado.FALLIDA
            if salida.manejador in AL_FALLAR:
                import_string(AL_FALLAR[salida.manejador])(**salida.argumentos)
        else:
            salida.proximo_intento = timezone.now() + espera_reintento(salida.intentos)
        salida.save()
    if error:
        logger.warning("Salida %s (%s) falló el intento %s: %s", salida.pk, salida.manejador, salida.intentos, error)
    return not error


def salidas_barrer(*, lote: int | None = None, maximo: int | None = None) -> int:
    """Periodic sweep: deliver due pending rows, oldest due first, in batches of `SALIDAS_TAMANO_LOTE`; each row in its
    own transaction under `select_for_update(skip_locked=True)` (a row a worker holds is left to it).
    Returns how many were delivered."""
    lote = lote or _ajuste("SALIDAS_TAMANO_LOTE", 50)
    maximo = maximo or _ajuste("SALIDAS_MAXIMO_POR_BARRIDO", 1000)
    entregadas = 0
    vistas: list[int] = []
    while len(vistas) < maximo:
        ids = list(
            Salida.objects.pendientes_vencidas()
            .exclude(pk__in=vistas)  # a row skipped or failed now is never picked twice in one sweep
            .order_by("proximo_intento", "pk")
            .values_list("pk", flat=True)[:lote]
        )
        if not ids:
            break
        for pk in ids:
            entregadas += bool(salida_entregar(salida_id=pk, solo_vencida=True))
        vistas += ids
    return entregadas


@transaction.atomic
def salida_reencolar(*, salida_id: int) -> bool:
    """An official's action on a failed (or pending) row: attempts back to zero, due now, published after commit."""
    salida = Salida.objects.select_for_update().filter(pk=salida_id).exclude(estado=Salida.Estado.ENTREGADA).first()
    if salida is None:
        return False
    salida.estado = Salida.Estado.PENDIENTE
    salida.intentos = 0
    salida.proximo_intento = timezone.now()
    salida.save(update_fields=["estado", "intentos", "proximo_intento", "actualizada_en"])
    clave = salida.clave
    transaction.on_commit(lambda: salidas_publicar(claves=[clave]))
    return True
