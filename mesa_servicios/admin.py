"""Admin for desk officials: queues scoped by group (the same selector as pages and API), filters, SLA column,
the conversation and files, transition buttons (assign, take, ask the user, answer with a template, link a
duplicate, discard) that call the services, and the configuration (areas, reasons, SLA targets, templates)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from tramites.admin import SoloLecturaAdmin
from tramites.admin_mixins import TransicionesAdminMixin
from tramites.exceptions import ErrorDeNegocio
from tramites.forms import ArchivosField

from . import selectors
from .models import Area, AvisoSla, CorreoEntrante, Motivo, ObjetivoSla, PlantillaRespuesta, Seguimiento, Ticket
from .services import tickets


class AsignarForm(forms.Form):
    analista = forms.ModelChoiceField(
        label="Analista",
        queryset=selectors.analistas_de_la_mesa(),
        help_text="Debe pertenecer al grupo que atiende la cola del ticket.",
    )


class SolicitarInformacionForm(forms.Form):
    mensaje = forms.CharField(
        label="Qué necesita del usuario", widget=forms.Textarea(attrs={"rows": 5, "cols": 80}), help_text="Se envía al usuario."
    )
    adjuntos = ArchivosField(label="Archivos para el usuario", required=False)


class ResponderForm(forms.Form):
    plantilla = forms.ModelChoiceField(
        label="Plantilla",
        queryset=PlantillaRespuesta.objects.filter(activa=True),
        required=False,
        help_text="Si deja la respuesta vacía, se envía la plantilla ({numero} y {nombre} se reemplazan).",
    )
    respuesta = forms.CharField(
        label="Respuesta al usuario", widget=forms.Textarea(attrs={"rows": 10, "cols": 80}), required=False
    )
    publica = forms.BooleanField(
        label="Mostrar como sugerencia a otros usuarios",
        required=False,
        help_text="Solo si la pregunta y la respuesta no contienen datos personales.",
    )
    adjuntos = ArchivosField(label="Archivos para el usuario", required=False)


class NotaInternaForm(forms.Form):
    texto = forms.CharField(
        label="Nota interna", widget=forms.Textarea(attrs={"rows": 5, "cols": 80}), help_text="Solo la ven los funcionarios."
    )


class VincularForm(forms.Form):
    padre_numero = forms.CharField(label="Número del incidente principal", max_length=20, help_text="Ej.: MDS-2026-000123")


class ColaFilter(admin.SimpleListFilter):
    title = "cola"
    parameter_name = "cola"

    def lookups(self, request, model_admin):
        return [
            ("sin_asignar", "Sin asignar"),
            ("mios", "Asignados a mí"),
            ("en_riesgo", "SLA en riesgo"),
            ("vencidos", "SLA vencido"),
        ]

    def queryset(self, request, queryset):
        return selectors.filtrar_cola(queryset, cola=self.value() or "", usuario=request.user)


def _enlaces_adjuntos(numero: str, adjuntos) -> str:
    return (
        format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((reverse("mesa_servicios:adjunto", args=[numero, a.pk]), a.nombre) for a in adjuntos),
        )
        or "—"
    )


class SeguimientoInline(admin.TabularInline):
    model = Seguimiento
    extra = 0
    can_delete = False
    fields = ["creado_en", "tipo", "autor", "canal", "texto", "archivos"]
    readonly_fields = fields
    verbose_name_plural = "conversación"

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("autor", "ticket").prefetch_related("adjuntos")

    @admin.display(description="archivos")
    def archivos(self, obj: Seguimiento) -> str:
        return _enlaces_adjuntos(obj.ticket.numero, obj.adjuntos.all())


@admin.register(Ticket)
class TicketAdmin(TransicionesAdminMixin, admin.ModelAdmin):
    list_display = ["numero", "asunto", "estado", "tipo", "asignado_a", "sla", "creado_en"]
    list_filter = [ColaFilter, "estado", "tipo", "area", "canal", "verificado", "tramite", "motivo"]
    search_fields = [
        "numero",
        "asunto",
        "solicitante__email",
        "solicitante__first_name",
        "solicitante__last_name",
        "correo_sin_verificar",
    ]
    list_select_related = ["area", "asignado_a", "solicitante"]
    date_hierarchy = "creado_en"
    inlines = [SeguimientoInline]
    fieldsets = [
        ("Ticket", {"fields": ["numero", "tipo", "estado", "resultado", "canal", "area", "asignado_a", "sla"]}),
        (
            "Solicitante",
            {
                "fields": [
                    "solicitante",
                    "solicitante_operador",
                    "verificado",
                    "correo_sin_verificar",
                    "telefono_contacto",
                    "registrado_por",
                ]
            },
        ),
        ("Requerimiento", {"fields": ["asunto", "descripcion", "archivos", "motivo", "tramite", "referencia"]}),
        ("Incidente en ECUAPASS", {"fields": ["pantalla_opcion", "modulo", "ocurrido_en", "distrito"]}),
        ("Vínculos", {"fields": ["origen", "padre", "duplicados_abiertos"]}),
        (
            "Respuesta",
            {"fields": ["respuesta", "respuesta_publica", "primera_respuesta_en", "respondido_en", "cierre_automatico_en"]},
        ),
    ]
    change_form_template = "admin/mesa_servicios/ticket/cambio.html"
    formularios_transicion = {
        "asignar": AsignarForm,
        "solicitar_informacion": SolicitarInformacionForm,
        "responder": ResponderForm,
        "vincular": VincularForm,
    }

    def get_queryset(self, request):
        return selectors.tickets_visibles(request.user).select_related(
            "area", "asignado_a", "solicitante", "solicitante__operador", "solicitante__agente", "registrado_por", "motivo"
        )

    def get_urls(self):
        return [
            path(
                "<int:object_id>/nota/",
                self.admin_site.admin_view(self.vista_nota),
                name="mesa_servicios_ticket_nota",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if selectors.es_de_la_mesa(request.user):
            extra_context["url_nota"] = reverse("admin:mesa_servicios_ticket_nota", args=[object_id])
        return super().change_view(request, object_id, form_url, extra_context)

    def vista_nota(self, request: HttpRequest, object_id: int) -> HttpResponse:
        obj = self.get_object(request, str(object_id))
        if obj is None:
            raise Http404
        url_cambio = reverse("admin:mesa_servicios_ticket_change", args=[obj.pk])
        form = NotaInternaForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                tickets.ticket_nota_interna(ticket_id=obj.pk, por=request.user, texto=form.cleaned_data["texto"])
            except ErrorDeNegocio as e:
                messages.error(request, str(e))
            else:
                messages.success(request, "Nota interna agregada.")
            return HttpResponseRedirect(url_cambio)
        return render(
            request,
            "admin/tramites/transicion.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": obj,
                "title": f"Nota interna: {obj}",
                "form": form,
                "form_extra": None,
                "etiqueta": "Agregar nota interna",
                "url_cambio": url_cambio,
            },
        )

    def get_readonly_fields(self, request, obj=None):
        return [f for conjunto in self.fieldsets for f in conjunto[1]["fields"]]

    def has_add_permission(self, request):
        return (
            False  # tickets are filed in the portal, by e-mail, by phone (Mesa de Servicios → Registrar una llamada) or the API
        )

    def has_change_permission(self, request, obj=None):
        return False  # read-only: every change goes through a transition button and its service

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="tiempo de respuesta")
    def sla(self, obj: Ticket) -> str:
        situacion = obj.sla_situacion()
        vence = f" · vence {timezone.localtime(obj.sla_vence_en):%d/%m %H:%M}" if obj.sla_vence_en else ""
        color = {"vencido": "#b00020", "incumplido": "#b00020", "en_riesgo": "#7a3e00"}.get(situacion, "inherit")
        return format_html('<span style="color:{}">{}{}</span>', color, obj.sla_situacion_texto(), vence)

    @admin.display(description="operador / agencia")
    def solicitante_operador(self, obj: Ticket) -> str:
        if obj.solicitante_id is None:  # an unverified e-mail ticket: no account until its sender confirms it
            return f"Sin verificar: {obj.correo_sin_verificar}"
        return str(obj.solicitante.operador or obj.solicitante.agente or "Ciudadano")

    @admin.display(description="archivos")
    def archivos(self, obj: Ticket) -> str:
        return _enlaces_adjuntos(obj.numero, obj.adjuntos.all())

    @admin.display(description="duplicados vinculados")
    def duplicados_abiertos(self, obj: Ticket) -> str:
        return ", ".join(obj.duplicados.values_list("numero", flat=True)) or "—"

    def ejecutar_transicion(self, request, obj, accion, comentario, datos):
        u = request.user
        if accion == "asignar":
            return tickets.ticket_asignar(ticket_id=obj.pk, por=u, analista=datos["analista"], comentario=comentario)
        if accion == "tomar":
            return tickets.ticket_tomar(ticket_id=obj.pk, por=u, comentario=comentario)
        if accion == "iniciar_analisis":
            return tickets.ticket_iniciar_analisis(ticket_id=obj.pk, por=u, comentario=comentario)
        if accion == "solicitar_informacion":
            return tickets.ticket_solicitar_informacion(
                ticket_id=obj.pk, por=u, mensaje=datos["mensaje"], archivos=datos.get("adjuntos") or []
            )
        if accion == "responder":
            return tickets.ticket_responder(
                ticket_id=obj.pk,
                por=u,
                respuesta=datos.get("respuesta", ""),
                plantilla=datos.get("plantilla"),
                publica=datos.get("publica", False),
                archivos=datos.get("adjuntos") or [],
            )
        if accion == "vincular":
            return tickets.ticket_vincular(ticket_id=obj.pk, por=u, padre_numero=datos["padre_numero"], comentario=comentario)
        if accion == "desvincular":
            return tickets.ticket_desvincular(ticket_id=obj.pk, por=u, comentario=comentario)
        if accion == "descartar":
            return tickets.ticket_descartar(ticket_id=obj.pk, por=u, motivo=comentario)
        return super().ejecutar_transicion(request, obj, accion, comentario, datos)


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["nombre", "codigo", "grupo", "recibe_incidentes", "recibe_quejas", "activa"]
    list_filter = ["activa", "grupo"]


@admin.register(Motivo)
class MotivoAdmin(admin.ModelAdmin):
    list_display = ["nombre", "area", "requiere_adjunto", "activo", "orden"]
    list_filter = ["area", "activo"]
    list_editable = ["area", "orden"]
    list_select_related = ["area"]


@admin.register(ObjetivoSla)
class ObjetivoSlaAdmin(admin.ModelAdmin):
    list_display = ["tipo", "horas_habiles", "porcentaje_aviso"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PlantillaRespuesta)
class PlantillaRespuestaAdmin(admin.ModelAdmin):
    list_display = ["nombre", "tipo", "activa"]
    list_filter = ["tipo", "activa"]
    search_fields = ["nombre", "texto"]


@admin.register(CorreoEntrante)
class CorreoEntranteAdmin(SoloLecturaAdmin):
    list_display = ["recibido_en", "remitente", "autenticado", "asunto", "resultado", "ticket", "respuesta_enviada_en"]
    list_filter = ["resultado", "autenticado"]
    search_fields = ["remitente", "asunto", "message_id", "ticket__numero"]
    list_select_related = ["ticket"]
    date_hierarchy = "recibido_en"


@admin.register(AvisoSla)
class AvisoSlaAdmin(SoloLecturaAdmin):
    list_display = ["creado_en", "ticket", "umbral"]
    list_filter = ["umbral"]
    list_select_related = ["ticket"]
