"""Admin of the régimen 21 for SENAE officials: queues with filters and search, read-only records, transition
buttons (comment required on observations and rejections) that call the same services as the portal."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.db import models
from django.utils.html import format_html

from tramites.admin import SoloLecturaAdmin
from tramites.admin_mixins import TransicionesAdminMixin
from tramites.forms import CampoDecimal
from tramites.models import Adjunto

from .models import (
    DAI,
    AlertaVencimiento,
    AnexoCompensatorio,
    CodigoInsumo,
    CodigoProducto,
    Coeficiente,
    CorreccionAnexo,
    DAIVencidaConSaldo,
    DeclaracionCompensatoria,
    EntregaAlerta,
    Garantia,
    LineaAnexo,
    LineaDAI,
    LiquidacionNacionalizacion,
    MovimientoInsumo,
    ReglaCanal,
    SaldoInsumo,
    SolicitudAutorizacion,
    TarifaArancelaria,
    TasasGenerales,
    VersionCoeficientes,
)
from .selectors import control_regimen
from .services.anexos import anexo_transicionar
from .services.autorizaciones import solicitud_transicionar
from .services.codigos import codigo_transicionar, version_transicionar
from .services.dai import dai_transicionar
from .services.garantias import garantia_transicionar

FECHA = forms.DateInput(attrs={"type": "date"})
# Officials type rates and amounts like everyone else (1.000,50 or 12,5): the portal's decimal field, not Django's
# <input type="number">, which Spanish Chromium reads by its own rules.
DECIMALES = {models.DecimalField: {"form_class": CampoDecimal}}


class AdjuntoInline(GenericTabularInline):
    model = Adjunto
    extra = 0
    can_delete = False
    fields = ["enlace", "tipo_contenido", "tamano", "subido_por", "subido_en"]
    readonly_fields = fields
    verbose_name_plural = "documentos adjuntos"

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="archivo")
    def enlace(self, adjunto: Adjunto) -> str:
        return format_html('<a href="/adjuntos/{}/">{}</a>', adjunto.pk, adjunto.nombre)


class RegistroSoloLecturaAdmin(TransicionesAdminMixin):
    """Officials do not edit what operators filed: they decide through transitions."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def get_fields(self, request, obj=None):
        campos = [f.name for f in self.model._meta.fields if f.name not in ("id", "estado")]
        return ["estado", *campos]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        sin_guardar = {"show_save": False, "show_save_and_continue": False, "show_save_and_add_another": False}
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **sin_guardar})

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AprobarSolicitudForm(forms.Form):
    vigencia_hasta = forms.DateField(
        label="Vigente hasta", required=False, widget=FECHA, help_text="Vacío: el plazo solicitado, contado desde hoy."
    )
    exportacion_anticipada = forms.BooleanField(
        label="Permite exportación anticipada (equivalencia)", required=False,
        help_text="Los anexos podrán descargar insumos que salieron después de la exportación que compensan.",
    )  # fmt: skip


class ConcederProrrogaForm(forms.Form):
    vigencia_hasta = forms.DateField(
        label="Nueva fecha final", required=False, widget=FECHA, help_text="Vacío: los meses solicitados."
    )


@admin.register(SolicitudAutorizacion)
class SolicitudAutorizacionAdmin(RegistroSoloLecturaAdmin):
    list_display = ["__str__", "numero", "operador", "modalidad", "estado", "vigencia_hasta", "presentada_en"]
    list_filter = ["estado", "modalidad", "operacion", "exportacion_anticipada", ("vigencia_hasta", admin.DateFieldListFilter)]
    search_fields = ["numero", "numero_autorizacion", "operador__ruc", "operador__razon_social"]
    list_select_related = ["operador"]
    date_hierarchy = "creado_en"
    inlines = [AdjuntoInline]
    formularios_transicion = {"aprobar": AprobarSolicitudForm, "conceder_prorroga": ConcederProrrogaForm}

    def ejecutar_transicion(self, request, obj, accion, comentario, datos):
        datos = {k: v for k, v in datos.items() if v is not None}
        return solicitud_transicionar(solicitud_id=obj.pk, accion=accion, por=request.user, comentario=comentario, **datos)


