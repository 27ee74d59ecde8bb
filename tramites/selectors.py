"""Reads, scoped by who asks. Pages, admin and API all use these, so the visibility rules live here only.

- Officials (staff) see the records of a model only if their groups grant its `view_` (or `change_`) permission
  (`tramites.roles.GRUPOS`), the same rule as the admin; `is_staff` alone grants nothing. Apps may narrow this
  further (the desk: an analyst sees the tickets of its queues).
- An operator's user sees only its own operator's records.
- A customs agent's user sees the records of operators that delegated to its agency, only while the
  delegation is active.
- Anybody else sees no operator records.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from .models import AgenteAduana, Delegacion, Notificacion, Operador, Usuario


def puede_ver_modelo(usuario: Usuario, modelo: type[Model]) -> bool:
    """An active official whose groups grant the model's view (or change) permission, as the admin reads it."""
    if not (usuario.is_authenticated and usuario.is_active and usuario.is_staff):
        return False
    opts = modelo._meta.concrete_model._meta
    return usuario.has_perm(f"{opts.app_label}.view_{opts.model_name}") or usuario.has_perm(
        f"{opts.app_label}.change_{opts.model_name}"
    )


def operadores_ids_visibles(usuario: Usuario, *, modelo: type[Model], al: date | None = None) -> QuerySet | None:
    """Subquery of the ids of the operators whose `modelo` rows the user may see; None means every operator (an
    official whose groups grant the model's view permission). An official without it sees none."""
    if not usuario.is_authenticated:
        return Operador.objects.none().values("pk")
    if usuario.is_staff:
        return None if puede_ver_modelo(usuario, modelo) else Operador.objects.none().values("pk")
    filtro = Q(pk__in=[])
    if usuario.operador_id:
        filtro |= Q(pk=usuario.operador_id)
    if usuario.agente_id:
        filtro |= Q(pk__in=Delegacion.objects.activas(al).filter(agente_id=usuario.agente_id).values("operador_id"))
    return Operador.objects.filter(filtro).values("pk")


def alcance_operador(queryset: QuerySet, *, usuario: Usuario, campo: str = "operador", al: date | None = None) -> QuerySet:
    """Restrict any queryset whose rows belong to an operator (through `campo`) to what the user may see."""
    ids = operadores_ids_visibles(usuario, modelo=queryset.model, al=al)
    if ids is None:
        return queryset
    return queryset.filter(**{f"{campo}__in": ids})


def puede_ver_operador(usuario: Usuario, operador_id: int) -> bool:
    return alcance_operador(Operador.objects.filter(pk=operador_id), usuario=usuario, campo="pk").exists()


def operadores_listar(*, usuario: Usuario) -> QuerySet[Operador]:
    return alcance_operador(Operador.objects.select_related("distrito"), usuario=usuario, campo="pk")


def delegaciones_listar(*, usuario: Usuario) -> QuerySet[Delegacion]:
    qs = Delegacion.objects.select_related("operador", "agente", "revocada_por")
    if not usuario.is_authenticated:
        return qs.none()
    if usuario.is_staff:
        return qs if puede_ver_modelo(usuario, Delegacion) else qs.none()
    filtro = Q(pk__in=[])
    if usuario.operador_id:
        filtro |= Q(operador_id=usuario.operador_id)
    if usuario.agente_id:
        filtro |= Q(agente_id=usuario.agente_id)
    return qs.filter(filtro)


def operadores_delegantes(*, agente: AgenteAduana, al: date | None = None) -> QuerySet[Operador]:
    return Operador.objects.filter(pk__in=Delegacion.objects.activas(al).filter(agente=agente).values("operador_id")).order_by(
        "razon_social"
    )


def notificaciones_listar(*, usuario: Usuario) -> QuerySet[Notificacion]:
    return Notificacion.objects.filter(usuario=usuario)


def notificaciones_no_leidas(*, usuario: Usuario) -> int:
    return Notificacion.objects.filter(usuario=usuario, leida_en__isnull=True).count()


def usuarios_de_operador(*, operador_id: int, incluir_agentes: bool = False, al: date | None = None) -> QuerySet[Usuario]:
    """Who is told about an operator's records: its users, and optionally its active agents' users."""
    filtro = Q(operador_id=operador_id)
    if incluir_agentes:
        filtro |= Q(agente_id__in=Delegacion.objects.activas(al).filter(operador_id=operador_id).values("agente_id"))
    return Usuario.objects.filter(filtro, is_active=True)


def objeto_de_operador_o_404(queryset: QuerySet, *, usuario: Usuario, campo: str = "operador", **lookup) -> Model:
    from .exceptions import NoEncontrado

    obj = alcance_operador(queryset, usuario=usuario, campo=campo).filter(**lookup).first()
    if obj is None:
        raise NoEncontrado()
    return obj


def hoy() -> date:
    return timezone.localdate()


def puede_actuar_por_operador(usuario: Usuario, operador_id: int, *, al: date | None = None) -> bool:
    """May this user file or act for the operator: its own users, or an agency with an active delegation.
    Officials never act for an operator (they review)."""
    if not usuario.is_authenticated or usuario.is_staff:
        return False
    if usuario.operador_id:
        return usuario.operador_id == operador_id
    if usuario.agente_id:
        return Delegacion.objects.activas(al).filter(agente_id=usuario.agente_id, operador_id=operador_id).exists()
    return False


# --- Records that other rows point to generically (attachments, transition log) ------------------------------

_ALCANCES: dict[type[Model], Callable[[Usuario], QuerySet]] = {}


def registrar_alcance(modelo: type[Model], visibles: Callable[[Usuario], QuerySet]) -> None:
    """Declare the scoped selector of a model that attachments or transitions point to (`AppConfig.ready()`):
    `visibles(usuario)` returns the rows of `modelo` the user may see, the same queryset its pages and API use."""
    _ALCANCES[modelo] = visibles


def objetos_visibles(usuario: Usuario, modelo: type[Model]) -> QuerySet:
    """The rows of `modelo` the user may see through its registered selector; none for an unregistered model."""
    visibles = _ALCANCES.get(modelo._meta.concrete_model)
    if visibles is None or not usuario.is_authenticated:
        return modelo._default_manager.none()
    return visibles(usuario)


def puede_ver_objeto(usuario: Usuario, objeto: Model) -> bool:
    """May the user see this record (and so its attachments and history): its own scoped selector decides."""
    return objetos_visibles(usuario, type(objeto)).filter(pk=objeto.pk).exists()


def alcance_generico(queryset: QuerySet, *, usuario: Usuario) -> QuerySet:
    """Restrict rows with a generic relation (`content_type`, `object_id`: attachments, transitions) to those whose
    record the user may see through that record's selector. One subquery per registered model, in one statement."""
    filtro = Q(pk__in=[])
    tipos = ContentType.objects.get_for_models(*_ALCANCES)
    for modelo, tipo in tipos.items():
        filtro |= Q(content_type=tipo, object_id__in=objetos_visibles(usuario, modelo).values("pk"))
    return queryset.filter(filtro)


def adjuntos_visibles(usuario: Usuario) -> QuerySet:
    from .models import Adjunto

    return alcance_generico(Adjunto.objects.select_related("content_type"), usuario=usuario)


def transiciones_visibles(usuario: Usuario) -> QuerySet:
    from .models import Transicion

    return alcance_generico(Transicion.objects.all(), usuario=usuario)
