"""Browser pages of the desk: thin — parse, call one service or selector, render. Domain errors become form
errors (accessible error summary)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.views.decorators.http import require_GET, require_POST

from tramites.exceptions import DatosInvalidos, ErrorDeNegocio, NoEncontrado
from tramites.limites import limitar
from tramites.models import Usuario
from tramites.paginacion import paginar
from tramites.pdf import respuesta_pdf

from . import selectors
from .forms import ActivarCuentaForm, ConsultaForm, IncidenteForm, LlamadaForm, MensajeForm, NoConformeForm, QuejaForm
from .models import Ticket
from .services import correo, cuentas, tickets

FORMULARIOS = {
    Ticket.Tipo.INCIDENTE: (IncidenteForm, "Reportar un incidente en ECUAPASS"),
    Ticket.Tipo.CONSULTA: (ConsultaForm, "Hacer una consulta"),
    Ticket.Tipo.QUEJA: (QuejaForm, "Presentar una queja"),
}


def _admite_mensajes(ticket: Ticket) -> bool:
    """Open and not waiting for the user's decision on an answer (then: accept or "not satisfied")."""
    return ticket.abierto and ticket.estado != Ticket.Estado.RESPONDIDO


def _obtener(request: HttpRequest, numero: str) -> Ticket:
    try:
        return selectors.ticket_obtener(usuario=request.user, numero=numero)
    except NoEncontrado:
        raise Http404 from None


@login_required
def inicio(request: HttpRequest) -> HttpResponse:
    """My tickets (users) or my queues (desk officials), with filters; rows in one query per page."""
    estado = request.GET.get("estado", "")
    tipo = request.GET.get("tipo", "")
    cola = request.GET.get("cola", "") if request.user.is_staff else ""
    qs = selectors.tickets_listar(usuario=request.user, estado=estado, tipo=tipo, cola=cola)
    pagina = paginar(request, qs, por_pagina=25)
    return render(
        request,
        "mesa_servicios/ticket/lista.html",
        {
            "pagina": pagina,
            "estado": estado,
            "tipo": tipo,
            "cola": cola,
            "estados": Ticket.Estado.choices,
            "tipos": Ticket.Tipo.choices,
            "es_mesa": selectors.es_de_la_mesa(request.user),
        },
    )


@login_required
def nuevo(request: HttpRequest, tipo: str) -> HttpResponse:
    if tipo not in FORMULARIOS:
        raise Http404
    clase, titulo = FORMULARIOS[tipo]
    extra = {"motivos": selectors.motivos_activos()} if tipo == Ticket.Tipo.CONSULTA else {}
    form = clase(request.POST or None, request.FILES or None, **extra)
    if request.method == "POST" and form.is_valid():
        datos = {k: v for k, v in form.cleaned_data.items() if k not in {"adjuntos", "capturas_con_fecha"}}
        ticket = form.ejecutar(
            tickets.ticket_registrar,
            tipo=tipo,
            solicitante=request.user,
            archivos=form.cleaned_data.get("adjuntos") or [],
            **datos,
        )
        if ticket is not None:
            messages.success(request, f"Registramos su requerimiento con el número {ticket.numero}.")
            return redirect("mesa_servicios:detalle", numero=ticket.numero)
    motivos = list(form.fields["motivo"].queryset) if tipo == Ticket.Tipo.CONSULTA else []
    return render(request, "mesa_servicios/ticket/nuevo.html", {"form": form, "titulo": titulo, "tipo": tipo, "motivos": motivos})


def _render_detalle(request: HttpRequest, numero: str, *, status: int = 200, **forms) -> HttpResponse:
    """The ticket page; `forms` replaces the empty message or "not satisfied" form with a bound one with errors."""
    ticket = _obtener(request, numero)
    es_solicitante = ticket.solicitante_id == request.user.pk
    contexto = {
        "ticket": ticket,
        "es_solicitante": es_solicitante,
        "mensaje_form": MensajeForm() if es_solicitante and _admite_mensajes(ticket) else None,
        "no_conforme_form": NoConformeForm() if es_solicitante and ticket.estado == Ticket.Estado.RESPONDIDO else None,
        "linea_tiempo": ticket.transiciones(),
        "ve_notas": selectors.ve_notas_internas(request.user),
        **forms,
    }
    return render(request, "mesa_servicios/ticket/detalle.html", contexto, status=status)


@login_required
def detalle(request: HttpRequest, numero: str) -> HttpResponse:
    return _render_detalle(request, numero)


@login_required
@require_POST
def mensaje(request: HttpRequest, numero: str) -> HttpResponse:
    ticket = _obtener(request, numero)
    form = MensajeForm(request.POST, request.FILES)
    if form.is_valid():
        seguimiento = form.ejecutar(
            tickets.ticket_agregar_mensaje,
            ticket_id=ticket.pk,
            autor=request.user,
            texto=form.cleaned_data["texto"],
            archivos=form.cleaned_data["adjuntos"],
        )
        if seguimiento is not None:
            messages.success(request, "Agregamos su mensaje al ticket.")
            return redirect("mesa_servicios:detalle", numero=numero)
    return _render_detalle(request, numero, status=400, mensaje_form=form)


