from django import template

from mesa_servicios.models import Ticket

register = template.Library()
_ESTADOS = dict(Ticket.Estado.choices)


@register.filter
def estado_ticket(valor: str) -> str:
    """Spanish label of a ticket state code (for the transition log)."""
    return _ESTADOS.get(valor, valor)
