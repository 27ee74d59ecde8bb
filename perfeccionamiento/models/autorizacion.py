"""Solicitud de autorización del régimen 21 and the authorization it becomes once approved."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_fsm import FSMField, transition

from .base import RegistroOperador, actua_por_el_operador, solo_sistema

REVISAR = "perfeccionamiento.revisar_solicitudautorizacion"
CONTROLAR = "perfeccionamiento.controlar_autorizacion"


class SolicitudAutorizacion(RegistroOperador):
    class Estado(models.TextChoices):
        BORRADOR = "borrador", "Borrador"
        ENVIADA = "enviada", "Enviada"
        EN_REVISION = "en_revision", "En revisión"
        OBSERVADA = "observada", "Observada"
        APROBADA = "aprobada", "Aprobada (vigente)"
        RECHAZADA = "rechazada", "Rechazada"
        PRORROGA_SOLICITADA = "prorroga_solicitada", "Prórroga solicitada"
        SUSPENDIDA = "suspendida", "Suspendida"
        REVOCADA = "revocada", "Revocada"
        VENCIDA = "vencida", "Vencida"
        ANULADA = "anulada", "Anulada"

    class Modalidad(models.TextChoices):
        IMPORTACION_INDIVIDUAL = "importacion_individual", "Importación individual"
        MAQUILA = "maquila", "Maquila"
        INSTALACION_INDUSTRIAL = "instalacion_industrial", "Instalación industrial"

    class Operacion(models.TextChoices):
        TRANSFORMACION = "transformacion", "Transformación"
        ELABORACION = "elaboracion", "Elaboración (incluido montaje o ensamblaje)"
        REPARACION = "reparacion", "Reparación (incluida restauración)"

    VIGENTES = (Estado.APROBADA, Estado.PRORROGA_SOLICITADA)

    numero = models.CharField("número de solicitud", max_length=30, unique=True, null=True, blank=True)
    numero_autorizacion = models.CharField("número de autorización", max_length=30, unique=True, null=True, blank=True)
    modalidad = models.CharField(max_length=30, choices=Modalidad.choices)
    operacion = models.CharField("operación de perfeccionamiento", max_length=20, choices=Operacion.choices)
    descripcion_proceso = models.TextField(
        "descripción del proceso productivo",
        help_text="Qué se hace con las mercancías importadas, dónde, con qué maquinaria y qué productos resultan.",
    )
    mercancias = models.TextField("mercancías que importará", help_text="Insumos y materias primas, con sus subpartidas.")
    productos = models.TextField("productos compensadores", help_text="Qué productos exportará y a qué mercados.")
    plazo_solicitado_meses = models.PositiveSmallIntegerField(
        "plazo solicitado (meses)", validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    vigencia_desde = models.DateField(null=True, blank=True)
    vigencia_hasta = models.DateField(null=True, blank=True)
    exportacion_anticipada = models.BooleanField(
        "permite exportación anticipada (equivalencia)", default=False, db_default=False,
        help_text="SENAE lo fija al aprobar: los anexos pueden descargar insumos que salieron después de la declaración "
        "que compensa.",
    )  # fmt: skip
    prorroga_meses = models.PositiveSmallIntegerField("prórroga solicitada (meses)", null=True, blank=True)
    prorroga_resuelta = models.BooleanField("prórroga ya resuelta", default=False)
    presentada_en = models.DateTimeField(null=True, blank=True)
    aprobada_en = models.DateTimeField(null=True, blank=True)
    aprobada_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    creada_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    estado = FSMField(choices=Estado.choices, default=Estado.BORRADOR, protected=True, db_index=True)

    class Meta:
        ordering = ["-creado_en", "-pk"]
        verbose_name = "solicitud de autorización"
        verbose_name_plural = "solicitudes de autorización"
        permissions = [
            ("revisar_solicitudautorizacion", "Puede revisar, observar, aprobar y rechazar solicitudes de autorización"),
            ("controlar_autorizacion", "Puede resolver prórrogas, suspender, levantar y revocar autorizaciones"),
        ]
        constraints = [
            models.CheckConstraint(
                name="solicitud_plazo_1_a_12_meses",
                condition=Q(plazo_solicitado_meses__gte=1, plazo_solicitado_meses__lte=12),
                violation_error_message="El plazo solicitado va de 1 a 12 meses.",
            ),
            models.CheckConstraint(
                name="autorizacion_aprobada_con_vigencia",
                condition=Q(numero_autorizacion__isnull=True)
                | Q(vigencia_desde__isnull=False, vigencia_hasta__gt=models.F("vigencia_desde")),
                violation_error_message="Una autorización aprobada tiene vigencia.",
            ),
        ]
        indexes = [models.Index(fields=["operador", "estado"]), models.Index(fields=["estado", "vigencia_hasta"])]

    def __str__(self) -> str:
        return self.numero_autorizacion or self.numero or f"Borrador {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("perfeccionamiento:solicitud_detalle", args=[self.pk])

    @property
    def prorroga_disponible(self) -> bool:
        return self.prorroga_meses is None

    def vigente_al(self, dia: date) -> bool:
        return self.estado in self.VIGENTES and self.vigencia_desde <= dia <= self.vigencia_hasta

    # --- operator side ---------------------------------------------------------------------------
    @transition(
        field="estado", source=Estado.BORRADOR, target=Estado.ENVIADA, permission=actua_por_el_operador,
        custom={"label": "Presentar"},
    )  # fmt: skip
    def presentar(self) -> None:
        """The operator files the request with its supporting documents."""

    @transition(
        field="estado", source=Estado.OBSERVADA, target=Estado.EN_REVISION, permission=actua_por_el_operador,
        custom={"label": "Enviar corrección"},
    )  # fmt: skip
    def corregir(self) -> None:
        """The operator answered SENAE's observations."""

    @transition(
        field="estado", source=Estado.APROBADA, target=Estado.PRORROGA_SOLICITADA, permission=actua_por_el_operador,
        conditions=[lambda s: s.prorroga_meses is None],
        custom={"label": "Solicitar prórroga", "requiere_comentario": True, "formulario": True},
    )  # fmt: skip
    def solicitar_prorroga(self, *, meses: int) -> None:
        self.prorroga_meses = meses

    @transition(
        field="estado", source=[Estado.BORRADOR, Estado.ENVIADA], target=Estado.ANULADA, permission=actua_por_el_operador,
        custom={"label": "Anular", "peligrosa": True},
    )  # fmt: skip
    def anular(self) -> None:
        """The operator withdraws a request SENAE has not started to review."""

    # --- SENAE side ------------------------------------------------------------------------------
    @transition(
        field="estado", source=Estado.ENVIADA, target=Estado.EN_REVISION, permission=REVISAR,
        custom={"label": "Iniciar revisión"},
    )  # fmt: skip
    def tomar(self) -> None:
        """An official of Regímenes Especiales takes the request."""

    @transition(
        field="estado", source=Estado.EN_REVISION, target=Estado.OBSERVADA, permission=REVISAR,
        custom={"label": "Observar", "requiere_comentario": True},
    )  # fmt: skip
    def observar(self) -> None:
        """SENAE asks the operator to correct or complete the request."""

    @transition(
        field="estado", source=Estado.EN_REVISION, target=Estado.APROBADA, permission=REVISAR,
        custom={"label": "Aprobar"},
    )  # fmt: skip
    def aprobar(self, *, numero_autorizacion: str, desde: date, hasta: date, exportacion_anticipada: bool = False) -> None:
        self.numero_autorizacion = numero_autorizacion
        self.exportacion_anticipada = exportacion_anticipada
        self.vigencia_desde = desde
        self.vigencia_hasta = hasta

    @transition(
        field="estado", source=Estado.EN_REVISION, target=Estado.RECHAZADA, permission=REVISAR,
        custom={"label": "Rechazar", "requiere_comentario": True},
    )  # fmt: skip
    def rechazar(self) -> None:
        """The request does not meet the regime's requirements."""

    @transition(
        field="estado", source=Estado.PRORROGA_SOLICITADA, target=Estado.APROBADA, permission=CONTROLAR,
        custom={"label": "Conceder prórroga"},
    )  # fmt: skip
    def conceder_prorroga(self, *, hasta: date) -> None:
        self.vigencia_hasta = hasta
        self.prorroga_resuelta = True

    @transition(
        field="estado", source=Estado.PRORROGA_SOLICITADA, target=Estado.APROBADA, permission=CONTROLAR,
        custom={"label": "Negar prórroga", "requiere_comentario": True},
    )  # fmt: skip
    def negar_prorroga(self) -> None:
        self.prorroga_resuelta = True

    @transition(
        field="estado", source=Estado.APROBADA, target=Estado.SUSPENDIDA, permission=CONTROLAR,
        custom={"label": "Suspender", "requiere_comentario": True},
    )  # fmt: skip
    def suspender(self) -> None:
        """No new DAI 21 may be filed under a suspended authorization."""

    @transition(
        field="estado", source=Estado.SUSPENDIDA, target=Estado.APROBADA, permission=CONTROLAR,
        custom={"label": "Levantar suspensión"},
    )  # fmt: skip
    def levantar_suspension(self) -> None:
        """The authorization is in force again."""

    @transition(
        field="estado", source=[Estado.APROBADA, Estado.SUSPENDIDA, Estado.PRORROGA_SOLICITADA], target=Estado.REVOCADA,
        permission=CONTROLAR, custom={"label": "Revocar", "requiere_comentario": True},
    )  # fmt: skip
    def revocar(self) -> None:
        """SENAE withdraws the authorization for good."""

    @transition(
        field="estado", source=[Estado.APROBADA, Estado.SUSPENDIDA], target=Estado.VENCIDA, permission=solo_sistema,
        conditions=[lambda s: s.vigencia_hasta is not None and s.vigencia_hasta < timezone.localdate()],
        custom={"label": "Vencer", "admin": False},
    )  # fmt: skip
    def vencer(self) -> None:
        """The system closes authorizations whose term ended (see issue: expiry jobs)."""