@login_required
@require_POST
def aceptar(request: HttpRequest, numero: str) -> HttpResponse:
    ticket = _obtener(request, numero)
    try:
        tickets.ticket_aceptar(ticket_id=ticket.pk, usuario=request.user)
    except ErrorDeNegocio as e:
        messages.error(request, str(e))
    else:
        messages.success(request, "Gracias. Cerramos el ticket con su conformidad.")
    return redirect("mesa_servicios:detalle", numero=numero)


@login_required
@require_POST
def no_conforme(request: HttpRequest, numero: str) -> HttpResponse:
    ticket = _obtener(request, numero)
    form = NoConformeForm(request.POST, request.FILES)
    if form.is_valid():
        nuevo_ticket = form.ejecutar(
            tickets.ticket_no_conforme,
            ticket_id=ticket.pk,
            usuario=request.user,
            motivo=form.cleaned_data["comentario"],
            archivos=form.cleaned_data["adjuntos"],
        )
        if nuevo_ticket is not None:
            messages.success(
                request, f"Registramos el ticket {nuevo_ticket.numero}, vinculado a {ticket.numero}, con su explicación."
            )
            return redirect("mesa_servicios:detalle", numero=nuevo_ticket.numero)
    return _render_detalle(request, numero, status=400, no_conforme_form=form)


@login_required
@limitar("pdf")
def comprobante_pdf(request: HttpRequest, numero: str) -> HttpResponse:
    ticket = _obtener(request, numero)
    return respuesta_pdf(
        "mesa_servicios/ticket/comprobante_pdf.html",
        {"ticket": ticket, "linea_tiempo": ticket.transiciones()},
        nombre_archivo=f"comprobante-{ticket.numero}.pdf",
        request=request,
    )


@login_required
def adjunto(request: HttpRequest, numero: str, adjunto_id: int) -> FileResponse:
    """Download a file of a ticket (or of one of its messages) only if the ticket is in the user's scope."""
    ticket = _obtener(request, numero)
    try:
        archivo = selectors.adjunto_de_ticket(ticket, adjunto_id)
    except NoEncontrado:
        raise Http404 from None
    return FileResponse(
        archivo.archivo.open("rb"), as_attachment=True, filename=archivo.nombre, content_type=archivo.tipo_contenido
    )


@login_required
@require_GET
@limitar("busqueda")
def sugerencias(request: HttpRequest) -> HttpResponse:
    """Fragment under the consultation form: similar answered consultations, while the user types."""
    texto = f"{request.GET.get('asunto', '')} {request.GET.get('descripcion', '')}"[:1000]
    similares = selectors.consultas_similares(texto=texto) if len(texto.strip()) >= 8 else []
    return render(request, "mesa_servicios/ticket/_sugerencias.html", {"similares": similares, "texto": texto.strip()})


@login_required
@permission_required("mesa_servicios.registrar_llamada", raise_exception=True)
def llamada(request: HttpRequest) -> HttpResponse:
    form = LlamadaForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        datos = dict(form.cleaned_data)
        archivos = datos.pop("adjuntos") or []
        ticket = form.ejecutar(tickets.ticket_registrar_llamada, por=request.user, archivos=archivos, **datos)
        if ticket is not None:
            messages.success(request, f"Llamada registrada como ticket {ticket.numero} ({ticket.get_estado_display().lower()}).")
            return redirect("mesa_servicios:detalle", numero=ticket.numero)
    return render(request, "mesa_servicios/ticket/llamada.html", {"form": form})


def activar(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """An account created by e-mail or phone: the person chooses a password and signs in."""
    try:
        usuario = Usuario.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (ValueError, TypeError, OverflowError, Usuario.DoesNotExist):
        usuario = None
    valido = usuario is not None and cuentas.necesita_activacion(usuario)
    form = ActivarCuentaForm(usuario, request.POST or None) if valido else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            usuario = cuentas.cuenta_activar(usuario_id=usuario.pk, token=token, password=form.cleaned_data["new_password1"])
        except DatosInvalidos:
            valido, form = False, None
        else:
            login(request, usuario, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Cuenta activada. Aquí están sus tickets de la Mesa de Servicios.")
            return redirect("mesa_servicios:inicio")
    if valido:
        from django.contrib.auth.tokens import default_token_generator

        valido = default_token_generator.check_token(usuario, token)
    return render(request, "mesa_servicios/activar.html", {"form": form if valido else None}, status=200 if valido else 400)


def confirmar_correo(request: HttpRequest, token: str) -> HttpResponse:
    """The link sent to the From: address of an unverified e-mail ticket. GET shows what is confirmed (a link
    scanner that only fetches the page confirms nothing); POST confirms it."""
    ticket = correo.ticket_sin_verificar_obtener(token=token)
    confirmado = None
    if ticket is not None and request.method == "POST":
        try:
            confirmado = correo.ticket_confirmar_correo(token=token)
        except DatosInvalidos:
            ticket = None
    contexto = {"ticket": ticket, "confirmado": confirmado}
    return render(request, "mesa_servicios/confirmar_correo.html", contexto, status=200 if ticket else 400)
