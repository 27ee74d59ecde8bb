"""Configuration officials edit in the admin: attention areas (queues), consultation reasons and where they
route, SLA targets per ticket type, and response templates."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Q


class TipoTicket(models.TextChoices):
    INCIDENTE = "incidente", "Incidente en ECUAPASS"
    CONSULTA = "consulta", "Consulta"
    QUEJA = "queja", "Queja"


class Area(models.Model):
    """A queue of the desk. Officials of `grupo` see and attend its tickets."""

    codigo = models.SlugField("código", max_length=40, unique=True)
    nombre = models.CharField(max_length=120)
    grupo = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        related_name="areas_mesa",
        help_text="Los funcionarios de este grupo ven y atienden la cola del área.",
    )
    recibe_incidentes = models.BooleanField(
        "recibe los incidentes de ECUAPASS",
        default=False,
        help_text="Solo un área; por norma, la Jefatura de Análisis Funcional.",
    )
    recibe_quejas = models.BooleanField("recibe las quejas", default=False, help_text="Solo un área.")
    activa = models.BooleanField(default=True)

    class Meta:
        ordering = ["nombre"]
        verbose_name = "área de atención"
        verbose_name_plural = "áreas de atención"
        constraints = [
            models.UniqueConstraint(
                fields=["recibe_incidentes"],
                condition=Q(recibe_incidentes=True),
                name="mesa_una_area_recibe_incidentes",
                violation_error_message="Ya hay un área que recibe los incidentes.",
            ),
            models.UniqueConstraint(
                fields=["recibe_quejas"],
                condition=Q(recibe_quejas=True),
                name="mesa_una_area_recibe_quejas",
                violation_error_message="Ya hay un área que recibe las quejas.",
            ),
        ]

    def __str__(self) -> str:
        return self.nombre


class Motivo(models.Model):
    """Reason of a consultation: decides the area it is routed to and the documents it needs."""

    codigo = models.SlugField("código", max_length=40, unique=True)
    nombre = models.CharField(max_length=150)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="motivos", verbose_name="área que atiende")
    documentos = models.CharField(
        "documentos que debe anexar", max_length=300, blank=True, help_text="Se muestra al usuario al elegir el motivo."
    )
    requiere_adjunto = models.BooleanField("exige al menos un documento anexo", default=False)
    activo = models.BooleanField(default=True)
    orden = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["orden", "nombre"]
        verbose_name = "motivo de consulta"
        verbose_name_plural = "motivos de consulta (enrutamiento)"

    def __str__(self) -> str:
        return self.nombre


class ObjetivoSla(models.Model):
    """Response target of a ticket type, in business hours (Monday–Friday 08h00–17h00, Ecuador's holidays)."""

    tipo = models.CharField(max_length=12, choices=TipoTicket.choices, unique=True)
    horas_habiles = models.PositiveSmallIntegerField("horas hábiles para responder")
    porcentaje_aviso = models.PositiveSmallIntegerField(
        "avisar al consumir (%)", default=75, help_text="Se avisa a los supervisores cuando se consume este porcentaje del plazo."
    )

    class Meta:
        ordering = ["tipo"]
        verbose_name = "objetivo de tiempo de respuesta (SLA)"
        verbose_name_plural = "objetivos de tiempo de respuesta (SLA)"
        constraints = [
            models.CheckConstraint(
                name="mesa_sla_horas_positivas",
                condition=Q(horas_habiles__gt=0),
                violation_error_message="El plazo debe ser de al menos una hora hábil.",
            ),
            models.CheckConstraint(
                name="mesa_sla_porcentaje_valido",
                condition=Q(porcentaje_aviso__gt=0, porcentaje_aviso__lt=100),
                violation_error_message="El porcentaje de aviso debe estar entre 1 y 99.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_tipo_display()}: {self.horas_habiles} h hábiles"


class PlantillaRespuesta(models.Model):
    """A reusable answer. `{numero}` and `{nombre}` are replaced with the ticket number and the user's name."""

    nombre = models.CharField(max_length=120, unique=True)
    tipo = models.CharField(
        max_length=12, choices=TipoTicket.choices, blank=True, help_text="Vacío: sirve para cualquier tipo de ticket."
    )
    texto = models.TextField(help_text="Puede usar {numero} y {nombre}.")
    activa = models.BooleanField(default=True)

    class Meta:
        ordering = ["nombre"]
        verbose_name = "plantilla de respuesta"
        verbose_name_plural = "plantillas de respuesta"

    def __str__(self) -> str:
        return self.nombre

    def aplicar(self, *, numero: str, nombre: str) -> str:
        return self.texto.replace("{numero}", numero).replace("{nombre}", nombre)
