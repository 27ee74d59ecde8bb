"""The input ledger (kárdex de insumos): balances per lot and their append-only movements.

A lot (`SaldoInsumo`) is one source of balance of one operator for one input: a released DAI-21 line, the
balance received through a transfer of ownership (cesión), or the recoverable waste that compensating products
left of an input lot (waste stock, ADR 0011: tied to the lot, DAI line and term it came from). Its `saldo` caches
the sum of its movements; a CHECK keeps it between 0 and the lot's initial quantity, and every change happens
under a row lock together with the movement that explains it (perfeccionamiento/services/saldos.py).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class SaldoInsumoQuerySet(models.QuerySet["SaldoInsumo"]):
    def abiertos(self) -> SaldoInsumoQuerySet:
        return self.filter(saldo__gt=0)

    def de_insumos(self) -> SaldoInsumoQuerySet:
        """Input balances (imported or received by cesión): what products and input lines discharge."""
        return self.exclude(origen=SaldoInsumo.Origen.DESPERDICIO)

    def de_desperdicios(self) -> SaldoInsumoQuerySet:
        """Waste stock: what waste destruction, nationalisation or re-export of waste discharges."""
        return self.filter(origen=SaldoInsumo.Origen.DESPERDICIO)

    def fifo(self) -> SaldoInsumoQuerySet:
        """Oldest release first (the order in which balances are discharged by default)."""
        return self.order_by("fecha_ingreso", "vence_el", "pk")


class SaldoInsumo(models.Model):
    class Origen(models.TextChoices):
        DAI = "dai", "DAI régimen 21"
        CESION = "cesion", "Cesión de titularidad"
        DESPERDICIO = "desperdicio", "Desperdicio recuperable de la producción"

    operador = models.ForeignKey("tramites.Operador", on_delete=models.PROTECT, related_name="+")
    insumo = models.ForeignKey("perfeccionamiento.CodigoInsumo", on_delete=models.PROTECT, related_name="saldos")
    linea = models.ForeignKey(
        "perfeccionamiento.LineaDAI", on_delete=models.PROTECT, related_name="saldos", verbose_name="ítem de DAI de origen"
    )
    origen = models.CharField(max_length=12, choices=Origen.choices, default=Origen.DAI)
    lote_origen = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="desperdicios",
        verbose_name="saldo de insumo del que salió el desperdicio",
    )  # fmt: skip
    garantia = models.ForeignKey("perfeccionamiento.Garantia", on_delete=models.PROTECT, related_name="saldos")
    cantidad_inicial = models.DecimalField(max_digits=18, decimal_places=6)
    saldo = models.DecimalField(max_digits=18, decimal_places=6)
    impuestos_por_unidad = models.DecimalField("tributos suspendidos por unidad", max_digits=24, decimal_places=10)
    fecha_ingreso = models.DateField("fecha de ingreso (salida autorizada)")
    vence_el = models.DateField("plazo del régimen hasta")
    creado_en = models.DateTimeField(auto_now_add=True)

    objects = SaldoInsumoQuerySet.as_manager()

    class Meta:
        ordering = ["fecha_ingreso", "vence_el", "pk"]
        verbose_name = "saldo de insumo"
        verbose_name_plural = "saldos de insumos (existencias)"
        constraints = [
            models.CheckConstraint(
                name="saldo_entre_cero_y_cantidad_inicial",
                condition=Q(saldo__gte=0, saldo__lte=F("cantidad_inicial"), cantidad_inicial__gt=0),
                violation_error_message="El saldo de un insumo no puede ser negativo ni mayor que lo ingresado.",
            ),
            models.UniqueConstraint(
                fields=["linea", "operador"], condition=Q(origen="dai"), name="un_saldo_por_linea_dai_importada"
            ),
            models.CheckConstraint(
                name="desperdicio_con_lote_de_origen",
                condition=(Q(origen="desperdicio") & Q(lote_origen__isnull=False))
                | (~Q(origen="desperdicio") & Q(lote_origen__isnull=True)),
                violation_error_message="Un saldo de desperdicio indica el saldo de insumo del que salió (y solo él).",
            ),
        ]
        indexes = [
            models.Index(fields=["operador", "insumo", "fecha_ingreso"], name="saldo_fifo_idx", condition=Q(saldo__gt=0)),
            models.Index(fields=["vence_el"], name="saldo_vencimiento_idx", condition=Q(saldo__gt=0)),
            models.Index(fields=["garantia"], name="saldo_garantia_idx", condition=Q(saldo__gt=0)),
        ]

    def __str__(self) -> str:
        clase = "desperdicio de " if self.es_desperdicio else ""
        return f"{clase}{self.insumo.codigo}: {self.saldo} de {self.cantidad_inicial}"

    @property
    def es_desperdicio(self) -> bool:
        return self.origen == self.Origen.DESPERDICIO

    @property
    def tributos_del_saldo(self) -> Decimal:
        """Suspended taxes of the balance still open (what would be owed if it expired today)."""
        return (self.saldo * self.impuestos_por_unidad).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class MovimientoInsumo(models.Model):
    """Append-only: a credit (+) or a debit (−) of one lot. A correction is a reversal plus new movements."""

    class Tipo(models.TextChoices):
        INGRESO = "ingreso", "Ingreso (salida autorizada de la DAI)"
        DESCARGO = "descargo", "Descargo por anexo compensatorio"
        REVERSO = "reverso", "Reverso por corrección de anexo"
        CESION_SALIDA = "cesion_salida", "Cesión de titularidad (salida)"
        CESION_ENTRADA = "cesion_entrada", "Cesión de titularidad (entrada)"
        DESPERDICIO = "desperdicio", "Desperdicio generado por la producción"

    saldo = models.ForeignKey(SaldoInsumo, on_delete=models.PROTECT, related_name="movimientos")
    tipo = models.CharField(max_length=16, choices=Tipo.choices)
    cantidad = models.DecimalField(max_digits=18, decimal_places=6, help_text="Positiva en ingresos, negativa en descargos.")
    saldo_resultante = models.DecimalField(max_digits=18, decimal_places=6)
    dai = models.ForeignKey("perfeccionamiento.DAI", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    anexo = models.ForeignKey(
        "perfeccionamiento.AnexoCompensatorio", on_delete=models.PROTECT, null=True, blank=True, related_name="movimientos"
    )
    linea_anexo = models.ForeignKey(
        "perfeccionamiento.LineaAnexo", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    correccion = models.ForeignKey(
        "perfeccionamiento.CorreccionAnexo", on_delete=models.PROTECT, null=True, blank=True, related_name="movimientos"
    )
    revierte = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reverso", help_text="Movimiento que este revierte."
    )
    descripcion = models.CharField(max_length=250)
    por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    en = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["en", "pk"]
        verbose_name = "movimiento de insumo"
        verbose_name_plural = "movimientos de insumos (kárdex)"
        constraints = [
            models.CheckConstraint(
                name="movimiento_cantidad_no_cero",
                condition=~Q(cantidad=0),
                violation_error_message="Un movimiento mueve una cantidad distinta de cero.",
            ),
            models.CheckConstraint(
                name="movimiento_saldo_resultante_no_negativo",
                condition=Q(saldo_resultante__gte=0),
                violation_error_message="Ningún movimiento deja un saldo negativo.",
            ),
        ]
        indexes = [models.Index(fields=["saldo", "en"]), models.Index(fields=["anexo", "en"])]

    def __str__(self) -> str:
        return f"{self.get_tipo_display()}: {self.cantidad}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("El kárdex de insumos es de solo agregado: un movimiento no se modifica.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("El kárdex de insumos es de solo agregado: un movimiento no se elimina.")