class NotificarCobroForm(forms.Form):
    oficio = forms.CharField(label="Oficio de notificación", max_length=60)
    notificado_el = forms.DateField(label="Notificado el", required=False, widget=FECHA, help_text="Vacío: hoy.")


class EfectivizarForm(forms.Form):
    anticipada = forms.BooleanField(label="Antes del día hábil 60, a petición del obligado o de SENAE", required=False)


@admin.register(Garantia)
class GarantiaAdmin(RegistroSoloLecturaAdmin):
    list_display = ["numero", "operador", "tipo", "entidad_emisora", "monto", "vigencia_hasta", "estado"]
    list_filter = ["estado", "tipo", "forma", ("vigencia_hasta", admin.DateFieldListFilter)]
    search_fields = ["numero", "numero_documento", "entidad_emisora", "operador__ruc", "operador__razon_social"]
    list_select_related = ["operador"]
    date_hierarchy = "vigencia_hasta"
    inlines = [AdjuntoInline]
    formularios_transicion = {"notificar_cobro": NotificarCobroForm, "efectivizar": EfectivizarForm}

    def ejecutar_transicion(self, request, obj, accion, comentario, datos):
        datos = {k: v for k, v in datos.items() if v is not None}
        return garantia_transicionar(garantia_id=obj.pk, accion=accion, por=request.user, comentario=comentario, **datos)


class CodigoAdmin(RegistroSoloLecturaAdmin):
    list_display = ["codigo", "descripcion", "subpartida", "unidad", "operador", "estado"]
    list_filter = ["estado", "unidad"]
    search_fields = ["codigo", "descripcion", "subpartida", "operador__ruc", "operador__razon_social"]
    list_select_related = ["operador"]

    def ejecutar_transicion(self, request, obj, accion, comentario, datos):
        return codigo_transicionar(modelo=self.model, codigo_id=obj.pk, accion=accion, por=request.user, comentario=comentario)


@admin.register(CodigoInsumo)
class CodigoInsumoAdmin(CodigoAdmin):
    pass


class VersionInline(admin.TabularInline):
    model = VersionCoeficientes
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["numero", "vigente_desde", "estado"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CodigoProducto)
class CodigoProductoAdmin(CodigoAdmin):
    inlines = [VersionInline]


