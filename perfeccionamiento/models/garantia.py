"""Garantía (general or specific) securing the suspended taxes of the régimen 21."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_fsm import FSMField, transition

from .base import RegistroOperador, actua_por_el_operador, solo_sistema

REVISAR = "perfeccionamiento.revisar_garantia"
COBRAR = "perfeccionamiento.cobrar_garantia"


class Garantia(RegistroOperador):
    class Estado(models.TextChoices):
        SOLICITADA = "solicitada", "Solicitada"
        APROBADA = "aprobada", "Aprobada (vigente)"
        RECHAZADA = "rechazada", "Rechazada"
        MODIFICACION_SOLICITADA = "modificacion_solicitada", "Modificación solicitada"
        NOTIFICADA_COBRO = "notificada_cobro", "Notificada al cobro"
        IMPUGNADA = "impugnada", "Impugnada"
        EFECTIVIZADA = "efectivizada", "Efectivizada (cobrada)"
        LIBERADA = "liberada", "Liberada"
        VENCIDA = "vencida", "Vencida"
        ANULADA = "anulada", "Anulada"

    class Tipo(models.TextChoices):
        GENERAL = "general", "General (todas las operaciones del régimen)"
        ESPECIFICA = "especifica", "Específica (una operación)"

    class Forma(models.TextChoices):
        POLIZA = "poliza", "Póliza de seguro"
        BANCARIA = "bancaria", "Garantía bancaria"

    # States in which the guarantee covers new DAI 21 (while its dates are valid).
    QUE_CUBREN = (Estado.APROBADA, Estado.MODIFICACION_SOLICITADA)

    numero = models.CharField("número", max_length=30, unique=True)
    tipo = models.CharField(max_length=12, choices=Tipo.choices)
    forma = models.CharField(max_length=12, choices=Forma.choices)
    autorizacion = models.ForeignKey(
        "perfeccionamiento.SolicitudAutorizacion",
        verbose_name="autorización que garantiza",
        on_delete=models.PROTECT,
        related_name="garantias",
    )
    operacion = models.CharField(
        "operación cubierta", max_length=200, blank=True, help_text="Solo en garantías específicas: qué importación cubre."
    )
    entidad_emisora = models.CharField("aseguradora o banco", max_length=150)
    numero_documento = models.CharField("número de póliza o de garantía", max_length=60)
    monto = models.DecimalField("monto (USD)", max_digits=18, decimal_places=2)
    vigencia_desde = models.DateField("vigente desde")
    vigencia_hasta = models.DateField("vigente hasta")
    monto_propuesto = models.DecimalField("monto propuesto (USD)", max_digits=18, decimal_places=2, null=True, blank=True)
    vigencia_hasta_propuesta = models.DateField("nueva fecha final propuesta", null=True, blank=True)
    cobro_oficio = models.CharField("oficio de notificación al cobro", max_length=60, blank=True)
    cobro_notificado_el = models.DateField("notificada al cobro el", null=True, blank=True)
    efectivizable_desde = models.DateField(
        "efectivizable desde", null=True, blank=True, help_text="Día hábil 60 desde la notificación al cobro."
    )
    impugnable_hasta = models.DateField("impugnable hasta", null=True, blank=True)
    creada_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    estado = FSMField(choices=Estado.choices, default=Estado.SOLICITADA, protected=True, db_index=True)

    class Meta:
        ordering = ["-creado_en", "-pk"]
        verbose_name = "garantía"
        verbose_name_plural = "garantías"
        permissions = [
            ("revisar_garantia", "Puede aprobar y rechazar garantías y sus modificaciones"),
            ("cobrar_garantia", "Puede notificar al cobro, resolver impugnaciones, efectivizar y liberar garantías"),
        ]
        constraints = [
            models.CheckConstraint(
                name="garantia_monto_positivo",
                condition=Q(monto__gt=0),
                violation_error_message="El monto de la garantía debe ser mayor que cero.",
            ),
            models.CheckConstraint(
                name="garantia_vigencia_ordenada",
                condition=Q(vigencia_hasta__gt=models.F("vigencia_desde")),
                violation_error_message="La fecha final debe ser posterior a la inicial.",
            ),
            models.CheckConstraint(
                name="garantia_especifica_con_operacion",
                condition=Q(tipo="general") | ~Q(operacion=""),
                violation_error_message="Una garantía específica indica la operación que cubre.",
            ),
        ]
        indexes = [models.Index(fields=["operador", "estado"]), models.Index(fields=["estado", "vigencia_hasta"])]

    def __str__(self) -> str:
        return self.numero

    def get_absolute_url(self) -> str:
        return reverse("perfeccionamiento:garantia_detalle", args=[self.pk])

    def cubre_al(self, dia) -> bool:
        return self.estado in self.QUE_CUBREN and self.vigencia_desde <= dia <= self.vigencia_hasta

    # --- operator side ---------------------------------------------------------------------------
    @transition(
        field="estado", source=Estado.SOLICITADA, target=Estado.ANULADA, permission=actua_por_el_operador,
        custom={"label": "Anular", "peligrosa": True},
    )  # fmt: skip
    def anular(self) -> None:
        """The operator withdraws a request not yet decided."""

    @transition(
        field="estado", source=Estado.APROBADA, target=Estado.MODIFICACION_SOLICITADA, permission=actua_por_el_operador,
        custom={"label": "Solicitar modificación", "formulario": True},
    )  # fmt: skip
    def solicitar_modificacion(self, *, monto: Decimal, vigencia_hasta) -> None:
        self.monto_propuesto = monto
        self.vigencia_hasta_propuesta = vigencia_hasta

    @transition(
        field="estado", source=Estado.NOTIFICADA_COBRO, target=Estado.IMPUGNADA, permission=actua_por_el_operador,
        conditions=[lambda g: g.impugnable_hasta is not None and timezone.localdate() <= g.impugnable_hasta],
        custom={"label": "Impugnar", "requiere_comentario": True},
    )  # fmt: skip
    def impugnar(self) -> None:
        """The operator challenges the collection notice within its term."""

    # --- SENAE side ------------------------------------------------------------------------------
    @transition(field="estado", source=Estado.SOLICITADA, target=Estado.APROBADA, permission=REVISAR, custom={"label": "Aprobar"})
    def aprobar(self) -> None:
        """The guarantee document was verified with the insurer or bank."""

    @transition(
        field="estado", source=Estado.SOLICITADA, target=Estado.RECHAZADA, permission=REVISAR,
        custom={"label": "Rechazar", "requiere_comentario": True},
    )  # fmt: skip
    def rechazar(self) -> None:
        """The document is not valid or not enough."""

    @transition(
        field="estado", source=Estado.MODIFICACION_SOLICITADA, target=Estado.APROBADA, permission=REVISAR,
        custom={"label": "Aprobar modificación"},
    )  # fmt: skip
    def aprobar_modificacion(self) -> None:
        self.monto = self.monto_propuesto
        self.vigencia_hasta = self.vigencia_hasta_propuesta
        self.monto_propuesto = None
        self.vigencia_hasta_propuesta = None

    @transition(
        field="estado", source=Estado.MODIFICACION_SOLICITADA, target=Estado.APROBADA, permission=REVISAR,
        custom={"label": "Rechazar modificación", "requiere_comentario": True},
    )  # fmt: skip
    def rechazar_modificacion(self) -> None:
        self.monto_propuesto = None
        self.vigencia_hasta_propuesta = None

    @transition(
        field="estado", source=[Estado.APROBADA, Estado.MODIFICACION_SOLICITADA, Estado.VENCIDA],
        target=Estado.NOTIFICADA_COBRO, permission=COBRAR,
        custom={"label": "Notificar al cobro", "requiere_comentario": True},
    )  # fmt: skip
    def notificar_cobro(self, *, oficio: str, notificado_el, efectivizable_desde, impugnable_hasta) -> None:
        self.cobro_oficio = oficio
        self.cobro_notificado_el = notificado_el
        self.efectivizable_desde = efectivizable_desde
        self.impugnable_hasta = impugnable_hasta
        self.monto_propuesto = None
        self.vigencia_hasta_propuesta = None

    @transition(
        field="estado", source=Estado.IMPUGNADA, target=Estado.APROBADA, permission=COBRAR,
        custom={"label": "Aceptar impugnación"},
    )  # fmt: skip
    def aceptar_impugnacion(self) -> None:
        self.cobro_oficio = ""
        self.cobro_notificado_el = None
        self.efectivizable_desde = None
        self.impugnable_hasta = None

    @transition(
        field="estado", source=Estado.IMPUGNADA, target=Estado.NOTIFICADA_COBRO, permission=COBRAR,
        custom={"label": "Rechazar impugnación", "requiere_comentario": True},
    )  # fmt: skip
    def rechazar_impugnacion(self) -> None:
        """The challenge is dismissed; the collection goes on."""

    @transition(
        field="estado", source=Estado.NOTIFICADA_COBRO, target=Estado.EFECTIVIZADA, permission=COBRAR,
        custom={"label": "Efectivizar", "requiere_comentario": True, "peligrosa": True},
    )  # fmt: skip
    def efectivizar(self) -> None:
        """SENAE collects the guarantee (from business day 60, or earlier when asked)."""

    @transition(field="estado", source=Estado.APROBADA, target=Estado.LIBERADA, permission=COBRAR, custom={"label": "Liberar"})
    def liberar(self) -> None:
        """Nothing is owed any more under this guarantee: it is returned to the operator."""

    @transition(
        field="estado", source=[Estado.APROBADA, Estado.MODIFICACION_SOLICITADA], target=Estado.VENCIDA,
        permission=solo_sistema, conditions=[lambda g: g.vigencia_hasta < timezone.localdate()],
        custom={"label": "Vencer", "admin": False},
    )  # fmt: skip
    def vencer(self) -> None:
        """The guarantee's end date passed: it covers no new DAI 21."""
