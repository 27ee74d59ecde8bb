"""Reads of the service desk, scoped by who asks. Pages, admin and API use these, so visibility lives here only:

- A user (citizen, operator's or agency's user) sees only the tickets they reported.
- A desk official sees the queues of the areas whose group they belong to (plus tickets they reported).
- Supervisors (`mesa_servicios.ver_todas_las_colas`) and superusers see every queue.
- Other officials (regímenes, aforo) see no tickets.
"""

from __future__ import annotations

import re
from datetime import datetime

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, Count, F, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from tramites.exceptions import NoEncontrado
from tramites.models import Usuario
from tramites.selectors import puede_ver_modelo

from .models import Area, Motivo, Seguimiento, Ticket


def ve_todas_las_colas(usuario: Usuario) -> bool:
    return (
        usuario.is_active
        and usuario.is_staff
        and (usuario.is_superuser or usuario.has_perm("mesa_servicios.ver_todas_las_colas"))
    )


def areas_visibles(usuario: Usuario) -> QuerySet[Area]:
    """Queues the official attends (all for supervisors); none for non-officials."""
    if not (usuario.is_authenticated and usuario.is_staff):
        return Area.objects.none()
    if ve_todas_las_colas(usuario):
        return Area.objects.all()
    if not usuario.has_perm("mesa_servicios.view_ticket"):
        return Area.objects.none()
    return Area.objects.filter(grupo__in=usuario.groups.all())


def tickets_visibles(usuario: Usuario) -> QuerySet[Ticket]:
    if not usuario.is_authenticated or not usuario.is_active:
        return Ticket.objects.none()
    if not usuario.is_staff:
        return Ticket.objects.filter(solicitante=usuario)
    if ve_todas_las_colas(usuario):
        return Ticket.objects.all()
    return Ticket.objects.filter(Q(area__in=areas_visibles(usuario)) | Q(solicitante=usuario))


def ve_notas_internas(usuario: Usuario) -> bool:
    """Internal notes are for the desk's officials (their groups grant the messages' view permission), not for
    the requester, even when the requester is an official of another group."""
    return puede_ver_modelo(usuario, Seguimiento)


def seguimientos_visibles(usuario: Usuario) -> QuerySet[Seguimiento]:
    """Messages of the tickets the user sees; internal notes only for the desk's officials."""
    qs = Seguimiento.objects.filter(ticket__in=tickets_visibles(usuario).values("pk"))
    return qs if ve_notas_internas(usuario) else qs.exclude(tipo=Seguimiento.Tipo.NOTA)


def puede_ver(usuario: Usuario, ticket_id: int) -> bool:
    return tickets_visibles(usuario).filter(pk=ticket_id).exists()


def es_de_la_mesa(usuario: Usuario) -> bool:
    """An official who attends at least one queue."""
    return usuario.is_authenticated and usuario.is_staff and usuario.has_perm("mesa_servicios.atender_ticket")


def tickets_listar(*, usuario: Usuario, estado: str = "", tipo: str = "", cola: str = "") -> QuerySet[Ticket]:
    """List rows with everything the list shows in one query (constant as rows grow).

    `cola` (officials): "sin_asignar", "mios", "en_riesgo" (warning reached, not answered), "vencidos".
    """
    qs = tickets_visibles(usuario).select_related("area", "asignado_a", "solicitante", "motivo")
    if estado == "abiertos":
        qs = qs.filter(estado__in=Ticket.ABIERTOS)
    elif estado:
        qs = qs.filter(estado=estado)
    if tipo:
        qs = qs.filter(tipo=tipo)
    qs = filtrar_cola(qs, cola=cola, usuario=usuario)
    return qs.order_by("-creado_en", "-pk")


def filtrar_cola(qs: QuerySet[Ticket], *, cola: str, usuario: Usuario, ahora: datetime | None = None) -> QuerySet[Ticket]:
    """The officials' queue views (indexed columns only): sin_asignar, mios, en_riesgo, vencidos; else unchanged."""
    ahora = ahora or timezone.now()
    if cola == "sin_asignar":
        return qs.filter(estado=Ticket.Estado.REGISTRADO)
    if cola == "mios":
        return qs.filter(asignado_a=usuario, estado__in=Ticket.SIN_RESPUESTA)
    if cola == "en_riesgo":
        return qs.filter(sla_aviso_en__lte=ahora, sla_vence_en__gt=ahora)
    if cola == "vencidos":
        return qs.filter(sla_vence_en__lte=ahora)
    return qs


