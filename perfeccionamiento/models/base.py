"""Pieces shared by every régimen 21 record: the owning operator, who may act for it, units of measure."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models

from tramites.fsm import RegistroFSM

SUBPARTIDA = RegexValidator(r"^\d{10}$", "La subpartida arancelaria tiene 10 dígitos, sin puntos.", code="subpartida")
CODIGO = RegexValidator(
    r"^[A-Z0-9][A-Z0-9._-]{0,29}$",
    "Use de 1 a 30 letras mayúsculas, dígitos, punto, guion o guion bajo.",
    code="codigo",
)


class Unidad(models.TextChoices):
    KG = "kg", "kilogramo (kg)"
    G = "g", "gramo (g)"
    T = "t", "tonelada métrica (t)"
    L = "l", "litro (l)"
    ML = "ml", "mililitro (ml)"
    M = "m", "metro (m)"
    M2 = "m2", "metro cuadrado (m²)"
    M3 = "m3", "metro cúbico (m³)"
    U = "u", "unidad (u)"
    PAR = "par", "par"
    DOCENA = "docena", "docena"


def actua_por_el_operador(instancia: models.Model, usuario) -> bool:
    """Transition permission of the operator's side: its users, or its agency while delegated."""
    from tramites.selectors import puede_actuar_por_operador

    return puede_actuar_por_operador(usuario, instancia.operador_id)


def solo_sistema(instancia: models.Model, usuario) -> bool:
    """Transitions only the system runs (periodic jobs pass por=None, which skips permissions)."""
    return False


class RegistroOperador(RegistroFSM):
    """An audited record that belongs to one operator (OCE)."""

    operador = models.ForeignKey("tramites.Operador", on_delete=models.PROTECT, related_name="+", verbose_name="operador (OCE)")

    class Meta:
        abstract = True