class CoeficienteInline(admin.TabularInline):
    model = Coeficiente
    extra = 0
    can_delete = False
    fields = ["insumo", "coeficiente", "desperdicio"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(VersionCoeficientes)
class VersionCoeficientesAdmin(RegistroSoloLecturaAdmin):
    list_display = ["__str__", "producto", "operador", "vigente_desde", "estado", "creado_en"]
    list_filter = ["estado"]
    search_fields = ["producto__codigo", "producto__descripcion", "operador__ruc", "operador__razon_social"]
    list_select_related = ["producto", "operador"]
    inlines = [CoeficienteInline]

    def ejecutar_transicion(self, request, obj, accion, comentario, datos):
        return version_transicionar(version_id=obj.pk, accion=accion, por=request.user, comentario=comentario)


# --- DAI 21, aforo and the input ledger ------------------------------------------------------------------


class LineaDAIInline(admin.TabularInline):
    model = LineaDAI
    extra = 0
    can_delete = False
    fields = [
        "numero",
        "insumo",
        "subpartida",
        "pais_origen",
        "cantidad",
        "unidad",
        "fob",
        "cif",
        "ad_valorem",
        "iva",
        "total_suspendido",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DAI)
class DAIAdmin(RegistroSoloLecturaAdmin):
    """Aforo queue: filter by state and channel; observe (reason required) or authorise release."""

    list_display = [
        "__str__",
        "operador",
        "agente",
        "canal",
        "estado",
        "total_cif",
        "total_suspendido",
        "transmitida_en",
        "vence_el",
    ]
    list_filter = ["estado", "canal", "distrito", ("vence_el", admin.DateFieldListFilter)]
    search_fields = ["numero", "documento_transporte", "operador__ruc", "operador__razon_social", "agente__nombre"]
    list_select_related = ["operador", "agente"]
    date_hierarchy = "transmitida_en"
    inlines = [LineaDAIInline]

    def ejecutar_transicion(self, request, obj, accion, comentario, datos):
        return dai_transicionar(dai_id=obj.pk, accion=accion, por=request.user, comentario=comentario)


class MovimientoInline(admin.TabularInline):
    model = MovimientoInsumo
    extra = 0
    can_delete = False
    fields = ["en", "tipo", "cantidad", "saldo_resultante", "descripcion", "por"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SaldoInsumo)
class SaldoInsumoAdmin(SoloLecturaAdmin):
    """Input stock per DAI line (lot); the movements below explain its balance."""

    list_display = [
        "insumo",
        "operador",
        "dai",
        "cantidad_inicial",
        "saldo",
        "fecha_ingreso",
        "vence_el",
        "origen",
        "lote_origen",
    ]
    list_filter = ["origen", ("vence_el", admin.DateFieldListFilter)]
    search_fields = ["insumo__codigo", "operador__ruc", "operador__razon_social", "linea__dai__numero"]
    list_select_related = ["insumo", "operador", "linea__dai"]
    inlines = [MovimientoInline]
    actions = ["exportar_csv"]

    @admin.display(description="DAI", ordering="linea__dai__numero")
    def dai(self, obj: SaldoInsumo) -> str:
        return f"{obj.linea.dai.numero} ítem {obj.linea.numero}"

    @admin.action(description="Exportar a CSV")
    def exportar_csv(self, request, queryset):
        from .exportar import csv_saldos

        return csv_saldos(queryset.select_related("insumo", "operador", "linea__dai"))


@admin.register(MovimientoInsumo)
class MovimientoInsumoAdmin(SoloLecturaAdmin):
    list_display = ["en", "tipo", "cantidad", "saldo_resultante", "saldo", "descripcion", "por"]
    list_filter = ["tipo"]
    search_fields = ["descripcion", "saldo__insumo__codigo", "saldo__operador__ruc"]
    list_select_related = ["saldo__insumo", "por"]
    date_hierarchy = "en"


@admin.register(TarifaArancelaria)
class TarifaArancelariaAdmin(admin.ModelAdmin):
    formfield_overrides = DECIMALES
    list_display = ["subpartida", "descripcion", "ad_valorem", "ice"]
    search_fields = ["subpartida", "descripcion"]


@admin.register(TasasGenerales)
class TasasGeneralesAdmin(admin.ModelAdmin):
    formfield_overrides = DECIMALES
    list_display = ["vigente_desde", "fodinfa", "iva", "seguro_presuntivo", "interes_anual"]


@admin.register(ReglaCanal)
class ReglaCanalAdmin(admin.ModelAdmin):
    formfield_overrides = DECIMALES
    list_display = [
        "prioridad",
        "nombre",
        "canal",
        "activa",
        "operador",
        "subpartida_prefijo",
        "pais_origen",
        "cif_minimo",
        "porcentaje",
    ]
    list_editable = ["activa"]
    list_filter = ["activa", "canal"]
    autocomplete_fields = ["operador"]


# --- Anexos compensatorios ------------------------------------------------------------------------------------


class LineaAnexoInline(admin.TabularInline):
    model = LineaAnexo
    extra = 0
    can_delete = False
    fields = ["correccion", "numero", "producto", "insumo", "desperdicio", "cantidad", "valor_declarado", "version", "lotes"]
    readonly_fields = fields
    verbose_name_plural = "líneas (las de una corrección indican su número)"

    def has_add_permission(self, request, obj=None):
        return False


class MovimientoAnexoInline(MovimientoInline):
    fk_name = "anexo"
    fields = ["en", "tipo", "saldo", "cantidad", "saldo_resultante", "correccion", "descripcion"]
    readonly_fields = fields
    verbose_name_plural = "movimientos de compensación"


class CorreccionInline(admin.TabularInline):
    model = CorreccionAnexo
    extra = 0
    can_delete = False
    fields = ["numero", "motivo", "estado", "solicitada_por", "solicitada_en", "resuelta_por", "resuelta_en"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class LiquidacionInline(admin.TabularInline):
    model = LiquidacionNacionalizacion
    extra = 0
    can_delete = False
    fields = [
        "correccion", "saldo", "desperdicio", "cantidad", "cif", "ad_valorem", "fodinfa", "ice", "iva", "interes",
        "dias_interes", "total",
    ]  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AnexoCompensatorio)
class AnexoCompensatorioAdmin(RegistroSoloLecturaAdmin):
    """Anexos to accept (the compensating declaration verified) and corrections to resolve."""

    list_display = ["__str__", "tipo", "operador", "declaracion", "cesionario", "fecha", "estado", "total_tributos"]
    list_filter = ["estado", "tipo", ("fecha", admin.DateFieldListFilter)]
    search_fields = ["numero", "declaracion__numero", "operador__ruc", "operador__razon_social", "cesionario__ruc"]
    list_select_related = ["operador", "declaracion", "cesionario"]
    date_hierarchy = "fecha"
    inlines = [LineaAnexoInline, CorreccionInline, MovimientoAnexoInline, LiquidacionInline, AdjuntoInline]

    def ejecutar_transicion(self, request, obj, accion, comentario, datos):
        return anexo_transicionar(anexo_id=obj.pk, accion=accion, por=request.user, comentario=comentario)


@admin.register(DeclaracionCompensatoria)
class DeclaracionCompensatoriaAdmin(SoloLecturaAdmin):
    list_display = ["numero", "tipo", "operador", "fecha"]
    list_filter = ["tipo"]
    search_fields = ["numero", "operador__ruc", "operador__razon_social"]


# --- Vencimientos ---------------------------------------------------------------------------------------------


class EntregaAlertaInline(admin.TabularInline):
    model = EntregaAlerta
    extra = 0
    can_delete = False
    fields = ["usuario", "notificacion", "creada", "correo_enviado"]
    readonly_fields = fields
    verbose_name_plural = "entregas (prueba de envío)"

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="en el portal desde")
    def creada(self, entrega):
        return entrega.notificacion.creada_en

    @admin.display(description="correo enviado")
    def correo_enviado(self, entrega):
        return entrega.notificacion.correo_enviado_en or "pendiente"


