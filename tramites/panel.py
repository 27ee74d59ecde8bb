"""Dashboard widgets per role. Each app registers functions in its AppConfig.ready():

    panel.registrar(mi_widget)   # mi_widget(usuario) -> Widget | None

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
