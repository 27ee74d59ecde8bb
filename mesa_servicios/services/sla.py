"""Periodic jobs of the desk: SLA warnings to supervisors (exactly once per ticket and threshold) and closing of
tickets whose user did not act in time."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tramites import roles
from tramites.exceptions import ErrorDeNegocio
from tramites.fsm import transicionar
from tramites.models import Usuario
from tramites.services import notificar

from ..models import AvisoSla, Ticket


def _supervisores():
    return Usuario.objects.filter(is_active=True, is_staff=True, groups__name=roles.SUPERVISOR).distinct()


def sla_verificar(*, ahora: datetime | None = None) -> int:
    """Warn supervisors (and the assigned analyst) about tickets whose clock reached the warning point or the
    deadline. Each ticket is warned once per threshold: the unique AvisoSla row decides, so re-runs and two
    concurrent workers never warn twice. Duplicates linked to a parent incident are not warned (their parent is).
    Returns the number of new warnings."""
    ahora = ahora or timezone.now()
    nuevos: list[tuple[Ticket, str]] = []
    for umbral, campo in ((AvisoSla.Umbral.VENCIDO, "sla_vence_en"), (AvisoSla.Umbral.RIESGO, "sla_aviso_en")):
        candidatos = (
            Ticket.objects.filter(**{f"{campo}__lte": ahora}, estado__in=Ticket.SIN_RESPUESTA)
            .exclude(estado=Ticket.Estado.VINCULADO)
            .exclude(avisos_sla__umbral=umbral)
            .select_related("asignado_a", "area")
            .order_by(campo)
        )
        for ticket in candidatos:
            if umbral == AvisoSla.Umbral.RIESGO and ticket.avisos_sla.filter(umbral=AvisoSla.Umbral.VENCIDO).exists():
                continue  # already warned as breached: "at risk" would be noise
            try:
                with transaction.atomic():
                    AvisoSla.objects.create(ticket=ticket, umbral=umbral)
            except IntegrityError:
                continue  # another worker warned it first
            nuevos.append((ticket, umbral))
    if nuevos:
        _enviar_resumenes(nuevos)
    return len(nuevos)


def _linea(ticket: Ticket, umbral: str) -> str:
    vence = timezone.localtime(ticket.sla_vence_en)
    estado = "VENCIDO" if umbral == AvisoSla.Umbral.VENCIDO else "en riesgo"
    asignado = ticket.asignado_a or "sin asignar"
    return f"- {ticket.numero} ({ticket.get_tipo_display()}, {ticket.area}): {estado}, vence {vence:%d/%m/%Y %H:%M}; {asignado}"


def _enviar_resumenes(nuevos: list[tuple[Ticket, str]]) -> None:
    """One digest per recipient and run (an ECUAPASS outage must not send hundreds of e-mails)."""
    por_destinatario: dict[Usuario, list[str]] = defaultdict(list)
    supervisores = list(_supervisores())
    for ticket, umbral in nuevos:
        linea = _linea(ticket, umbral)
        for s in supervisores:
            por_destinatario[s].append(linea)
        if ticket.asignado_a and ticket.asignado_a not in supervisores:
            por_destinatario[ticket.asignado_a].append(linea)
    vencidos = sum(1 for _, u in nuevos if u == AvisoSla.Umbral.VENCIDO)
    asunto = f"Mesa de Servicios: {len(nuevos) - vencidos} ticket(s) en riesgo y {vencidos} vencido(s)"
    with transaction.atomic():
        for usuario, lineas in por_destinatario.items():
            notificar(
                usuarios=[usuario],
                asunto=asunto,
                mensaje="Tiempo de respuesta (horas hábiles):\n" + "\n".join(lineas),
                enlace=reverse("admin:mesa_servicios_ticket_changelist") + ("?cola=vencidos" if vencidos else "?cola=en_riesgo"),
            )


def tickets_cerrar_inactivos(*, ahora: datetime | None = None) -> int:
    """Close answered tickets the user neither accepted nor objected to, and tickets whose requested information
    never came, once their `cierre_automatico_en` passed. One transaction per ticket: a failure skips it only."""
    ahora = ahora or timezone.now()
    # A parent incident waiting for its user keeps its linked duplicates waiting too: the analyst decides.
    ids = (
        Ticket.objects.filter(
            estado__in=[Ticket.Estado.RESPONDIDO, Ticket.Estado.PENDIENTE_USUARIO], cierre_automatico_en__lte=ahora
        )
        .exclude(estado=Ticket.Estado.PENDIENTE_USUARIO, duplicados__estado=Ticket.Estado.VINCULADO)
        .values_list("pk", flat=True)
        .distinct()
    )
    cerrados = 0
    for ticket_id in list(ids):
        try:
            with transaction.atomic():
                ticket = Ticket.objects.select_for_update().get(pk=ticket_id)
                if ticket.cierre_automatico_en is None or ticket.cierre_automatico_en > ahora:
                    continue
                pendiente = ticket.estado == Ticket.Estado.PENDIENTE_USUARIO
                transicionar(
                    ticket,
                    "cerrar_por_inactividad",
                    por=None,
                    comentario="Cierre automático: el usuario no "
                    + ("aportó la información solicitada." if pendiente else "objetó la respuesta."),
                    ahora=ahora,
                )
                notificar(
                    usuarios=[ticket.solicitante] if ticket.solicitante_id else [],
                    asunto=f"[{ticket.numero}] Ticket cerrado",
                    mensaje=f"Su ticket {ticket.numero} se cerró porque no recibimos "
                    + ("la información solicitada." if pendiente else "objeciones a la respuesta.")
                    + " Si aún necesita ayuda, registre un ticket nuevo.",
                    enlace=reverse("mesa_servicios:detalle", args=[ticket.numero]),
                )
        except ErrorDeNegocio:
            continue
        cerrados += 1
    return cerrados
