"""The operator's input and product codes, and the versioned input-per-product coefficients
(cuadro insumo-producto) that discharge balances when products are exported."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django_fsm import FSMField, transition

from .base import CODIGO, SUBPARTIDA, RegistroOperador, Unidad, actua_por_el_operador

REVISAR_CODIGOS = "perfeccionamiento.revisar_codigos"


def senae_o_el_operador(instancia, usuario) -> bool:
    """SENAE (revisión de códigos) o el operador y su agente con delegación vigente."""
    return usuario.has_perm(REVISAR_CODIGOS) or actua_por_el_operador(instancia, usuario)


class CodigoBase(RegistroOperador):
    class Estado(models.TextChoices):
        REGISTRADO = "registrado", "Registrado (por aprobar)"
        VIGENTE = "vigente", "Vigente"
        RECHAZADO = "rechazado", "Rechazado"
        INACTIVO = "inactivo", "Inactivo"

    codigo = models.CharField("código", max_length=30, validators=[CODIGO])
    descripcion = models.CharField("descripción", max_length=250)
    subpartida = models.CharField("subpartida arancelaria", max_length=10, validators=[SUBPARTIDA])
    unidad = models.CharField("unidad de medida", max_length=10, choices=Unidad.choices)
    creado_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    estado = FSMField(choices=Estado.choices, default=Estado.REGISTRADO, protected=True, db_index=True)

    class Meta:
        abstract = True
        ordering = ["codigo"]

    def __str__(self) -> str:
        return f"{self.codigo} — {self.descripcion}"

    def get_absolute_url(self) -> str:
        return reverse(f"perfeccionamiento:{self._meta.model_name}_detalle", args=[self.pk])

    @transition(
        field="estado", source=Estado.REGISTRADO, target=Estado.VIGENTE, permission=REVISAR_CODIGOS,
        custom={"label": "Aprobar"},
    )  # fmt: skip
    def aprobar(self) -> None:
        """SENAE accepts the code for the operator's régimen 21 inventory."""

    @transition(
        field="estado", source=Estado.REGISTRADO, target=Estado.RECHAZADO, permission=REVISAR_CODIGOS,
        custom={"label": "Rechazar", "requiere_comentario": True},
    )  # fmt: skip
    def rechazar(self) -> None:
        """The code, description or subheading is not acceptable."""

    @transition(
        field="estado", source=Estado.VIGENTE, target=Estado.INACTIVO,
        permission=senae_o_el_operador,
        custom={"label": "Inactivar", "requiere_comentario": True},
    )  # fmt: skip
    def inactivar(self) -> None:
        """No new declarations or anexos may use the code; history keeps it."""

    @transition(
        field="estado", source=Estado.INACTIVO, target=Estado.VIGENTE, permission=REVISAR_CODIGOS,
        custom={"label": "Reactivar"},
    )  # fmt: skip
    def reactivar(self) -> None:
        """The code is usable again."""


class CodigoInsumo(CodigoBase):
    class Meta(CodigoBase.Meta):
        verbose_name = "código de insumo"
        verbose_name_plural = "códigos de insumo"
        permissions = [("revisar_codigos", "Puede aprobar, rechazar, inactivar y reactivar códigos y cuadros insumo-producto")]
        constraints = [models.UniqueConstraint(fields=["operador", "codigo"], name="insumo_codigo_unico_por_operador")]
        indexes = [models.Index(fields=["operador", "estado"])]


class CodigoProducto(CodigoBase):
    class Meta(CodigoBase.Meta):
        verbose_name = "código de producto"
        verbose_name_plural = "códigos de producto"
        constraints = [models.UniqueConstraint(fields=["operador", "codigo"], name="producto_codigo_unico_por_operador")]
        indexes = [models.Index(fields=["operador", "estado"])]


class VersionCoeficientesQuerySet(models.QuerySet["VersionCoeficientes"]):
    def en_vigor(self, al: date) -> VersionCoeficientesQuerySet:
        """Approved versions already in force at a date, newest first (the first one per product applies)."""
        return self.filter(estado=VersionCoeficientes.Estado.APROBADA, vigente_desde__lte=al).order_by(
            "producto_id", "-vigente_desde", "-numero"
        )


