from django.http import HttpRequest

from .panel import menu_para
from .selectors import notificaciones_no_leidas


def portal(request: HttpRequest) -> dict:
    usuario = getattr(request, "user", None)
    if usuario is None or not usuario.is_authenticated:
        return {}
    return {
        "notificaciones_pendientes": notificaciones_no_leidas(usuario=usuario),
        "menu_tramites": menu_para(usuario),
    }
