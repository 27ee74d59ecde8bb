"""Log of inbound e-mail: one row per distinct message (unique on the hash of the sender and the Message-ID), so a
re-delivered mail never creates a second ticket and never gets a second automatic reply, and a mail from another
sender that reuses (squats) the Message-ID is still a distinct message."""

from __future__ import annotations

from django.db import models

from .ticket import Ticket


class CorreoEntrante(models.Model):
    class Resultado(models.TextChoices):
        TICKET = "ticket", "Ticket creado"
        SIN_VERIFICAR = "pendiente", "Ticket sin verificar (remitente no autenticado)"
        SEGUIMIENTO = "seguimiento", "Seguimiento agregado"
        RECHAZADO = "rechazado", "Rechazado (se respondió al remitente)"
        IGNORADO = "ignorado", "Ignorado (respuesta automática o bucle)"

    huella = models.CharField("huella del remitente y el Message-ID", max_length=64, unique=True)
    message_id = models.TextField("Message-ID")
    remitente = models.EmailField(max_length=254, blank=True)
    asunto = models.CharField(max_length=300, blank=True)
    autenticado = models.BooleanField(
        "remitente autenticado", default=False, help_text="SPF, DKIM o DMARC alineados según el MTA receptor."
    )
    recibido_en = models.DateTimeField(auto_now_add=True, db_index=True)
    resultado = models.CharField(max_length=12, choices=Resultado.choices)
    detalle = models.TextField(blank=True)
    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, null=True, blank=True, related_name="correos")
    respuesta_asunto = models.CharField("asunto de la respuesta automática", max_length=300, blank=True)
    respuesta_texto = models.TextField("respuesta automática", blank=True)
    respuesta_enviada_en = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-recibido_en", "-pk"]
        verbose_name = "correo entrante"
        verbose_name_plural = "correos entrantes"

    def __str__(self) -> str:
        return f"{self.remitente}: {self.asunto}"