def ticket_obtener(*, usuario: Usuario, numero: str) -> Ticket:
    """One ticket with its conversation and attachments prefetched, or NoEncontrado (404) if out of scope.

    Joins only the small catalogues; users and the linked tickets come prefetched (one small query each, none when
    the link is empty). Joining the ticket table to itself twice and to three users made PostgreSQL spend ~9 ms
    planning a 0.5 ms query at 1,000,000 tickets (bench/RESULTS.md)."""
    seguimientos = Seguimiento.objects.select_related("autor").prefetch_related("adjuntos")
    if not ve_notas_internas(usuario):
        seguimientos = seguimientos.exclude(tipo=Seguimiento.Tipo.NOTA)
    ticket = (
        tickets_visibles(usuario)
        .select_related("area", "motivo", "distrito")
        .prefetch_related(
            "asignado_a",
            "solicitante",
            "registrado_por",
            "origen",
            "padre",
            "adjuntos",
            Prefetch("seguimientos", queryset=seguimientos),
            "continuaciones",
        )
        .filter(numero=numero)
        .first()
    )
    if ticket is None:
        raise NoEncontrado(f"El ticket {numero} no existe o no está a su alcance.")
    return ticket


def adjunto_de_ticket(ticket: Ticket, adjunto_id: int):
    """A file of a ticket or of one of its visible messages (both prefetched by `ticket_obtener`), or NoEncontrado."""
    for adjunto in [*ticket.adjuntos.all(), *(a for s in ticket.seguimientos.all() for a in s.adjuntos.all())]:
        if adjunto.pk == adjunto_id:
            return adjunto
    raise NoEncontrado("El archivo no existe o no está a su alcance.")


def motivos_activos() -> QuerySet[Motivo]:
    return Motivo.objects.filter(activo=True, area__activa=True).select_related("area")


def analistas_de_la_mesa() -> QuerySet[Usuario]:
    """Officials who attend tickets (through a group's permission); the assignment service checks the queue."""
    return (
        Usuario.objects.filter(
            is_active=True,
            is_staff=True,
            groups__permissions__codename="atender_ticket",
            groups__permissions__content_type__app_label="mesa_servicios",
        )
        .distinct()
        .order_by("first_name", "last_name")
    )


# --- Similar answered consultations ---------------------------------------------------------------------

_PALABRA = re.compile(r"[^\W\d_]{3,}")


def _palabras(texto: str, *, minimo: int) -> list[str]:
    vistas: dict[str, None] = {}
    for palabra in _PALABRA.findall(texto.lower()):
        if len(palabra) >= minimo:
            vistas.setdefault(palabra)
    return list(vistas)[:12]


def consultas_similares(*, texto: str, limite: int = 5) -> list[Ticket]:
    """Answered consultations that officials marked as publishable, closest first.

    PostgreSQL: full-text search with the `spanish` configuration over the stored, weighted search vector
    (subject A, description B, answer C; GIN index), any word matching, the last ones as prefixes, ranked
    with ts_rank. Other databases (the SQLite demo): words of 4+ letters matched with icontains, ranked by how
    many of them match.
    """
    base = (
        Ticket.objects.filter(tipo=Ticket.Tipo.CONSULTA, respuesta_publica=True, primera_respuesta_en__isnull=False)
        .only("numero", "asunto", "respuesta", "primera_respuesta_en", "motivo__nombre")
        .select_related("motivo")
    )
    if connection.vendor == "postgresql":
        palabras = _palabras(texto, minimo=3)
        if not palabras:
            return []
        consulta = SearchQuery(" | ".join(f"{p}:*" for p in palabras), search_type="raw", config="spanish")
        qs = base.filter(busqueda=consulta).annotate(rango=SearchRank(F("busqueda"), consulta)).order_by("-rango", "-pk")
        return list(qs[:limite])
    palabras = _palabras(texto, minimo=4)
    if not palabras:
        return []
    coincide = [Q(asunto__icontains=p) | Q(descripcion__icontains=p) | Q(respuesta__icontains=p) for p in palabras]
    filtro = coincide[0]
    for q in coincide[1:]:
        filtro |= q
    palabras_encontradas = sum((Case(When(q, then=Value(1)), default=Value(0)) for q in coincide), Value(0))
    qs = base.filter(filtro).annotate(rango=palabras_encontradas).order_by("-rango", "-primera_respuesta_en", "-pk")
    return list(qs[:limite])


