"""Admin support for audited state machines: transition buttons, a comment form, and the timeline.

Usage in an app's admin.py:

    class SolicitudAdmin(TransicionesAdminMixin, admin.ModelAdmin):
        formularios_transicion = {"aprobar": AprobarForm}      # optional extra fields per transition
        def ejecutar_transicion(self, request, obj, accion, comentario, datos):
            return solicitud_aprobar(solicitud_id=obj.pk, funcionario=request.user, comentario=comentario, **datos)

The default `ejecutar_transicion` runs the generic locked transition service.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse

from .exceptions import DatosInvalidos, ErrorDeNegocio
from .fsm import definicion_transicion
from .services import registro_transicionar


class ComentarioTransicionForm(forms.Form):
    comentario = forms.CharField(label="Comentario", widget=forms.Textarea(attrs={"rows": 4}), required=False)


class TransicionesAdminMixin(admin.ModelAdmin):
    change_form_template = "admin/tramites/cambio_con_transiciones.html"
    formularios_transicion: dict[str, type[forms.Form]] = {}

    def get_readonly_fields(self, request, obj=None):
        campos = list(super().get_readonly_fields(request, obj))
        return campos if "estado" in campos else [*campos, "estado"]

    def get_urls(self):
        meta = self.model._meta
        return [
            path(
                "<int:object_id>/transicion/<str:accion>/",
                self.admin_site.admin_view(self.vista_transicion),
                name=f"{meta.app_label}_{meta.model_name}_transicion",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = self.get_object(request, object_id)
        if obj is not None:
            meta = self.model._meta
            extra_context["acciones_fsm"] = [
                {
                    "nombre": t.name,
                    "etiqueta": t.custom.get("label", t.name),
                    "url": reverse(f"admin:{meta.app_label}_{meta.model_name}_transicion", args=[obj.pk, t.name]),
                    "peligrosa": bool(t.custom.get("requiere_comentario")),
                }
                for t in obj.acciones_disponibles(request.user)
                if t.custom.get("admin", True)
            ]
            extra_context["linea_tiempo"] = obj.transiciones()
        return super().change_view(request, object_id, form_url, extra_context)

    def ejecutar_transicion(self, request: HttpRequest, obj, accion: str, comentario: str, datos: dict):
        return registro_transicionar(
            modelo=self.model, pk=obj.pk, accion=accion, por=request.user, comentario=comentario, **datos
        )

    def vista_transicion(self, request: HttpRequest, object_id: int, accion: str) -> HttpResponse:
        obj = self.get_object(request, str(object_id))
        meta = self.model._meta
        url_cambio = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[object_id])
        if obj is None:
            messages.error(request, "El registro no existe.")
            return HttpResponseRedirect(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        definicion = definicion_transicion(obj, accion)
        if definicion is None:
            messages.error(request, f"La acción «{accion}» no está disponible en el estado «{obj.get_estado_display()}».")
            return HttpResponseRedirect(url_cambio)
        etiqueta = definicion.custom.get("label", accion)
        requiere = bool(definicion.custom.get("requiere_comentario"))
        extra = self.formularios_transicion.get(accion)
        form = ComentarioTransicionForm(request.POST or None)
        form.fields["comentario"].required = requiere
        if requiere:
            form.fields["comentario"].label = "Motivo (obligatorio)"
        form_extra = extra(request.POST or None, request.FILES or None) if extra else None
        if request.method == "POST" and form.is_valid() and (form_extra is None or form_extra.is_valid()):
            try:
                self.ejecutar_transicion(
                    request, obj, accion, form.cleaned_data["comentario"], form_extra.cleaned_data if form_extra else {}
                )
            except DatosInvalidos as e:
                destino = form_extra or form
                for campo, mensajes in e.errores.items():
                    for m in mensajes:
                        destino.add_error(campo if campo in destino.fields else None, m)
            except ErrorDeNegocio as e:
                messages.error(request, str(e))
                return HttpResponseRedirect(url_cambio)
            else:
                obj.refresh_from_db()
                messages.success(request, f"«{etiqueta}» aplicado. Estado actual: {obj.get_estado_display()}.")
                return HttpResponseRedirect(url_cambio)
        return render(
            request,
            "admin/tramites/transicion.html",
            {
                **self.admin_site.each_context(request),
                "opts": meta,
                "original": obj,
                "title": f"{etiqueta}: {obj}",
                "form": form,
                "form_extra": form_extra,
                "etiqueta": etiqueta,
                "url_cambio": url_cambio,
            },
        )
