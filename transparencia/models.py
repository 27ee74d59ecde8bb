"""Monthly transparency statistics per trámite (one row per month) and the log of every computation."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from . import registro


def quejas_por_mil(quejas: int, atenciones: int) -> Decimal | None:
    """Complaints per 1,000 attentions, two decimals (None without attentions)."""
    if not atenciones:
        return None
    return (Decimal(quejas) * 1000 / Decimal(atenciones)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class MesDeTramite(models.Model):
    """A month of a registered trámite."""

    tramite = models.CharField("trámite", max_length=30, choices=registro.opciones)
    anio = models.PositiveSmallIntegerField("año")
    mes = models.PositiveSmallIntegerField("mes")

    class Meta:
        abstract = True

    @property
    def periodo(self) -> registro.Mes:
        return (self.anio, self.mes)


class EstadisticaMensual(MesDeTramite):
    """Volume of complaints and of attentions of a trámite in a month, as published.

    Rows come from two places and say which (`origen`): the figures SENAE published on gob.ec up to a month
    (`historico`, loaded by migration 0002 and never rewritten) and the months after, computed by the portal
    from its own records (`portal`, written only by `services.estadistica_recalcular`)."""

    class Origen(models.TextChoices):
        HISTORICO = "historico", "Histórico (publicado por SENAE)"
        PORTAL = "portal", "Calculado por el portal"

    quejas = models.PositiveIntegerField("volumen de quejas")
    atenciones = models.PositiveIntegerField("volumen de atenciones")
    origen = models.CharField(max_length=10, choices=Origen.choices)
    calculado_en = models.DateTimeField("calculado en", null=True, blank=True)

    class Meta:
        ordering = ["tramite", "-anio", "-mes"]
        verbose_name = "estadística mensual"
        verbose_name_plural = "estadísticas mensuales"
        permissions = [("recalcular_estadistica", "Puede recalcular un mes de las estadísticas de transparencia")]
        constraints = [
            models.UniqueConstraint(fields=["tramite", "anio", "mes"], name="transparencia_una_fila_por_mes"),
            models.CheckConstraint(name="transparencia_mes_valido", condition=Q(mes__gte=1, mes__lte=12)),
            models.CheckConstraint(name="transparencia_anio_valido", condition=Q(anio__gte=2000, anio__lte=2100)),
            models.CheckConstraint(
                name="transparencia_calculada_con_fecha",
                condition=Q(origen="historico") | Q(calculado_en__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_tramite_display()} {registro.texto_mes(self.periodo)}"

    @property
    def quejas_por_mil(self) -> Decimal | None:
        return quejas_por_mil(self.quejas, self.atenciones)


class Recalculo(MesDeTramite):
    """Append-only record of every computation of a month: who asked (None: the monthly job), how, when, the
    figures obtained and the ones they replaced."""

    class Via(models.TextChoices):
        TAREA = "tarea", "Tarea mensual"
        ADMINISTRACION = "administracion", "Administración (funcionario)"
        COMANDO = "comando", "Línea de comandos"
        DEMO = "demo", "Datos de demostración"

    quejas = models.PositiveIntegerField("quejas calculadas")
    atenciones = models.PositiveIntegerField("atenciones calculadas")
    quejas_antes = models.PositiveIntegerField("quejas antes", null=True, blank=True)
    atenciones_antes = models.PositiveIntegerField("atenciones antes", null=True, blank=True)
    via = models.CharField("vía", max_length=15, choices=Via.choices)
    por = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="funcionario"
    )
    en = models.DateTimeField("fecha", default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-en", "-pk"]
        verbose_name = "recálculo"
        verbose_name_plural = "recálculos"
        indexes = [models.Index(fields=["tramite", "anio", "mes"], name="transparencia_recalculo_mes")]

    def __str__(self) -> str:
        return f"{self.tramite} {registro.texto_mes(self.periodo)} ({self.en:%Y-%m-%d %H:%M})"

    @property
    def cambio(self) -> bool:
        return (self.quejas_antes, self.atenciones_antes) != (self.quejas, self.atenciones)

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("El registro de recálculos es de solo agregado: no se modifica.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("El registro de recálculos es de solo agregado: no se elimina.")
