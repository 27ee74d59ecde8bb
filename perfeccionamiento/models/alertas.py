"""Expiry alerts of the régimen 21 (SENAE-MEE-2-2-033): one row per record, recipient operator and
threshold — the unique key makes re-runs and crashed workers harmless — and its proof of delivery."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class AlertaVencimiento(models.Model):
    class Tipo(models.TextChoices):
        SALDO = "saldo", "Saldo de DAI por vencer"
        AUTORIZACION = "autorizacion", "Autorización por vencer"
        GARANTIA = "garantia", "Garantía por vencer"
        GARANTIA_EXCEDIDA = "garantia_excedida", "Exposición mayor que la garantía"

    tipo = models.CharField(max_length=20, choices=Tipo.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    objeto = GenericForeignKey("content_type", "object_id")
    operador = models.ForeignKey("tramites.Operador", on_delete=models.PROTECT, related_name="+")
    clave = models.CharField(max_length=60, help_text="Qué se avisa: fecha de vencimiento y umbral (días), o el monto excedido.")
    umbral_dias = models.PositiveSmallIntegerField("umbral (días)", null=True, blank=True)
    vence_el = models.DateField(null=True, blank=True)
    asunto = models.CharField(max_length=200)
    mensaje = models.TextField()
    enlace = models.CharField(max_length=300, blank=True)
    creada_en = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-creada_en", "-pk"]
        verbose_name = "alerta de vencimiento"
        verbose_name_plural = "alertas de vencimiento"
        constraints = [
            models.UniqueConstraint(
                fields=["tipo", "content_type", "object_id", "operador", "clave"], name="alerta_una_vez_por_umbral"
            )
        ]
        indexes = [models.Index(fields=["operador", "creada_en"])]

    def __str__(self) -> str:
        return self.asunto


class EntregaAlerta(models.Model):
    """Proof of delivery: the in-portal notification each recipient got (its e-mail time is recorded on it)."""

    alerta = models.ForeignKey(AlertaVencimiento, on_delete=models.CASCADE, related_name="entregas")
    usuario = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    notificacion = models.OneToOneField("tramites.Notificacion", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "entrega de alerta"
        verbose_name_plural = "entregas de alertas"
        constraints = [models.UniqueConstraint(fields=["alerta", "usuario"], name="alerta_una_entrega_por_usuario")]

    def __str__(self) -> str:
        return f"{self.alerta} → {self.usuario}"
