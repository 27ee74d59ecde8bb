"""SENAE official groups and their permissions, kept in code and applied after every migrate.

Each entry is "app_label.codename", or "app_label.*" for every permission of an app, or
"app_label.view_*" for every view permission of an app. Apps added later list their permissions here.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

REGIMENES = "Regímenes especiales"
AFORO = "Aforo"
MESA = "Mesa de servicios"
ANALISIS_FUNCIONAL = "Jefatura de Análisis Funcional"
SUPERVISOR = "Supervisor"

# Desk officials see the queues of their group's areas; only supervisors see every queue (ver_todas_las_colas).
_MESA_COMUN = [
    "tramites.view_operador",
    "tramites.view_transicion",
    "tramites.view_adjunto",
    "tramites.view_feriado",
    "mesa_servicios.view_*",
    "mesa_servicios.atender_ticket",
    "mesa_servicios.asignar_ticket",
    "mesa_servicios.add_plantillarespuesta",
    "mesa_servicios.change_plantillarespuesta",
    "mesa_servicios.delete_plantillarespuesta",
]

# Officials who keep the holiday calendar that every business-day term reads (tramites.Feriado).
_CALENDARIO = ["tramites.add_feriado", "tramites.change_feriado", "tramites.delete_feriado"]

GRUPOS: dict[str, list[str]] = {
    REGIMENES: [
        "tramites.view_*",
        "tramites.verificar_operador",
        "tramites.change_operador",
        "tramites.add_delegacion",
        "tramites.change_delegacion",
        "tramites.add_agenteaduana",
        "tramites.change_agenteaduana",
        # Holiday calendar (ADR 0012): local holidays, decreed moves and extra rest days.
        *_CALENDARIO,
        # Régimen 21: reviews and decisions; the examination of goods (aforo) belongs to the Aforo group.
        "perfeccionamiento.view_*",
        "perfeccionamiento.revisar_*",
        "perfeccionamiento.controlar_autorizacion",
        "perfeccionamiento.cobrar_garantia",
        "perfeccionamiento.add_tarifaarancelaria",
        "perfeccionamiento.change_tarifaarancelaria",
        "perfeccionamiento.add_tasasgenerales",
        "perfeccionamiento.change_tasasgenerales",
    ],
    AFORO: [
        "tramites.view_operador",
        "tramites.view_agenteaduana",
        "tramites.view_transicion",
        "tramites.view_adjunto",
        "perfeccionamiento.view_*",
        "perfeccionamiento.aforar_dai",
        "perfeccionamiento.add_reglacanal",
        "perfeccionamiento.change_reglacanal",
        "perfeccionamiento.delete_reglacanal",
    ],
    MESA: [
        *_MESA_COMUN,
        "mesa_servicios.registrar_llamada",
        "mesa_servicios.add_motivo",
        "mesa_servicios.change_motivo",
    ],
    ANALISIS_FUNCIONAL: _MESA_COMUN,
    SUPERVISOR: [
        "tramites.view_*",
        "perfeccionamiento.view_*",
        "mesa_servicios.view_*",
        *_CALENDARIO,
        # Revokes any operator's delegation to an agency, always with a reason (ADR 0015).
        "tramites.revocar_delegacion",
        "mesa_servicios.ver_todas_las_colas",
        "mesa_servicios.add_area",
        "mesa_servicios.change_area",
        "mesa_servicios.add_motivo",
        "mesa_servicios.change_motivo",
        "mesa_servicios.change_objetivosla",
        "transparencia.*",
        "django_celery_beat.*",
    ],
}


def permisos_de(patrones: list[str]) -> list[Permission]:
    filtro = Q(pk__in=[])
    for patron in patrones:
        app, codename = patron.split(".", 1)
        if codename == "*":
            filtro |= Q(content_type__app_label=app)
        elif codename.endswith("*"):
            filtro |= Q(content_type__app_label=app, codename__startswith=codename[:-1])
        else:
            filtro |= Q(content_type__app_label=app, codename=codename)
    return list(Permission.objects.filter(filtro))


def configurar_grupos(**_kwargs) -> None:
    for nombre, patrones in GRUPOS.items():
        grupo, _ = Group.objects.get_or_create(name=nombre)
        grupo.permissions.set(permisos_de(patrones))
