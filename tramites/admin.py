from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .admin_mixins import TransicionesAdminMixin
from .models import (
    Adjunto,
    AgenteAduana,
    Delegacion,
    Distrito,
    EntregaWebhook,
    Notificacion,
    Operador,
    TokenCliente,
    Transicion,
    Usuario,
)
from .services import operador_transicionar


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


@admin.register(AgenteAduana)
class AgenteAduanaAdmin(admin.ModelAdmin):
    list_display = ["nombre", "ruc", "licencia", "activo", "webhook_url"]
    list_filter = ["activo"]
    search_fields = ["nombre", "ruc", "licencia"]


@admin.register(Delegacion)
class DelegacionAdmin(admin.ModelAdmin):
    list_display = ["operador", "agente", "desde", "hasta", "revocada_en"]
    list_filter = ["agente"]
    search_fields = ["operador__ruc", "operador__razon_social", "agente__nombre"]
    autocomplete_fields = ["operador", "agente"]
    readonly_fields = ["creada_por", "creada_en"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.creada_por = request.user
        super().save_model(request, obj, form, change)


@admin.register(Distrito)
class DistritoAdmin(admin.ModelAdmin):
    list_display = ["codigo", "nombre", "activo"]
    search_fields = ["codigo", "nombre"]


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


@admin.register(Adjunto)
class AdjuntoAdmin(SoloLecturaAdmin):
    list_display = ["nombre", "tipo_contenido", "tamano", "content_type", "object_id", "subido_por", "subido_en"]
    list_filter = ["tipo_contenido", "content_type"]


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
