"""The two trámites whose statistics the portal publishes, with their written definitions (shown on the page,
in the files and in the admin) and how each one counts a range of months in ONE SQL statement.

Codes: `regimen_21` (the gob.ec file calls it `perfeccionamiento_activo`) and `mesa_servicios`, the same codes
as `mesa_servicios.Ticket.Tramite`, so a complaint ticket names the trámite it is about.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

from mesa_servicios import selectors as mesa
from tramites.models import Transicion

from .registro import Conteo, Fuente, Mes, contar_series, inicio_de_mes, registrar, siguiente

# ATENCIONES DEL RÉGIMEN 21 — the one place that says which audited transitions are an "atención": a
# procedure of the régimen attended (decided) by SENAE or by the system. Keys are model names of the
# `perfeccionamiento` app (lowercase, as in ContentType), values the `transicion` names of `tramites.Transicion`.
# A model listed here before it exists matches nothing until its transitions are logged (no code change then).
# When the régimen adds or renames a transition that attends a procedure, add it here (the test
# tests/transparencia/test_fuentes.py checks that every name listed for an existing model is a real transition).
ATENCIONES_REGIMEN_21: dict[str, tuple[str, ...]] = {
    "solicitudautorizacion": ("aprobar", "rechazar", "conceder_prorroga", "negar_prorroga"),
    "garantia": ("aprobar", "rechazar", "aprobar_modificacion", "rechazar_modificacion"),
    "codigoinsumo": ("aprobar", "rechazar"),
    "codigoproducto": ("aprobar", "rechazar"),
    "versioncoeficientes": ("aprobar", "rechazar"),
    "dai": ("autorizar_salida", "autorizar_salida_automatica"),
    "anexocompensatorio": ("aplicar",),
}
APP_REGIMEN_21 = "perfeccionamiento"


def _tipo_de_contenido(modelo: str) -> Subquery:
    """The content type's id, looked up inside the same statement (NULL while the model does not exist yet)."""
    return Subquery(ContentType.objects.filter(app_label=APP_REGIMEN_21, model=modelo).values("pk")[:1])


def atenciones_regimen_21_por_mes(*, desde, hasta) -> QuerySet:
    """Attention transitions of régimen 21 per month (America/Guayaquil) in [desde, hasta): rows {"mes", "total"}.

    Each model's content type is a scalar subquery of the same statement (evaluated once, before the scan): a model
    that does not exist yet matches nothing, and counts as soon as its transitions are logged. (A JOIN on
    django_content_type made PostgreSQL misestimate and loop over the content types: twice as slow, bench/.)"""
    por_modelo = reduce(
        or_,
        (
            Q(content_type=_tipo_de_contenido(modelo), transicion__in=transiciones)
            for modelo, transiciones in ATENCIONES_REGIMEN_21.items()
        ),
    )
    return (
        Transicion.objects.filter(por_modelo, en__gte=desde, en__lt=hasta)
        .order_by()
        .values(mes=TruncMonth("en", tzinfo=timezone.get_default_timezone()))
        .annotate(total=Count("pk"))
    )


def _limites(desde: Mes, hasta: Mes):
    return inicio_de_mes(desde), inicio_de_mes(siguiente(hasta))


def contar_regimen_21(desde: Mes, hasta: Mes) -> Conteo:
    inicio, fin = _limites(desde, hasta)
    return contar_series(
        mesa.quejas_por_mes(tramite="regimen_21", desde=inicio, hasta=fin),
        atenciones_regimen_21_por_mes(desde=inicio, hasta=fin),
    )


def contar_mesa_servicios(desde: Mes, hasta: Mes) -> Conteo:
    inicio, fin = _limites(desde, hasta)
    return contar_series(
        mesa.quejas_por_mes(tramite="mesa_servicios", desde=inicio, hasta=fin),
        mesa.atenciones_por_mes(desde=inicio, hasta=fin),
    )


REGIMEN_21 = Fuente(
    codigo="regimen_21",
    nombre="Admisión temporal para perfeccionamiento activo (régimen 21) y sus compensaciones",
    nombre_corto="Régimen 21: perfeccionamiento activo",
    definicion_queja=(
        "Quejas registradas en el mes en la Mesa de Servicios sobre el régimen 21 (tickets de tipo queja "
        "cuyo trámite es «Admisión temporal para perfeccionamiento activo»), según la fecha de registro."
    ),
    definicion_atencion=(
        "Trámites del régimen resueltos en el mes por SENAE o por el sistema: solicitudes de autorización "
        "aprobadas o rechazadas y prórrogas concedidas o negadas; garantías y modificaciones de garantía "
        "aprobadas o rechazadas; códigos de insumo y de producto y cuadros de coeficientes aprobados o "
        "rechazados; DAI 21 con salida autorizada (por aforo o automática); anexos compensatorios aplicados. "
        "Cada decisión cuenta una vez, en el mes en que quedó registrada."
    ),
    contar=contar_regimen_21,
    orden=10,
)

MESA_SERVICIOS = Fuente(
    codigo="mesa_servicios",
    nombre="Atención de incidentes en el sistema aduanero y consultas de procesos aduaneros a través de la mesa de servicios",
    nombre_corto="Mesa de Servicios",
    definicion_queja=(
        "Quejas registradas en el mes sobre la Mesa de Servicios (tickets de tipo queja cuyo trámite es "
        "«Mesa de Servicios»), según la fecha de registro."
    ),
    definicion_atencion=(
        "Incidentes de ECUAPASS y consultas que recibieron su primera respuesta de un analista en el mes. "
        "Cada usuario atendido cuenta una vez: los reportes duplicados de una misma falla, respondidos junto con "
        "el incidente principal, cuentan cada uno. Las quejas no son atenciones."
    ),
    contar=contar_mesa_servicios,
    orden=20,
)


def registrar_fuentes() -> None:
    registrar(REGIMEN_21)
    registrar(MESA_SERVICIOS)
