"""DAI under régimen 21 (declaración aduanera de importación) and its lines, from transmission by the customs
agent to release (salida autorizada), which credits the input ledger."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django_fsm import FSMField, transition

from .base import SUBPARTIDA, RegistroOperador, Unidad, solo_sistema
from .parametros import ReglaCanal

AFORAR = "perfeccionamiento.aforar_dai"


def agente_que_transmitio(instancia: DAI, usuario) -> bool:
    """La agencia que transmitió la DAI, mientras su delegación siga vigente."""
    from tramites.selectors import puede_actuar_por_operador

    return (
        bool(usuario.agente_id)
        and usuario.agente_id == instancia.agente_id
        and puede_actuar_por_operador(usuario, instancia.operador_id)
    )


class DAI(RegistroOperador):
    class Estado(models.TextChoices):
        BORRADOR = "borrador", "Borrador"
        ACEPTADA = "aceptada", "Aceptada"
        EN_AFORO = "en_aforo", "En aforo"
        OBSERVADA = "observada", "Observada en aforo"
        SALIDA_AUTORIZADA = "salida_autorizada", "Salida autorizada (régimen abierto)"
        COMPENSADA = "compensada", "Compensada (cerrada)"
        VENCIDA_CON_SALDO = "vencida_con_saldo", "Vencida con saldo"
        ANULADA = "anulada", "Anulada"

    Canal = ReglaCanal.Canal
    ABIERTAS = (Estado.SALIDA_AUTORIZADA, Estado.VENCIDA_CON_SALDO)
    EN_DESPACHO = (Estado.ACEPTADA, Estado.EN_AFORO, Estado.OBSERVADA)

    numero = models.CharField("número", max_length=30, unique=True, null=True, blank=True)
    agente = models.ForeignKey(
        "tramites.AgenteAduana", on_delete=models.PROTECT, related_name="+", verbose_name="agente de aduana"
    )
    distrito = models.ForeignKey("tramites.Distrito", on_delete=models.PROTECT, related_name="+")
    autorizacion = models.ForeignKey(
        "perfeccionamiento.SolicitudAutorizacion", on_delete=models.PROTECT, related_name="dais", verbose_name="autorización"
    )
    garantia = models.ForeignKey(
        "perfeccionamiento.Garantia", on_delete=models.PROTECT, related_name="dais", verbose_name="garantía"
    )
    documento_transporte = models.CharField("documento de transporte (BL/guía)", max_length=40)
    canal = models.CharField("canal de aforo", max_length=12, choices=Canal.choices, blank=True)
    regla_canal = models.ForeignKey(ReglaCanal, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    total_fob = models.DecimalField("total FOB", max_digits=18, decimal_places=2, default=0)
    total_cif = models.DecimalField("total CIF", max_digits=18, decimal_places=2, default=0)
    total_suspendido = models.DecimalField("tributos suspendidos", max_digits=18, decimal_places=2, default=0)
    transmitida_en = models.DateTimeField(null=True, blank=True)
    salida_en = models.DateTimeField("salida autorizada en", null=True, blank=True)
    vence_el = models.DateField("plazo del régimen hasta", null=True, blank=True, db_index=True)
    creada_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    estado = FSMField(choices=Estado.choices, default=Estado.BORRADOR, protected=True, db_index=True)

    class Meta:
        ordering = ["-creado_en", "-pk"]
        verbose_name = "DAI régimen 21"
        verbose_name_plural = "DAI régimen 21"
        permissions = [("aforar_dai", "Puede observar una DAI en aforo y autorizar su salida")]
        constraints = [
            models.CheckConstraint(
                name="dai_aceptada_con_numero_y_canal",
                condition=Q(estado__in=["borrador", "anulada"]) | (Q(numero__isnull=False) & ~Q(canal="")),
                violation_error_message="Una DAI aceptada tiene número y canal de aforo.",
            ),
        ]
        indexes = [
            models.Index(fields=["operador", "estado"]),
            models.Index(fields=["agente", "estado"]),
            # A guarantee's exposure (selectors.garantia_exposicion) sums the DAI still in clearance under it: the
            # index holds only those, so the sum reads as many rows as DAI in clearance, not all the guarantee's DAI.
            models.Index(
                fields=["garantia"],
                condition=Q(estado__in=["aceptada", "en_aforo", "observada"]),
                name="dai_garantia_en_despacho_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.numero or f"DAI en borrador {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("perfeccionamiento:dai_detalle", args=[self.pk])

    @transition(
        field="estado", source="borrador", target="aceptada", permission=agente_que_transmitio,
        custom={"label": "Transmitir"},
    )  # fmt: skip
    def transmitir(self, *, numero: str, canal: str, regla) -> None:
        self.numero = numero
        self.canal = canal
        self.regla_canal = regla

    @transition(
        field="estado", source="aceptada", target="salida_autorizada", permission=solo_sistema,
        custom={"label": "Salida autorizada (aforo automático)", "admin": False},
    )  # fmt: skip
    def autorizar_salida_automatica(self, *, salida_en, vence_el) -> None:
        self.salida_en = salida_en
        self.vence_el = vence_el

    @transition(
        field="estado", source="aceptada", target="en_aforo", permission=solo_sistema,
        custom={"label": "Enviar a aforo", "admin": False},
    )  # fmt: skip
    def enviar_a_aforo(self) -> None:
        """Electronic, documentary or physical channel: an official of Aforo examines it."""

    @transition(
        field="estado", source="en_aforo", target="observada", permission=AFORAR,
        custom={"label": "Observar", "requiere_comentario": True},
    )  # fmt: skip
    def observar(self) -> None:
        """The examination found differences the agent must correct."""

    @transition(
        field="estado", source="observada", target="en_aforo", permission=agente_que_transmitio,
        custom={"label": "Enviar corrección", "formulario": True},
    )  # fmt: skip
    def corregir(self) -> None:
        """The agent corrected the declaration; the examination continues."""

    @transition(
        field="estado", source="en_aforo", target="salida_autorizada", permission=AFORAR,
        custom={"label": "Autorizar salida"},
    )  # fmt: skip
    def autorizar_salida(self, *, salida_en, vence_el) -> None:
        self.salida_en = salida_en
        self.vence_el = vence_el

    @transition(
        field="estado", source=["salida_autorizada", "vencida_con_saldo"], target="compensada", permission=solo_sistema,
        custom={"label": "Compensar (saldo cero)", "admin": False},
    )  # fmt: skip
    def cerrar_compensada(self) -> None:
        """Every input balance of the declaration reached zero."""

    @transition(
        field="estado", source="compensada", target="salida_autorizada", permission=solo_sistema,
        custom={"label": "Reabrir por corrección de un anexo", "admin": False},
    )  # fmt: skip
    def reabrir(self) -> None:
        """A corrected anexo gave balance back to a declaration that was closed."""

    @transition(
        field="estado", source="salida_autorizada", target="vencida_con_saldo", permission=solo_sistema,
        custom={"label": "Vencer con saldo", "admin": False},
    )  # fmt: skip
    def vencer(self) -> None:
        """The regime term ended with balances not compensated: the suspended taxes become payable."""

    @transition(
        field="estado", source="borrador", target="anulada", permission=agente_que_transmitio,
        custom={"label": "Anular", "peligrosa": True},
    )  # fmt: skip
    def anular(self) -> None:
        """A draft that will not be transmitted."""


class LineaDAI(models.Model):
    """One item of the declaration: an approved input code with its quantity, values and suspended taxes."""

    dai = models.ForeignKey(DAI, on_delete=models.CASCADE, related_name="lineas")
    numero = models.PositiveSmallIntegerField("ítem")
    insumo = models.ForeignKey("perfeccionamiento.CodigoInsumo", on_delete=models.PROTECT, related_name="lineas_dai")
    subpartida = models.CharField(max_length=10, validators=[SUBPARTIDA])
    descripcion = models.CharField("descripción comercial", max_length=250)
    pais_origen = models.CharField("país de origen", max_length=2)
    cantidad = models.DecimalField(max_digits=18, decimal_places=6)
    unidad = models.CharField(max_length=10, choices=Unidad.choices)
    fob = models.DecimalField("valor FOB", max_digits=18, decimal_places=2)
    flete = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    seguro = models.DecimalField(
        max_digits=18, decimal_places=2, null=True, blank=True, help_text="Vacío: se liquida el seguro presuntivo sobre el FOB."
    )
    seguro_liquidado = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    cif = models.DecimalField("valor CIF (valor en aduana)", max_digits=18, decimal_places=2, default=0)
    tasa_ad_valorem = models.DecimalField("ad valorem (%)", max_digits=7, decimal_places=4, default=0)
    ad_valorem = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    fodinfa = models.DecimalField("FODINFA", max_digits=18, decimal_places=2, default=0)
    ice = models.DecimalField("ICE", max_digits=18, decimal_places=2, default=0)
    iva = models.DecimalField("IVA", max_digits=18, decimal_places=2, default=0)
    total_suspendido = models.DecimalField("tributos suspendidos", max_digits=18, decimal_places=2, default=0)

    class Meta:
        ordering = ["dai", "numero"]
        verbose_name = "ítem de DAI"
        verbose_name_plural = "ítems de DAI"
        constraints = [
            models.UniqueConstraint(fields=["dai", "numero"], name="linea_dai_numero_unico"),
            models.CheckConstraint(
                name="linea_dai_cantidad_y_valores_positivos",
                condition=Q(cantidad__gt=0, fob__gt=0, flete__gte=0) & (Q(seguro__isnull=True) | Q(seguro__gte=0)),
                violation_error_message="La cantidad y el FOB son mayores que cero; flete y seguro no son negativos.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dai} ítem {self.numero} ({self.insumo.codigo})"


class DAIVencidaConSaldo(DAI):
    """The officials' queue of DAI whose regime term ended with balance: what is owed."""

    class Meta:
        proxy = True
        verbose_name = "DAI vencida con saldo"
        verbose_name_plural = "DAI vencidas con saldo (cola de control)"
