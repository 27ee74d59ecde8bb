"""Configuration officials edit in the admin: tariff rates per subheading, general tax rates in force from a
date, and the risk rules that assign an inspection channel (canal de aforo) to each accepted DAI."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from .base import SUBPARTIDA

PORCENTAJE = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class TarifaArancelaria(models.Model):
    """Ad valorem (and ICE, where it applies) of a tariff subheading, as a percentage."""

    subpartida = models.CharField(max_length=10, unique=True, validators=[SUBPARTIDA])
    descripcion = models.CharField("descripción", max_length=250)
    ad_valorem = models.DecimalField("ad valorem (%)", max_digits=7, decimal_places=4, validators=PORCENTAJE)
    ice = models.DecimalField("ICE (%)", max_digits=7, decimal_places=4, default=0, validators=PORCENTAJE)

    class Meta:
        ordering = ["subpartida"]
        verbose_name = "tarifa arancelaria"
        verbose_name_plural = "tarifas arancelarias"
        constraints = [
            models.CheckConstraint(
                name="tarifa_porcentajes_validos",
                condition=Q(ad_valorem__gte=0, ad_valorem__lte=100, ice__gte=0, ice__lte=100),
                violation_error_message="Los porcentajes van de 0 a 100.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subpartida} — {self.descripcion} ({self.ad_valorem} %)"


class TasasGenerales(models.Model):
    """FODINFA, IVA and the presumptive insurance, in force from a date (the newest one not after a date applies)."""

    vigente_desde = models.DateField("en vigor desde", unique=True)
    fodinfa = models.DecimalField("FODINFA (%)", max_digits=7, decimal_places=4, validators=PORCENTAJE)
    iva = models.DecimalField("IVA (%)", max_digits=7, decimal_places=4, validators=PORCENTAJE)
    seguro_presuntivo = models.DecimalField(
        "seguro presuntivo (% del FOB)",
        max_digits=7,
        decimal_places=4,
        validators=PORCENTAJE,
        help_text="Se usa cuando la declaración no indica el valor del seguro.",
    )
    interes_anual = models.DecimalField(
        "interés de los tributos al nacionalizar (% anual)",
        max_digits=7,
        decimal_places=4,
        default=0,
        db_default=0,
        validators=PORCENTAJE,
        help_text="Sobre los tributos liquidados en la nacionalización o la pérdida, por los días desde la salida "
        "autorizada (interés simple, año de 365 días). 0: no se cobra interés.",
    )

    class Meta:
        ordering = ["-vigente_desde"]
        get_latest_by = "vigente_desde"
        verbose_name = "tasas generales"
        verbose_name_plural = "tasas generales"

    def __str__(self) -> str:
        return f"Desde {self.vigente_desde:%d/%m/%Y}: FODINFA {self.fodinfa} %, IVA {self.iva} %"

    @classmethod
    def en_vigor(cls, al: date) -> TasasGenerales | None:
        return cls.objects.filter(vigente_desde__lte=al).order_by("-vigente_desde").first()


class ReglaCanal(models.Model):
    """A risk rule. Rules are tried by priority (lowest first); the first whose conditions all hold assigns
    its channel. Empty conditions always hold. `porcentaje` selects that share of the matching declarations
    (deterministically, from the rule's name and the declaration number) for random control."""

    class Canal(models.TextChoices):
        AUTOMATICO = "automatico", "Automático"
        ELECTRONICO = "electronico", "Electrónico"
        DOCUMENTAL = "documental", "Documental"
        FISICO = "fisico", "Físico"

    nombre = models.CharField(max_length=120)
    prioridad = models.PositiveIntegerField(default=100, help_text="Menor número: se evalúa antes.")
    activa = models.BooleanField(default=True)
    canal = models.CharField(max_length=12, choices=Canal.choices)
    operador = models.ForeignKey(
        "tramites.Operador", on_delete=models.CASCADE, null=True, blank=True, help_text="Solo declaraciones de este OCE."
    )
    subpartida_prefijo = models.CharField(
        "subpartida empieza con", max_length=10, blank=True, help_text="Capítulo, partida o subpartida (p. ej. 52 o 5208)."
    )
    pais_origen = models.CharField("país de origen", max_length=2, blank=True, help_text="Código ISO de 2 letras.")
    cif_minimo = models.DecimalField("valor CIF total desde (USD)", max_digits=18, decimal_places=2, null=True, blank=True)
    porcentaje = models.PositiveSmallIntegerField(
        "porcentaje de declaraciones", default=100, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    class Meta:
        ordering = ["prioridad", "pk"]
        verbose_name = "regla de riesgo (canal de aforo)"
        verbose_name_plural = "reglas de riesgo (canal de aforo)"

    def __str__(self) -> str:
        return f"{self.prioridad}. {self.nombre} → {self.get_canal_display()}"

    def aplica(self, *, operador_id: int, subpartidas: list[str], paises: list[str], cif: Decimal, numero: str) -> bool:
        if self.operador_id and self.operador_id != operador_id:
            return False
        if self.subpartida_prefijo and not any(s.startswith(self.subpartida_prefijo) for s in subpartidas):
            return False
        if self.pais_origen and self.pais_origen.upper() not in paises:
            return False
        if self.cif_minimo is not None and cif < self.cif_minimo:
            return False
        if self.porcentaje < 100:
            muestra = int(hashlib.sha256(f"{self.nombre}:{numero}".encode()).hexdigest()[:8], 16) % 100
            return muestra < self.porcentaje
        return True
