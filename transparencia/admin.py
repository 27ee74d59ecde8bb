"""Admin of the transparency statistics: every row is read-only (historical figures are never edited; the
portal's are only rewritten by a recomputation). Officials with `transparencia.recalcular_estadistica`
(Supervisor) recompute months — selected rows or any month by form — and each recomputation is logged."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from tramites.admin import SoloLecturaAdmin
from tramites.exceptions import ErrorDeNegocio

from . import registro
from .models import EstadisticaMensual, Recalculo
from .registro import texto_mes
from .services import estadistica_recalcular

PERMISO = "transparencia.recalcular_estadistica"


class RecalcularForm(forms.Form):
    tramite = forms.ChoiceField(label="Trámite", choices=registro.opciones)
    anio = forms.IntegerField(label="Año", min_value=2000, max_value=2100)
    mes = forms.IntegerField(label="Mes", min_value=1, max_value=12, help_text="1 a 12.")


def _recalcular(request: HttpRequest, *, tramite: str, anio: int, mes: int) -> bool:
    try:
        fila = estadistica_recalcular(tramite=tramite, anio=anio, mes=mes, por=request.user, via=Recalculo.Via.ADMINISTRACION)
    except ErrorDeNegocio as e:
        messages.error(request, f"{registro.obtener(tramite).titulo} {anio}-{mes:02d}: {e}")
        return False
    messages.success(
        request,
        f"{registro.obtener(tramite).titulo} {texto_mes(fila.periodo)}: {fila.quejas} quejas, {fila.atenciones} atenciones.",
    )
    return True


@admin.register(EstadisticaMensual)
class EstadisticaMensualAdmin(SoloLecturaAdmin):
    list_display = ["periodo", "tramite_corto", "quejas", "atenciones", "quejas_por_mil", "origen_corto"]
    list_filter = ["tramite", "origen", "anio"]
    ordering = ["tramite", "-anio", "-mes"]
    actions = ["recalcular"]
    change_list_template = "admin/transparencia/estadisticamensual/change_list.html"

    fields = ["tramite", "periodo", "quejas", "atenciones", "quejas_por_mil", "origen", "calculado_en", "historial"]
    readonly_fields = fields

    @admin.display(description="mes", ordering="anio")
    def periodo(self, obj: EstadisticaMensual) -> str:
        return texto_mes(obj.periodo)

    @admin.display(description="trámite", ordering="tramite")
    def tramite_corto(self, obj: EstadisticaMensual) -> str:
        return obj.tramite

    @admin.display(description="origen", ordering="origen")
    def origen_corto(self, obj: EstadisticaMensual) -> str:
        return "Histórico" if obj.origen == EstadisticaMensual.Origen.HISTORICO else "Portal"

    @admin.display(description="quejas por 1 000 atenciones")
    def quejas_por_mil(self, obj: EstadisticaMensual):
        return obj.quejas_por_mil if obj.quejas_por_mil is not None else "—"

    @admin.display(description="recálculos del mes")
    def historial(self, obj: EstadisticaMensual):
        recalculos = Recalculo.objects.filter(tramite=obj.tramite, anio=obj.anio, mes=obj.mes).select_related("por")
        if not recalculos:
            return "Ninguno (cifra histórica)." if obj.origen == EstadisticaMensual.Origen.HISTORICO else "Ninguno."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} — {} ({}): {} quejas, {} atenciones{}</li>",
                (
                    (
                        f"{r.en:%d/%m/%Y %H:%M}",
                        r.por or "el sistema",
                        r.get_via_display(),
                        r.quejas,
                        r.atenciones,
                        f" (antes {r.quejas_antes} y {r.atenciones_antes})" if r.quejas_antes is not None else "",
                    )
                    for r in recalculos
                ),
            ),
        )

    def has_recalcular_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(PERMISO)

    @admin.action(description="Recalcular los meses seleccionados con los registros del portal", permissions=["recalcular"])
    def recalcular(self, request, queryset):
        for fila in queryset.order_by("tramite", "anio", "mes"):
            _recalcular(request, tramite=fila.tramite, anio=fila.anio, mes=fila.mes)

    def get_urls(self):
        return [
            path("recalcular/", self.admin_site.admin_view(self.recalcular_mes_view), name="transparencia_recalcular"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "fuentes": registro.todas(),
            "puede_recalcular": self.has_recalcular_permission(request),
        }
        return super().changelist_view(request, extra_context)

    def recalcular_mes_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_recalcular_permission(request):
            raise PermissionDenied
        form = RecalcularForm(request.POST or None, initial=request.GET or None)
        if request.method == "POST" and form.is_valid() and _recalcular(request, **form.cleaned_data):
            return HttpResponseRedirect(reverse("admin:transparencia_estadisticamensual_changelist"))
        return render(
            request,
            "admin/transparencia/recalcular.html",
            {
                **self.admin_site.each_context(request),
                "title": "Recalcular un mes",
                "form": form,
                "fuentes": registro.todas(),
                "opts": self.model._meta,
            },
        )


@admin.register(Recalculo)
class RecalculoAdmin(SoloLecturaAdmin):
    list_display = ["en", "tramite", "periodo", "quejas", "atenciones", "quejas_antes", "atenciones_antes", "via", "por"]
    list_filter = ["tramite", "via"]
    date_hierarchy = "en"

    @admin.display(description="mes", ordering="anio")
    def periodo(self, obj: Recalculo) -> str:
        return texto_mes(obj.periodo)
