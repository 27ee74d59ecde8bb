"""Dashboard widgets per role. Each app registers functions in its AppConfig.ready():

    panel.registrar(mi_widget)   # mi_widget(usuario) -> Widget | None
    panel.registrar_menu("Régimen 21", "perfeccionamiento:inicio", visible=lambda u: ..., orden=10)

A widget is a template plus its context (available as `ctx` in the template); the dashboard renders
those that apply to the user.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .models import Usuario


@dataclass
class Widget:
    titulo: str
    plantilla: str
    contexto: dict[str, Any] = field(default_factory=dict)
    orden: int = 100


_WIDGETS: list[Callable[[Usuario], Widget | None]] = []


def registrar(funcion: Callable[[Usuario], Widget | None]) -> Callable[[Usuario], Widget | None]:
    if funcion not in _WIDGETS:
        _WIDGETS.append(funcion)
    return funcion


def widgets_para(usuario: Usuario) -> list[Widget]:
    widgets = [w for f in _WIDGETS if (w := f(usuario)) is not None]
    return sorted(widgets, key=lambda w: w.orden)


@dataclass(frozen=True)
class EnlaceMenu:
    texto: str
    nombre_url: str
    visible: Callable[[Usuario], bool] = lambda usuario: True
    orden: int = 100


_MENU: dict[str, EnlaceMenu] = {}


def registrar_menu(texto: str, nombre_url: str, *, visible: Callable[[Usuario], bool] | None = None, orden: int = 100) -> None:
    """Add an entry to the main menu for signed-in users (apps call it in AppConfig.ready())."""
    _MENU[nombre_url] = EnlaceMenu(texto, nombre_url, visible or (lambda usuario: True), orden)


def menu_para(usuario: Usuario) -> list[dict[str, str]]:
    from django.urls import reverse

    enlaces = sorted((e for e in _MENU.values() if e.visible(usuario)), key=lambda e: e.orden)
    return [{"texto": e.texto, "url": reverse(e.nombre_url)} for e in enlaces]
