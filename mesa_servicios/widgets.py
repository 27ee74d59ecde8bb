"""Dashboard widgets (tramites.panel): the user's open tickets; the official's queue with its SLA at risk."""

from __future__ import annotations

from tramites.panel import Widget

from . import selectors
from .models import Ticket


def mis_tickets(usuario) -> Widget | None:
    if usuario.is_staff:
        return None
    abiertos = selectors.tickets_listar(usuario=usuario, estado="abiertos")
    return Widget(
        titulo="Mesa de Servicios: mis tickets abiertos",
        plantilla="mesa_servicios/widgets/_mis_tickets.html",
        contexto={"tickets": list(abiertos[:5]), "pendientes": abiertos.filter(estado=Ticket.Estado.PENDIENTE_USUARIO).count()},
        orden=20,
    )


def cola_de_atencion(usuario) -> Widget | None:
    if not selectors.es_de_la_mesa(usuario):
        return None
    return Widget(
        titulo="Mesa de Servicios: mi cola",
        plantilla="mesa_servicios/widgets/_cola.html",
        contexto={"resumen": selectors.resumen_cola(usuario=usuario)},
        orden=20,
    )
