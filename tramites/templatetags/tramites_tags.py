"""Display helpers for audited records: state and transition labels in timelines, money and quantities."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

from tramites.fsm import etiqueta_transicion

register = template.Library()


@register.filter
def estado_de(valor: str, objeto) -> str:
    """`{{ t.hacia|estado_de:objeto }}` → the state's Spanish label on that record's model."""
    if not valor:
        return "—"
    try:
        opciones = dict(objeto._meta.get_field("estado").choices)
    except Exception:  # noqa: BLE001 - any object without a state field shows the raw value
        return valor
    return opciones.get(valor, valor)


@register.filter
def accion_de(nombre: str, objeto) -> str:
    """`{{ t.transicion|accion_de:objeto }}` → the transition's label ("Aprobar", "Observar", …)."""
    return etiqueta_transicion(objeto, nombre)


@register.filter
def usd(valor) -> str:
    """Money in US dollars with thousands separators: 12.345,67 → "USD 12.345,67"."""
    if valor is None or valor == "":
        return "—"
    return f"USD {intcomma(Decimal(valor).quantize(Decimal('0.01')))}"


@register.filter
def cantidad(valor) -> str:
    """A quantity without trailing zeros: 1500.000000 → "1.500"."""
    if valor is None or valor == "":
        return "—"
    d = Decimal(valor).normalize()
    if d == d.to_integral():
        d = d.quantize(Decimal(1))
    return intcomma(d)


@register.simple_tag(takes_context=True)
def url_pagina(context, pagina, numero: int) -> str:
    """`{% url_pagina pagina 3 %}` → "?estado=aceptada&pagina=3": the current filters with another page (the
    page's parameter name comes from `tramites.paginacion.paginar`)."""
    consulta = context["request"].GET.copy()
    consulta.pop("formato", None)
    consulta[getattr(pagina, "parametro", "pagina")] = numero
    return f"?{consulta.urlencode()}"