class VersionCoeficientes(RegistroOperador):
    """One version of a product's input-per-product table. Its lines never change: a change is a new version,
    and an anexo keeps pointing at the version it used."""

    class Estado(models.TextChoices):
        PRESENTADA = "presentada", "Presentada (por aprobar)"
        APROBADA = "aprobada", "Aprobada"
        RECHAZADA = "rechazada", "Rechazada"
        RETIRADA = "retirada", "Retirada"

    producto = models.ForeignKey(CodigoProducto, on_delete=models.PROTECT, related_name="versiones")
    numero = models.PositiveIntegerField("versión")
    vigente_desde = models.DateField("en vigor desde")
    justificacion = models.TextField("justificación técnica", help_text="De dónde salen los coeficientes (pruebas, fichas).")
    creada_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    estado = FSMField(choices=Estado.choices, default=Estado.PRESENTADA, protected=True, db_index=True)

    objects = VersionCoeficientesQuerySet.as_manager()

    class Meta:
        ordering = ["producto", "-numero"]
        verbose_name = "cuadro insumo-producto (versión)"
        verbose_name_plural = "cuadros insumo-producto (versiones)"
        constraints = [models.UniqueConstraint(fields=["producto", "numero"], name="version_unica_por_producto")]

    def __str__(self) -> str:
        return f"{self.producto.codigo} v{self.numero}"

    def get_absolute_url(self) -> str:
        return reverse("perfeccionamiento:codigoproducto_detalle", args=[self.producto_id]) + f"#version-{self.numero}"

    @transition(
        field="estado", source=Estado.PRESENTADA, target=Estado.APROBADA, permission=REVISAR_CODIGOS,
        custom={"label": "Aprobar"},
    )  # fmt: skip
    def aprobar(self) -> None:
        """The coefficients are consistent with the production process."""

    @transition(
        field="estado", source=Estado.PRESENTADA, target=Estado.RECHAZADA, permission=REVISAR_CODIGOS,
        custom={"label": "Rechazar", "requiere_comentario": True},
    )  # fmt: skip
    def rechazar(self) -> None:
        """The coefficients are not justified."""

    @transition(
        field="estado", source=Estado.PRESENTADA, target=Estado.RETIRADA, permission=actua_por_el_operador,
        custom={"label": "Retirar", "peligrosa": True},
    )  # fmt: skip
    def retirar(self) -> None:
        """The operator withdraws a version before SENAE decides (to file a corrected one)."""


class Coeficiente(models.Model):
    """Input units consumed per unit of product, waste included; `desperdicio` is the part of it that
    ends as recoverable waste (destroyed or nationalised under DAI 86)."""

    version = models.ForeignKey(VersionCoeficientes, on_delete=models.PROTECT, related_name="coeficientes")
    insumo = models.ForeignKey(CodigoInsumo, on_delete=models.PROTECT, related_name="coeficientes")
    coeficiente = models.DecimalField("insumo por unidad de producto", max_digits=18, decimal_places=8)
    desperdicio = models.DecimalField("del cual, desperdicio", max_digits=18, decimal_places=8, default=0)

    class Meta:
        ordering = ["version", "insumo__codigo"]
        verbose_name = "coeficiente insumo-producto"
        verbose_name_plural = "coeficientes insumo-producto"
        constraints = [
            models.UniqueConstraint(fields=["version", "insumo"], name="coeficiente_insumo_unico_por_version"),
            models.CheckConstraint(
                name="coeficiente_positivo",
                condition=Q(coeficiente__gt=0),
                violation_error_message="El coeficiente debe ser mayor que cero.",
            ),
            models.CheckConstraint(
                name="desperdicio_entre_cero_y_coeficiente",
                condition=Q(desperdicio__gte=0, desperdicio__lte=models.F("coeficiente")),
                violation_error_message="El desperdicio va de cero al coeficiente.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.insumo.codigo}: {self.coeficiente}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("Los coeficientes de una versión no se modifican: registre una versión nueva.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Los coeficientes de una versión no se eliminan: registre una versión nueva.")
