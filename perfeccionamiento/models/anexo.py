"""Anexo compensatorio: the discharge of régimen 21 balances through one of six kinds of compensation, linked
to its compensating declaration (DAE 40/61, DAI 10/86/87) or, for a transfer of ownership, to the receiving
beneficiary. Debits are posted to the input ledger only when the anexo is applied."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_fsm import FSMField, transition

from .base import RegistroOperador, actua_por_el_operador, solo_sistema

REVISAR = "perfeccionamiento.revisar_anexo"


class DeclaracionCompensatoria(models.Model):
    """The declaration that compensates (export, re-export, nationalisation, loss, waste destruction)."""

    class Tipo(models.TextChoices):
        DAE_40 = "40", "DAE 40 — exportación a consumo"
        DAE_61 = "61", "DAE 61 — reexportación"
        DAI_10 = "10", "DAI 10 — nacionalización"
        DAI_87 = "87", "DAI 87 — regularización por pérdida o destrucción"
        DAI_86 = "86", "DAI 86 — destrucción de desperdicios"

    operador = models.ForeignKey("tramites.Operador", on_delete=models.PROTECT, related_name="+")
    tipo = models.CharField(max_length=2, choices=Tipo.choices)
    numero = models.CharField(max_length=30, unique=True, help_text="distrito-año-régimen-secuencia, p. ej. 028-2026-40-00000917")
    fecha = models.DateField("fecha de aceptación de la declaración")

    class Meta:
        ordering = ["-fecha", "-pk"]
        verbose_name = "declaración compensatoria"
        verbose_name_plural = "declaraciones compensatorias"

    def __str__(self) -> str:
        return f"{self.get_tipo_display().split(' — ')[0]} {self.numero}"

    def clean(self) -> None:
        formato = re.fullmatch(r"(\d{3})-(\d{4})-(\d{2})-(\d{8})", self.numero or "")
        if not formato:
            raise ValidationError({"numero": "Use el formato distrito-año-régimen-secuencia, p. ej. 028-2026-40-00000917."})
        if formato.group(3) != self.tipo:
            raise ValidationError(
                {"numero": f"El número indica el régimen {formato.group(3)}, pero la declaración es {self.tipo}."}
            )


def es_el_cesionario(anexo: AnexoCompensatorio, usuario) -> bool:
    """El operador que recibe la cesión (o su agente con delegación vigente)."""
    from tramites.selectors import puede_actuar_por_operador

    return anexo.cesionario_id is not None and puede_actuar_por_operador(usuario, anexo.cesionario_id)


class AnexoCompensatorio(RegistroOperador):
    class Tipo(models.TextChoices):
        CESION = "cesion", "Cesión de titularidad"
        EXPORTACION = "exportacion", "Exportación a consumo (DAE 40)"
        REEXPORTACION = "reexportacion", "Reexportación (DAE 61)"
        NACIONALIZACION = "nacionalizacion", "Nacionalización (DAI 10)"
        PERDIDA = "perdida", "Regularización por pérdida o destrucción (DAI 87)"
        DESPERDICIOS = "desperdicios", "Destrucción de desperdicios (DAI 86)"

    class Estado(models.TextChoices):
        BORRADOR = "borrador", "Borrador"
        REGISTRADO = "registrado", "Registrado (por aceptar)"
        PENDIENTE_ACEPTACION = "pendiente_aceptacion", "Pendiente de aceptación del cesionario"
        ACEPTADO = "aceptado", "Aceptado"
        APLICADO = "aplicado", "Aplicado (saldos descargados)"
        CORRECCION_SOLICITADA = "correccion_solicitada", "Corrección solicitada"
        RECHAZADO = "rechazado", "Rechazado"
        CADUCADO = "caducado", "Caducado (cesión no aceptada a tiempo)"
        ANULADO = "anulado", "Anulado"

    # The declaration each kind needs (cesión needs none: the receiving beneficiary accepts it).
    DECLARACION = {
        Tipo.EXPORTACION: DeclaracionCompensatoria.Tipo.DAE_40,
        Tipo.REEXPORTACION: DeclaracionCompensatoria.Tipo.DAE_61,
        Tipo.NACIONALIZACION: DeclaracionCompensatoria.Tipo.DAI_10,
        Tipo.PERDIDA: DeclaracionCompensatoria.Tipo.DAI_87,
        Tipo.DESPERDICIOS: DeclaracionCompensatoria.Tipo.DAI_86,
    }
    # Lines by product code (exploded with the coefficients) and/or by input code (goods in the same state).
    ADMITE_PRODUCTOS = {Tipo.CESION, Tipo.EXPORTACION, Tipo.REEXPORTACION, Tipo.NACIONALIZACION, Tipo.PERDIDA}
    ADMITE_INSUMOS = {Tipo.CESION, Tipo.REEXPORTACION, Tipo.NACIONALIZACION, Tipo.PERDIDA, Tipo.DESPERDICIOS}
    # Regularisation may draw on balances whose term already ended; the other kinds only on balances in term.
    ADMITE_VENCIDOS = {Tipo.NACIONALIZACION, Tipo.PERDIDA, Tipo.DESPERDICIOS}
    EXIGE_EVIDENCIA = {Tipo.PERDIDA, Tipo.DESPERDICIOS}
    # Waste stock (ADR 0011): the product lines of these kinds leave their recoverable waste as waste stock…
    GENERA_DESPERDICIO = {Tipo.EXPORTACION, Tipo.REEXPORTACION, Tipo.NACIONALIZACION, Tipo.PERDIDA}
    # …which only these kinds dispose of (DAI 86 always; DAI 10 and DAE 61 in lines marked as waste).
    ADMITE_DESPERDICIO = {Tipo.DESPERDICIOS, Tipo.NACIONALIZACION, Tipo.REEXPORTACION}
    SOLO_DESPERDICIO = {Tipo.DESPERDICIOS}
    # Taxes are liquidated on nationalisation, and on a loss that is not force majeure (settings, ADR 0011).
    LIQUIDA_TRIBUTOS = {Tipo.NACIONALIZACION, Tipo.PERDIDA}

    numero = models.CharField("número", max_length=30, unique=True, null=True, blank=True)
    tipo = models.CharField(max_length=16, choices=Tipo.choices)
    fecha = models.DateField("fecha de la compensación", help_text="Rige el cuadro insumo-producto en vigor ese día.")
    declaracion = models.OneToOneField(
        DeclaracionCompensatoria, on_delete=models.PROTECT, null=True, blank=True, related_name="anexo"
    )
    cesionario = models.ForeignKey(
        "tramites.Operador", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="cesionario"
    )
    aceptar_hasta = models.DateField("el cesionario acepta hasta", null=True, blank=True)
    garantia_cesionario = models.ForeignKey(
        "perfeccionamiento.Garantia", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    perdida_fuerza_mayor = models.BooleanField(
        "pérdida por fuerza mayor o caso fortuito", default=False, db_default=False,
        help_text="Solo DAI 87: probada la fuerza mayor, la pérdida no paga los tributos suspendidos.",
    )  # fmt: skip
    observaciones = models.TextField(blank=True)
    total_tributos = models.DecimalField(
        "tributos a pagar (nacionalización o pérdida)", max_digits=18, decimal_places=2, default=0
    )
    registrado_en = models.DateTimeField(null=True, blank=True)
    aplicado_en = models.DateTimeField(null=True, blank=True)
    creado_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    estado = FSMField(choices=Estado.choices, default=Estado.BORRADOR, protected=True, db_index=True)

    class Meta:
        ordering = ["-creado_en", "-pk"]
        verbose_name = "anexo compensatorio"
        verbose_name_plural = "anexos compensatorios"
        permissions = [("revisar_anexo", "Puede aceptar o rechazar anexos compensatorios y resolver sus correcciones")]
        constraints = [
            models.CheckConstraint(
                name="anexo_cesion_con_cesionario",
                condition=(Q(tipo="cesion") & Q(cesionario__isnull=False) & Q(declaracion__isnull=True))
                | (~Q(tipo="cesion") & Q(cesionario__isnull=True) & Q(declaracion__isnull=False)),
                violation_error_message="La cesión indica el cesionario; las demás compensaciones, su declaración.",
            ),
        ]
        indexes = [models.Index(fields=["operador", "estado"]), models.Index(fields=["cesionario", "estado"])]

    def __str__(self) -> str:
        return self.numero or f"Anexo {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("perfeccionamiento:anexo_detalle", args=[self.pk])

    @transition(field="estado", source=Estado.BORRADOR, target=Estado.REGISTRADO, permission=actua_por_el_operador,
                conditions=[lambda a: a.tipo != "cesion"], custom={"label": "Registrar", "admin": False})  # fmt: skip
    def registrar(self) -> None:
        """The operator files the anexo with its compensating declaration."""

    @transition(field="estado", source=Estado.BORRADOR, target=Estado.PENDIENTE_ACEPTACION, permission=actua_por_el_operador,
                conditions=[lambda a: a.tipo == "cesion"], custom={"label": "Registrar cesión", "admin": False})  # fmt: skip
    def ceder(self, *, aceptar_hasta) -> None:
        self.aceptar_hasta = aceptar_hasta

    @transition(field="estado", source=Estado.REGISTRADO, target=Estado.ACEPTADO, permission=REVISAR,
                custom={"label": "Aceptar y aplicar"})  # fmt: skip
    def aceptar(self) -> None:
        """SENAE verified the compensating declaration."""

    @transition(field="estado", source=Estado.PENDIENTE_ACEPTACION, target=Estado.ACEPTADO, permission=es_el_cesionario,
                conditions=[lambda a: a.aceptar_hasta is None or timezone.localdate() <= a.aceptar_hasta],
                custom={"label": "Aceptar la cesión", "formulario": True})  # fmt: skip
    def aceptar_cesion(self, *, garantia) -> None:
        self.garantia_cesionario = garantia

    @transition(field="estado", source=Estado.ACEPTADO, target=Estado.APLICADO, permission=solo_sistema,
                custom={"label": "Aplicar", "admin": False})  # fmt: skip
    def aplicar(self) -> None:
        self.aplicado_en = timezone.now()

    @transition(field="estado", source=Estado.REGISTRADO, target=Estado.RECHAZADO, permission=REVISAR,
                custom={"label": "Rechazar", "requiere_comentario": True})  # fmt: skip
    def rechazar(self) -> None:
        """The declaration does not support the compensation."""

    @transition(field="estado", source=Estado.PENDIENTE_ACEPTACION, target=Estado.RECHAZADO, permission=es_el_cesionario,
                custom={"label": "Rechazar la cesión", "requiere_comentario": True})  # fmt: skip
    def rechazar_cesion(self) -> None:
        """The receiving beneficiary does not accept the transfer."""

    @transition(field="estado", source=Estado.PENDIENTE_ACEPTACION, target=Estado.CADUCADO, permission=solo_sistema,
                conditions=[lambda a: a.aceptar_hasta is not None and a.aceptar_hasta < timezone.localdate()],
                custom={"label": "Caducar", "admin": False})  # fmt: skip
    def caducar(self) -> None:
        """The receiving beneficiary did not accept within the term."""

    @transition(field="estado", source=[Estado.REGISTRADO, Estado.PENDIENTE_ACEPTACION], target=Estado.ANULADO,
                permission=actua_por_el_operador, custom={"label": "Anular", "peligrosa": True})  # fmt: skip
    def anular(self) -> None:
        """The operator withdraws an anexo that was not accepted yet."""

    @transition(field="estado", source=Estado.APLICADO, target=Estado.CORRECCION_SOLICITADA, permission=actua_por_el_operador,
                conditions=[lambda a: a.tipo != "cesion"],
                custom={"label": "Solicitar corrección", "formulario": True, "requiere_comentario": True})  # fmt: skip
    def solicitar_correccion(self) -> None:
        """The operator proposes corrected lines (SENAE-ISEE-2-2-037)."""

    @transition(field="estado", source=Estado.CORRECCION_SOLICITADA, target=Estado.APLICADO, permission=REVISAR,
                custom={"label": "Aprobar corrección"})  # fmt: skip
    def aprobar_correccion(self) -> None:
        """Reversal of the current debits plus the corrected ones."""

    @transition(field="estado", source=Estado.CORRECCION_SOLICITADA, target=Estado.APLICADO, permission=REVISAR,
                custom={"label": "Rechazar corrección", "requiere_comentario": True})  # fmt: skip
    def rechazar_correccion(self) -> None:
        """The anexo keeps its current lines and debits."""


class CorreccionAnexo(models.Model):
    class Estado(models.TextChoices):
        SOLICITADA = "solicitada", "Solicitada"
        APROBADA = "aprobada", "Aprobada"
        RECHAZADA = "rechazada", "Rechazada"

    anexo = models.ForeignKey(AnexoCompensatorio, on_delete=models.PROTECT, related_name="correcciones")
    numero = models.PositiveSmallIntegerField()
    motivo = models.TextField()
    estado = models.CharField(max_length=10, choices=Estado.choices, default=Estado.SOLICITADA)
    solicitada_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    solicitada_en = models.DateTimeField(auto_now_add=True)
    resuelta_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    resuelta_en = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["anexo", "numero"]
        verbose_name = "corrección de anexo"
        verbose_name_plural = "correcciones de anexos"
        constraints = [models.UniqueConstraint(fields=["anexo", "numero"], name="correccion_numero_unico")]

    def __str__(self) -> str:
        return f"{self.anexo} corrección {self.numero}"


class LineaAnexo(models.Model):
    """A product (exploded with the coefficient version in force) or an input, with its quantity. Lines of a
    correction carry it; the anexo's current lines are those of its last approved correction, or its own."""

    anexo = models.ForeignKey(AnexoCompensatorio, on_delete=models.CASCADE, related_name="lineas")
    correccion = models.ForeignKey(CorreccionAnexo, on_delete=models.CASCADE, null=True, blank=True, related_name="lineas")
    numero = models.PositiveSmallIntegerField()
    producto = models.ForeignKey("perfeccionamiento.CodigoProducto", on_delete=models.PROTECT, null=True, blank=True)
    insumo = models.ForeignKey("perfeccionamiento.CodigoInsumo", on_delete=models.PROTECT, null=True, blank=True)
    cantidad = models.DecimalField(max_digits=18, decimal_places=6)
    desperdicio = models.BooleanField(
        "del desperdicio",
        default=False,
        db_default=False,
        help_text="La línea dispone del desperdicio recuperable del insumo, no del insumo.",
    )
    valor_declarado = models.DecimalField(
        "valor declarado del desperdicio (USD)", max_digits=18, decimal_places=2, null=True, blank=True,
        help_text="Base de los tributos al nacionalizar desperdicio (DAI 10).",
    )  # fmt: skip
    version = models.ForeignKey(
        "perfeccionamiento.VersionCoeficientes", on_delete=models.PROTECT, null=True, blank=True, related_name="usos",
        verbose_name="cuadro insumo-producto usado",
    )  # fmt: skip
    lotes = models.JSONField("ítems de DAI elegidos", default=list, blank=True, help_text="Vacío: los más antiguos primero.")

    class Meta:
        ordering = ["anexo", "correccion", "numero"]
        verbose_name = "línea de anexo"
        verbose_name_plural = "líneas de anexo"
        constraints = [
            models.CheckConstraint(
                name="linea_anexo_producto_o_insumo",
                condition=(Q(producto__isnull=False) & Q(insumo__isnull=True))
                | (Q(producto__isnull=True) & Q(insumo__isnull=False)),
                violation_error_message="Una línea es de un producto o de un insumo.",
            ),
            models.CheckConstraint(name="linea_anexo_cantidad_positiva", condition=Q(cantidad__gt=0)),
            models.CheckConstraint(
                name="linea_anexo_desperdicio_de_insumo",
                condition=Q(desperdicio=False) | Q(insumo__isnull=False),
                violation_error_message="El desperdicio se indica por su código de insumo.",
            ),
            models.CheckConstraint(
                name="linea_anexo_valor_declarado_positivo",
                condition=Q(valor_declarado__isnull=True) | Q(valor_declarado__gt=0),
                violation_error_message="El valor declarado del desperdicio es mayor que cero.",
            ),
        ]

    def __str__(self) -> str:
        codigo = self.producto.codigo if self.producto_id else self.insumo.codigo
        return f"{'desperdicio de ' if self.desperdicio else ''}{codigo} × {self.cantidad}"


