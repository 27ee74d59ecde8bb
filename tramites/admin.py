from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from . import selectors
from .admin_mixins import TransicionesAdminMixin
from .models import (
    Adjunto,
    AgenteAduana,
    Delegacion,
    Distrito,
    EntregaWebhook,
    Feriado,
    Notificacion,
    Operador,
    Salida,
    TokenCliente,
    Transicion,
    Usuario,
)
from .services import operador_transicionar
from .validators import validar_url_webhook


@admin.register(Usuario)
class UsuarioAdmin(UserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "operador", "agente", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_active", "groups"]
    search_fields = ["username", "email", "first_name", "last_name", "cedula", "operador__ruc", "agente__ruc"]
    autocomplete_fields = ["operador", "agente"]
    fieldsets = [
        *UserAdmin.fieldsets,
        ("Portal SENAE", {"fields": ["cedula", "telefono", "operador", "agente"]}),
    ]


@admin.register(Operador)
class OperadorAdmin(TransicionesAdminMixin):
    list_display = ["razon_social", "ruc", "tipo", "estado", "creado_en"]
    list_filter = ["estado", "tipo", "distrito"]
    search_fields = ["razon_social", "ruc", "email"]
    readonly_fields = ["creado_en", "actualizado_en"]

    def ejecutar_transicion(self, request, obj, accion, comentario, datos):
        return operador_transicionar(operador_id=obj.pk, accion=accion, funcionario=request.user, comentario=comentario)


class AgenteAduanaAdminForm(forms.ModelForm):
    webhook_url = forms.URLField(label="URL de webhook", required=False, assume_scheme="https")

    class Meta:
        model = AgenteAduana
        fields = "__all__"  # noqa: DJ007 - the admin shows every editable field of the agency

    def clean_webhook_url(self) -> str:
        url = (self.cleaned_data.get("webhook_url") or "").strip()
        validar_url_webhook(url)
        return url


@admin.register(AgenteAduana)
class AgenteAduanaAdmin(admin.ModelAdmin):
    form = AgenteAduanaAdminForm
    list_display = ["nombre", "ruc", "licencia", "activo", "webhook_url"]
    list_filter = ["activo"]
    search_fields = ["nombre", "ruc", "licencia"]


@admin.register(Delegacion)
class DelegacionAdmin(admin.ModelAdmin):
    list_display = ["operador", "agente", "desde", "hasta", "revocada_en", "revocada_por"]
    list_filter = ["agente"]
    search_fields = ["operador__ruc", "operador__razon_social", "agente__nombre"]
    autocomplete_fields = ["operador", "agente"]
    # A revocation goes only through `delegacion_revocar` (operator's page or API; a supervisor with a reason), so an
    # existing delegation is read-only here: moving its end date back would be an unaudited revocation.
    readonly_fields = ["creada_por", "creada_en", "revocada_en", "revocada_por", "motivo_revocacion"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        return ["operador", "agente", "desde", "hasta", *self.readonly_fields]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.creada_por = request.user
        super().save_model(request, obj, form, change)


@admin.register(Distrito)
class DistritoAdmin(admin.ModelAdmin):
    list_display = ["codigo", "nombre", "activo"]
    search_fields = ["codigo", "nombre"]


class AnioFeriadoFilter(admin.SimpleListFilter):
    title = "año"
    parameter_name = "anio"

    def lookups(self, request, model_admin):
        return [(str(d.year), str(d.year)) for d in Feriado.objects.dates("fecha", "year", order="DESC")]

    def queryset(self, request, queryset):
        valor = self.value()
        return queryset.filter(fecha__year=int(valor)) if valor and valor.isdigit() else queryset


class AmbitoFeriadoFilter(admin.SimpleListFilter):
    title = "ámbito"
    parameter_name = "ambito"

    def lookups(self, request, model_admin):
        return [("nacional", "Nacional"), *((str(d.pk), str(d)) for d in Distrito.objects.all())]

    def queryset(self, request, queryset):
        valor = self.value()
        if valor == "nacional":
            return queryset.filter(distrito__isnull=True)
        return queryset.filter(distrito_id=int(valor)) if valor and valor.isdigit() else queryset


@admin.register(Feriado)
class FeriadoAdmin(admin.ModelAdmin):
    """Holiday calendar used by every business-day term (ADR 0012). The law's rows are seeded by the portal:
    officials cannot delete them or change their date, only mark whether the day is rested."""

    list_display = ["fecha", "dia_semana", "nombre", "ambito", "origen", "descanso", "base_legal"]
    list_filter = [AnioFeriadoFilter, AmbitoFeriadoFilter, "origen", "descanso"]
    search_fields = ["nombre", "base_legal", "distrito__nombre", "distrito__codigo"]
    list_select_related = ["distrito"]
    ordering = ["fecha", "distrito__codigo"]
    fieldsets = [
        (
            None,
            {
                "fields": ["fecha", "nombre", "distrito", "origen", "descanso", "base_legal", "actualizado_en"],
                "description": "Un traslado decretado se registra en dos pasos: desmarque «día de descanso» en la "
                "fecha original y agregue la fecha nueva con origen «Traslado decretado». Un feriado con distrito "
                "solo cuenta para los plazos de ese distrito y prevalece sobre el nacional del mismo día.",
            },
        )
    ]

    @admin.display(description="día", ordering="fecha")
    def dia_semana(self, obj: Feriado) -> str:
        return ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"][obj.fecha.weekday()]

    @admin.display(description="ámbito", ordering="distrito__codigo")
    def ambito(self, obj: Feriado) -> str:
        return str(obj.distrito) if obj.distrito_id else "Nacional"

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.origen == Feriado.Origen.LEY:
            return ["fecha", "distrito", "origen", "actualizado_en"]
        return ["actualizado_en"]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "origen":
            kwargs["choices"] = [c for c in Feriado.Origen.choices if c[0] != Feriado.Origen.LEY]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.origen == Feriado.Origen.LEY:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        acciones = super().get_actions(request)
        acciones.pop("delete_selected", None)  # the law's rows must not be deleted in bulk; delete one by one
        return acciones


class SoloLecturaAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Transicion)
class TransicionAdmin(SoloLecturaAdmin):
    list_display = ["en", "content_type", "object_id", "transicion", "desde", "hacia", "por"]
    list_filter = ["content_type", "transicion"]
    search_fields = ["comentario", "por__username"]
    date_hierarchy = "en"

    def get_queryset(self, request):
        # Only the history of records the official may see (their own selectors: group permissions, desk queues).
        return selectors.alcance_generico(super().get_queryset(request), usuario=request.user)


@admin.register(Adjunto)
class AdjuntoAdmin(SoloLecturaAdmin):
    list_display = ["nombre", "tipo_contenido", "tamano", "content_type", "object_id", "subido_por", "subido_en"]
    list_filter = ["tipo_contenido", "content_type"]

    def get_queryset(self, request):
        # Only files of records the official may see, the same rule as /adjuntos/<pk>/.
        return selectors.alcance_generico(super().get_queryset(request), usuario=request.user)


@admin.register(Notificacion)
class NotificacionAdmin(SoloLecturaAdmin):
    list_display = ["creada_en", "usuario", "asunto", "correo_enviado_en", "leida_en"]
    search_fields = ["asunto", "usuario__username"]


@admin.register(TokenCliente)
class TokenClienteAdmin(admin.ModelAdmin):
    list_display = ["nombre", "usuario", "prefijo", "creado_en", "ultimo_uso", "revocado_en"]
    readonly_fields = ["usuario", "nombre", "prefijo", "creado_en", "ultimo_uso"]
    exclude = ["clave_hash"]
    actions = ["revocar"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Revocar los tokens seleccionados")
    def revocar(self, request, queryset):
        from .services import token_revocar

        for token in queryset:
            token_revocar(token_id=token.pk, por=request.user)
        self.message_user(request, f"{queryset.count()} token(s) revocado(s).")


@admin.register(EntregaWebhook)
class EntregaWebhookAdmin(SoloLecturaAdmin):
    """Delivery log of webhooks to agent software."""

    list_display = ["creada_en", "evento", "agente", "estado", "intentos", "ultimo_codigo_http", "entregada_en"]
    list_filter = ["estado", "agente"]
    search_fields = ["evento", "url", "ultimo_error"]
    date_hierarchy = "creada_en"
    actions = ["reintentar"]

    @admin.action(description="Reintentar la entrega")
    def reintentar(self, request, queryset):
        from .webhooks import entrega_reintentar

        for entrega in queryset:
            entrega_reintentar(entrega_id=entrega.pk)
        self.message_user(request, f"{queryset.count()} entrega(s) en cola de nuevo.")


@admin.register(Salida)
class SalidaAdmin(SoloLecturaAdmin):
    """Transactional outbox (tramites/salidas.py): what left, what waits, what failed for good."""

    list_display = ["creada_en", "manejador", "clave", "estado", "intentos", "proximo_intento", "entregada_en"]
    list_filter = ["estado", "manejador"]
    search_fields = ["clave", "ultimo_error"]
    date_hierarchy = "creada_en"
    actions = ["reencolar"]

    def has_reencolar_permission(self, request) -> bool:
        return request.user.has_perm("tramites.reencolar_salida")

    @admin.action(description="Volver a poner en cola (intentos a cero)", permissions=["reencolar"])
    def reencolar(self, request, queryset):
        from .salidas import salida_reencolar

        n = sum(salida_reencolar(salida_id=pk) for pk in queryset.values_list("pk", flat=True))
        self.message_user(request, f"{n} mensaje(s) saliente(s) en cola de nuevo.")
