"""Reads, scoped by who asks. Pages, admin and API all use these, so the visibility rules live here only.

- Officials (staff) see everything their group permits.
- An operator's user sees only its own operator's records.
- A customs agent's user sees the records of operators that delegated to its agency, only while the
  delegation is active.
- Anybody else sees no operator records.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from .models import AgenteAduana, Delegacion, Notificacion, Operador, Usuario


def operadores_ids_visibles(usuario: Usuario, *, al: date | None = None) -> QuerySet | None:
    """Subquery of operator ids the user may see; None means no restriction (officials)."""
    if not usuario.is_authenticated:
        return Operador.objects.none().values("pk")
    if usuario.is_staff:
        return None
    filtro = Q(pk__in=[])
    if usuario.operador_id:
        filtro |= Q(pk=usuario.operador_id)
    if usuario.agente_id:
        filtro |= Q(pk__in=Delegacion.objects.activas(al).filter(agente_id=usuario.agente_id).values("operador_id"))
    return Operador.objects.filter(filtro).values("pk")


def alcance_operador(queryset: QuerySet, *, usuario: Usuario, campo: str = "operador", al: date | None = None) -> QuerySet:
    """Restrict any queryset whose rows belong to an operator (through `campo`) to what the user may see."""
    ids = operadores_ids_visibles(usuario, al=al)
    if ids is None:
        return queryset
    return queryset.filter(**{f"{campo}__in": ids})


def puede_ver_operador(usuario: Usuario, operador_id: int) -> bool:
    return alcance_operador(Operador.objects.filter(pk=operador_id), usuario=usuario, campo="pk").exists()


def operadores_listar(*, usuario: Usuario) -> QuerySet[Operador]:
    return alcance_operador(Operador.objects.select_related("distrito"), usuario=usuario, campo="pk")


def delegaciones_listar(*, usuario: Usuario) -> QuerySet[Delegacion]:
    qs = Delegacion.objects.select_related("operador", "agente")
    if usuario.is_staff:
        return qs
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


def puede_ver_objeto(usuario: Usuario, objeto: Model) -> bool:
    """Who may see a record (and its attachments): officials; otherwise the record's own rule
    (`visible_para(usuario)`), or the operator scoping for records that belong to an operator."""
    if not usuario.is_authenticated:
        return False
    if usuario.is_staff:
        return True
    if hasattr(objeto, "visible_para"):
        return bool(objeto.visible_para(usuario))
    operador_id = objeto.pk if isinstance(objeto, Operador) else getattr(objeto, "operador_id", None)
    return operador_id is not None and puede_ver_operador(usuario, operador_id)