class LiquidacionNacionalizacion(models.Model):
    """Taxes due on what a nationalisation (or a loss that is not force majeure) discharges, per lot, with the
    rates of its date: on the DAI line's CIF for inputs and products, on the declared value for waste; plus the
    interest the general rates set (ADR 0011)."""

    anexo = models.ForeignKey(AnexoCompensatorio, on_delete=models.PROTECT, related_name="liquidaciones")
    correccion = models.ForeignKey(CorreccionAnexo, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    saldo = models.ForeignKey("perfeccionamiento.SaldoInsumo", on_delete=models.PROTECT, related_name="+")
    cantidad = models.DecimalField(max_digits=18, decimal_places=6)
    cif = models.DecimalField(max_digits=18, decimal_places=2)
    ad_valorem = models.DecimalField(max_digits=18, decimal_places=2)
    fodinfa = models.DecimalField(max_digits=18, decimal_places=2)
    ice = models.DecimalField(max_digits=18, decimal_places=2)
    iva = models.DecimalField(max_digits=18, decimal_places=2)
    interes = models.DecimalField("interés", max_digits=18, decimal_places=2, default=0, db_default=0)
    dias_interes = models.PositiveIntegerField("días de interés", default=0, db_default=0)
    desperdicio = models.BooleanField("del desperdicio", default=False, db_default=False)
    total = models.DecimalField(max_digits=18, decimal_places=2)

    class Meta:
        ordering = ["anexo", "pk"]
        verbose_name = "liquidación de tributos"
        verbose_name_plural = "liquidaciones de tributos (nacionalización o pérdida)"

    def __str__(self) -> str:
        return f"{self.anexo}: {self.cantidad} → USD {self.total}"