# --- Dashboard and statistics -----------------------------------------------------------------------------


def resumen_cola(*, usuario: Usuario, ahora: datetime | None = None) -> dict[str, int]:
    """Counts for the official's dashboard, in one query."""
    ahora = ahora or timezone.now()
    qs = tickets_visibles(usuario).filter(estado__in=Ticket.SIN_RESPUESTA)
    return qs.aggregate(
        sin_asignar=Count("pk", filter=Q(estado=Ticket.Estado.REGISTRADO)),
        mios=Count("pk", filter=Q(asignado_a=usuario)),
        en_riesgo=Count("pk", filter=Q(sla_aviso_en__lte=ahora, sla_vence_en__gt=ahora)),
        vencidos=Count("pk", filter=Q(sla_vence_en__lte=ahora)),
        pendientes_usuario=Count("pk", filter=Q(estado=Ticket.Estado.PENDIENTE_USUARIO)),
    )


def _mes(anio: int, mes: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    desde = datetime(anio, mes, 1, tzinfo=tz)
    hasta = datetime(anio + (mes == 12), mes % 12 + 1, 1, tzinfo=tz)
    return desde, hasta


def _quejas(tramite: str) -> QuerySet[Ticket]:
    # An unverified e-mail ticket counts only once its sender confirms it (same below)
    return Ticket.objects.filter(tipo=Ticket.Tipo.QUEJA, tramite=tramite, verificado=True)


def _atenciones() -> QuerySet[Ticket]:
    return Ticket.objects.filter(tipo__in=[Ticket.Tipo.INCIDENTE, Ticket.Tipo.CONSULTA], verificado=True)


def volumen_quejas(*, tramite: str, anio: int, mes: int) -> int:
    """Quejas of a month: complaint tickets registered in that month (America/Guayaquil) about `tramite`."""
    desde, hasta = _mes(anio, mes)
    return _quejas(tramite).filter(creado_en__gte=desde, creado_en__lt=hasta).count()


def volumen_atenciones(*, anio: int, mes: int) -> int:
    """Atenciones of the Mesa de Servicios in a month: incidents and consultations whose first answer was given
    in that month (America/Guayaquil). Answers to linked duplicates count, one per user served."""
    desde, hasta = _mes(anio, mes)
    return _atenciones().filter(primera_respuesta_en__gte=desde, primera_respuesta_en__lt=hasta).count()


def _por_mes(qs: QuerySet[Ticket], campo: str, desde: datetime, hasta: datetime) -> QuerySet:
    return (
        qs.filter(**{f"{campo}__gte": desde, f"{campo}__lt": hasta})
        .order_by()
        .values(mes=TruncMonth(campo, tzinfo=timezone.get_default_timezone()))
        .annotate(total=Count("pk"))
    )


def quejas_por_mes(*, tramite: str, desde: datetime, hasta: datetime) -> QuerySet:
    """`volumen_quejas` for every month of [desde, hasta): one GROUP BY, rows {"mes", "total"} (months with none
    are absent). Unevaluated, so the transparency statistics run it together with the attentions in one query."""
    return _por_mes(_quejas(tramite), "creado_en", desde, hasta)


def atenciones_por_mes(*, desde: datetime, hasta: datetime) -> QuerySet:
    """`volumen_atenciones` for every month of [desde, hasta): one GROUP BY, rows {"mes", "total"}."""
    return _por_mes(_atenciones(), "primera_respuesta_en", desde, hasta)
