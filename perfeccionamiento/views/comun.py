"""Helpers shared by the régimen 21 pages: who files for which operator, scoped lookups, transition buttons."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from tramites.exceptions import ErrorDeNegocio, NoEncontrado
from tramites.models import Operador
from tramites.selectors import operadores_delegantes

from ..forms import ComentarioForm


def operadores_del_usuario(usuario) -> list[Operador]:
    """Operators the user files for: its own, or (agency) those with an active delegation."""
    if usuario.operador_id:
        return [usuario.operador]
    if usuario.agente_id:
        return list(operadores_delegantes(agente=usuario.agente))
    return []


def operador_elegido(request: HttpRequest) -> Operador | None:
    operadores = operadores_del_usuario(request.user)
    if len(operadores) == 1:
        return operadores[0]
    pk = request.POST.get("operador") or request.GET.get("operador")
    return next((o for o in operadores if str(o.pk) == pk), None)


def marcar_items(formset, errores: dict[str, list[str]], alias: dict[str, str] | None = None) -> None:
    """A service error keyed `lineas.<i>.<campo>` also marks that item's field (`alias` renames a service field to
    the item form's); the caller still lists it in the summary at the top, where it carries its item number."""
    for clave, mensajes in errores.items():
        partes = clave.split(".")
        if partes[0] == "lineas" and len(partes) == 3 and partes[1].isdigit() and int(partes[1]) < len(formset.forms):
            item = formset.forms[int(partes[1])]
            campo = (alias or {}).get(partes[2], partes[2])
            for mensaje in mensajes:
                item.add_error(campo if campo in item.fields else None, mensaje)


def obtener(selector: Callable, request: HttpRequest, pk: int):
    try:
        return selector(usuario=request.user, pk=pk)
    except NoEncontrado:
        raise Http404 from None


def botones_de_accion(objeto, usuario, nombre_url: str, formularios: dict[str, str] | None = None) -> list[dict]:
    """The operator-side transitions the user may run now, as buttons (or links to their own form)."""
    acciones = []
    for t in objeto.acciones_disponibles(usuario):
        formulario = (formularios or {}).get(t.name)
        if t.custom.get("formulario") and not formulario:
            continue
        acciones.append(
            {
                "nombre": t.name,
                "etiqueta": t.custom.get("label", t.name),
                "requiere_comentario": bool(t.custom.get("requiere_comentario")),
                "peligrosa": bool(t.custom.get("peligrosa")),
                "url": formulario or reverse(nombre_url, args=[objeto.pk, t.name]),
                "formulario": bool(formulario),
            }
        )
    return acciones


def ejecutar_accion(request: HttpRequest, objeto, servicio: Callable[..., object], **ids) -> HttpResponse:
    """POST of a simple transition button: optional comment, domain errors shown as messages."""
    form = ComentarioForm(request.POST)
    form.is_valid()
    accion = ids.pop("accion")
    try:
        servicio(**ids, accion=accion, por=request.user, comentario=form.cleaned_data.get("comentario", ""))
    except ErrorDeNegocio as e:
        messages.error(request, str(e))
    else:
        objeto.refresh_from_db()
        messages.success(request, f"Listo. {objeto._meta.verbose_name.capitalize()} {objeto}: {objeto.get_estado_display()}.")
    return redirect(objeto.get_absolute_url())