@admin.register(AlertaVencimiento)
class AlertaVencimientoAdmin(SoloLecturaAdmin):
    list_display = ["creada_en", "tipo", "operador", "asunto", "umbral_dias", "vence_el"]
    list_filter = ["tipo", "umbral_dias", ("vence_el", admin.DateFieldListFilter)]
    search_fields = ["asunto", "operador__ruc", "operador__razon_social"]
    list_select_related = ["operador"]
    date_hierarchy = "creada_en"
    inlines = [EntregaAlertaInline]


@admin.register(DAIVencidaConSaldo)
class DAIVencidaConSaldoAdmin(SoloLecturaAdmin):
    """Control queue: DAI whose regime term ended with balance, and the suspended taxes of that balance (owed)."""

    list_display = ["numero", "operador", "vence_el", "saldo", "adeudado", "garantia", "estado_garantia"]
    list_filter = [("vence_el", admin.DateFieldListFilter), "distrito"]
    search_fields = ["numero", "operador__ruc", "operador__razon_social", "garantia__numero"]
    list_select_related = ["operador", "garantia"]
    ordering = ["vence_el", "pk"]

    def get_queryset(self, request):
        return control_regimen(super().get_queryset(request).filter(estado=DAI.Estado.VENCIDA_CON_SALDO))

    @admin.display(description="saldo (unidades)", ordering="saldo_abierto")
    def saldo(self, dai):
        return f"{dai.saldo_abierto.normalize():f}"

    @admin.display(description="tributos adeudados (USD)", ordering="tributos_pendientes")
    def adeudado(self, dai):
        return f"{dai.tributos_pendientes:,.2f}"

    @admin.display(description="estado de la garantía")
    def estado_garantia(self, dai):
        return dai.garantia.get_estado_display()
