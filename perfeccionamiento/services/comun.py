"""Helpers every régimen 21 service uses: row lock, who may act, model validation, notifications."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from tramites import roles
from tramites.exceptions import DatosInvalidos, NoEncontrado, PermisoDenegado
from tramites.fsm import RegistroFSM, transicionar, verificar_transicion
from tramites.models import Operador, Transicion, Usuario
from tramites.selectors import puede_actuar_por_operador, usuarios_de_operador
from tramites.services import exigir_operador_habilitado, notificar

M = TypeVar("M", bound=models.Model)


def bloquear(modelo: type[M], pk: int) -> M:
    """The row, locked until the transaction ends (`SELECT … FOR NO KEY UPDATE` on PostgreSQL)."""
    objeto = modelo.objects.select_for_update(no_key=True).filter(pk=pk).first()
    if objeto is None:
        raise NoEncontrado()
    return objeto


def exigir_actuar_por(usuario: Usuario, operador: Operador) -> None:
    """Only the operator's users (or its agency while delegated) file and change its records."""
    if not puede_actuar_por_operador(usuario, operador.pk):
        raise PermisoDenegado("Solo el operador o su agente de aduana con delegación vigente puede hacer esto.")
    exigir_operador_habilitado(operador)


def validar_modelo(objeto: models.Model, *, excluir: list[str] | None = None) -> None:
    """Run the model's field validators and constraints; errors become DatosInvalidos (400, per field)."""
    excluir = [*(excluir or []), "estado"]  # protected FSM field: it changes only through transitions
    try:
        objeto.full_clean(exclude=excluir, validate_unique=True, validate_constraints=True)
    except ValidationError as e:
        raise DatosInvalidos({campo: list(mensajes) for campo, mensajes in e.message_dict.items()}) from None


def funcionarios_regimenes():
    return Usuario.objects.filter(is_staff=True, is_active=True, groups__name=roles.REGIMENES).distinct()


def enlace_admin(objeto: models.Model) -> str:
    meta = objeto._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[objeto.pk])


def avisar_transicion(objeto: RegistroFSM, t: Transicion) -> None:
    """Tell the other side: SENAE's reviewers when the operator acts, the operator and its agents otherwise."""
    nombre = objeto._meta.verbose_name
    estado = objeto.get_estado_display()
    comentario = f"\n\nComentario: {t.comentario}" if t.comentario else ""
    if t.por is not None and not t.por.is_staff:
        notificar(
            usuarios=funcionarios_regimenes(),
            asunto=f"{nombre.capitalize()} {objeto} — {estado}",
            mensaje=f"{objeto.operador.razon_social} pasó {nombre} {objeto} a «{estado}».{comentario}",
            enlace=enlace_admin(objeto),
        )
    else:
        notificar(
            usuarios=usuarios_de_operador(operador_id=objeto.operador_id, incluir_agentes=True),
            asunto=f"{nombre.capitalize()} {objeto}: {estado}",
            mensaje=f"{'SENAE' if t.por else 'El sistema'} cambió {nombre} {objeto} a «{estado}».{comentario}",
            enlace=objeto.get_absolute_url(),
        )


Preparador = Callable[..., dict[str, Any]]


def ejecutar_transicion(
    modelo: type[RegistroFSM],
    *,
    pk: int,
    accion: str,
    por: Usuario | None,
    comentario: str = "",
    preparadores: dict[str, Preparador],
    datos: dict[str, Any],
    reglas_previas: dict[str, Callable[[Any], None]] | None = None,
) -> RegistroFSM:
    """Lock → the action's specific refusals (`reglas_previas`, clearer than a generic "not allowed") → check the
    transition is allowed/permitted → the action's own rules (its preparador returns the transition's
    arguments) → transition + log → notify. Runs in the caller's transaction."""
    objeto = bloquear(modelo, pk)
    if reglas_previas and accion in reglas_previas:
        reglas_previas[accion](objeto)
    verificar_transicion(objeto, accion, por=por, comentario=comentario)
    preparar = preparadores.get(accion)
    kwargs = preparar(objeto, por=por, comentario=comentario, **datos) if preparar else {}
    t = transicionar(objeto, accion, por=por, comentario=comentario, **kwargs)
    avisar_transicion(objeto, t)
    return objeto
