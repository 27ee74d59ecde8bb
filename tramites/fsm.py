"""The audited state-machine base every procedure record uses.

A record inherits `RegistroFSM` (optimistic locking on its state fields through django-fsm-2's
`ConcurrentTransitionMixin`) and declares `@transition`s on a `protected=True` FSMField named `estado`.
Services change state only through `transicionar()`, which checks the transition is allowed from the
current state and permitted for the user, runs it, saves, and writes the append-only `Transicion` row —
all in the caller's transaction.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django_fsm import (
    ConcurrentTransition,
    ConcurrentTransitionMixin,
    FSMFieldMixin,
    Transition,
    TransitionNotAllowed,
    can_proceed,
    has_transition_perm,
)

from .exceptions import ComentarioRequerido, ConflictoConcurrente, PermisoDenegado, TransicionNoPermitida

if TYPE_CHECKING:
    from .models import Transicion, Usuario


class RegistroFSM(ConcurrentTransitionMixin, models.Model):
    """Abstract base of every audited record: timestamps plus optimistic locking on `estado`."""

    creado_en = models.DateTimeField("creado en", auto_now_add=True)
    actualizado_en = models.DateTimeField("actualizado en", auto_now=True)

    class Meta:
        abstract = True

    @property
    def state_fields(self) -> tuple[FSMFieldMixin, ...]:
        # django-fsm filters every field of the model on every instantiation (it records the initial state for the
        # optimistic lock): ~10 µs per row of a list. The state fields of a model class never change.
        return _campos_de_estado(type(self))

    def transiciones(self):
        """The record's timeline, oldest first."""
        from .models import Transicion

        return Transicion.objects.de(self).select_related("por")

    def acciones_disponibles(self, usuario: Usuario) -> list[Transition]:
        """Transitions the user may run now (allowed from the current state, conditions met, permitted)."""
        return list(self.get_available_user_estado_transitions(usuario))


@cache
def _campos_de_estado(modelo: type[models.Model]) -> tuple[FSMFieldMixin, ...]:
    return tuple(f for f in modelo._meta.fields if isinstance(f, FSMFieldMixin))


def definicion_transicion(objeto: models.Model, nombre: str) -> Transition | None:
    """The django-fsm Transition `nombre` would run from the object's current state, if any."""
    meta = getattr(getattr(type(objeto), nombre, None), "_django_fsm", None)
    if meta is None:
        return None
    return meta.get_transition(objeto.estado)


def etiqueta_transicion(objeto: models.Model, nombre: str) -> str:
    meta = getattr(getattr(type(objeto), nombre, None), "_django_fsm", None)
    if meta is None:
        return nombre
    for t in meta.transitions.values():
        return t.custom.get("label", nombre)
    return nombre


def verificar_transicion(
    objeto: RegistroFSM, nombre: str, *, por: Usuario | None, comentario: str = "", verificar_permiso: bool = True
) -> None:
    """Raise the error `transicionar()` would raise before running anything: TransicionNoPermitida (409),
    PermisoDenegado (403) or ComentarioRequerido (400). Services call it before preparing a transition's data."""
    metodo = getattr(objeto, nombre, None)
    if metodo is None or not hasattr(metodo, "_django_fsm"):
        raise TransicionNoPermitida(f"La acción «{nombre}» no existe.", accion=nombre, estado=objeto.get_estado_display())
    accion = etiqueta_transicion(objeto, nombre)
    if not can_proceed(metodo, check_conditions=False):
        raise TransicionNoPermitida(accion=accion, estado=objeto.get_estado_display())
    if not can_proceed(metodo):
        raise TransicionNoPermitida(
            f"No se cumplen las condiciones para «{accion}» en estado «{objeto.get_estado_display()}».",
            accion=accion,
            estado=objeto.get_estado_display(),
        )
    if verificar_permiso and por is not None and not has_transition_perm(metodo, por):
        raise PermisoDenegado()
    definicion = definicion_transicion(objeto, nombre)
    if definicion and definicion.custom.get("requiere_comentario") and not comentario.strip():
        raise ComentarioRequerido(accion=accion, campo="comentario")


def transicionar(
    objeto: RegistroFSM,
    nombre: str,
    *,
    por: Usuario | None,
    comentario: str = "",
    verificar_permiso: bool = True,
    **kwargs: Any,
) -> Transicion:
    """Run transition `nombre` on `objeto`, save it and log it. Must run inside `transaction.atomic()`.

    `por=None` means the system (a periodic job); system transitions skip the permission check.
    Raises TransicionNoPermitida (409), PermisoDenegado (403), ComentarioRequerido (400) or
    ConflictoConcurrente (409) and leaves nothing saved.
    """
    from .models import Transicion

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("transicionar() debe ejecutarse dentro de transaction.atomic().")
    verificar_transicion(objeto, nombre, por=por, comentario=comentario, verificar_permiso=verificar_permiso)
    estado_anterior = objeto.estado
    metodo = getattr(objeto, nombre)
    try:
        metodo(**kwargs)
    except TransitionNotAllowed as exc:  # pragma: no cover - guarded above, kept for safety
        raise TransicionNoPermitida(accion=etiqueta_transicion(objeto, nombre), estado=objeto.get_estado_display()) from exc
    try:
        with transaction.atomic():
            objeto.save()
    except ConcurrentTransition as exc:
        raise ConflictoConcurrente() from exc
    registro = Transicion.objects.create(
        objeto=objeto,
        transicion=nombre,
        desde=estado_anterior,
        hacia=objeto.estado,
        por=por,
        comentario=comentario.strip(),
    )
    from .webhooks import encolar_por_transicion

    encolar_por_transicion(objeto, registro)
    return registro
