"""Dashboard widget and menu entry of the régimen 21."""

from __future__ import annotations

from tramites.models import Usuario
from tramites.panel import Widget


def ve_regimen21(usuario: Usuario) -> bool:
    return bool(usuario.operador_id or usuario.agente_id or (usuario.is_staff and usuario.has_module_perms("perfeccionamiento")))


def widget_regimen21(usuario: Usuario) -> Widget | None:
    if not (usuario.operador_id or usuario.agente_id):
        return None
    from .selectors import resumen_operador

    return Widget(
        titulo="Régimen 21",
        plantilla="perfeccionamiento/_widget_panel.html",
        contexto=resumen_operador(usuario=usuario),
        orden=10,
    )


def widget_vencimientos(usuario: Usuario) -> Widget | None:
    """What expires when, and what to compensate first (operators and their agents)."""
    if not (usuario.operador_id or usuario.agente_id):
        return None
    from .selectors import vencimientos_proximos

    datos = vencimientos_proximos(usuario=usuario)
    if not (datos["saldos"] or datos["autorizaciones"] or datos["garantias"]):
        return None
    return Widget(
        titulo="Vencimientos del régimen 21", plantilla="perfeccionamiento/_widget_vencimientos.html", contexto=datos, orden=5
    )


def widget_funcionario(usuario: Usuario) -> Widget | None:
    """What waits for SENAE in the régimen 21, by the official's permissions, with links to the admin queues."""
    if not usuario.is_staff:
        return None
    from .selectors import pendientes_senae

    filas = pendientes_senae(usuario=usuario)
    if not filas:
        return None
    return Widget(
        titulo="Régimen 21: pendientes de SENAE",
        plantilla="perfeccionamiento/_widget_funcionario.html",
        contexto={"filas": filas},
        orden=5,
    )
