"""Browser views of the shared framework: thin — parse, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import panel, selectors, services
from .exceptions import DatosInvalidos, ErrorDeNegocio, PermisoDenegado
from .forms import DelegacionForm, RegistroForm, TokenForm, WebhookForm
from .limites import limitar
from .models import Operador, TokenCliente
from .pdf import respuesta_pdf


def inicio(request: HttpRequest) -> HttpResponse:
    return render(request, "tramites/inicio.html")


def registro(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("tramites:panel")
    form = RegistroForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        datos = form.cleaned_data
        es_operador = datos["tipo_cuenta"] == "operador"
        try:
            usuario = services.usuario_registrar(
                email=datos["email"],
                password=datos["password1"],
                first_name=datos["first_name"],
                last_name=datos["last_name"],
                cedula=datos["cedula"],
                telefono=datos["telefono"],
                ruc=datos["ruc"] if es_operador else "",
                razon_social=datos["razon_social"] if es_operador else "",
                tipo_operador=datos.get("tipo_operador") or Operador.Tipo.IMPORTADOR,
            )
        except DatosInvalidos as e:
            form.agregar_errores(e.errores)
        else:
            login(request, usuario, backend="django.contrib.auth.backends.ModelBackend")
            if es_operador:
                messages.success(
                    request, "Cuenta creada. SENAE verificará los datos de su empresa antes de que pueda presentar trámites."
                )
            else:
                messages.success(request, "Cuenta creada. Bienvenido al Portal SENAE.")
            return redirect("tramites:panel")
    return render(request, "registration/registro.html", {"form": form})


@login_required
def panel_view(request: HttpRequest) -> HttpResponse:
    usuario = request.user
    contexto = {"widgets": panel.widgets_para(usuario)}
    if usuario.operador_id:
        contexto["operador"] = usuario.operador
        contexto["delegaciones"] = selectors.delegaciones_listar(usuario=usuario)[:10]
    if usuario.agente_id:
        contexto["agente"] = usuario.agente
        contexto["delegantes"] = selectors.operadores_delegantes(agente=usuario.agente)
    if usuario.is_staff:
        contexto["grupos"] = list(usuario.groups.values_list("name", flat=True))
        contexto["operadores_por_verificar"] = Operador.objects.filter(estado=Operador.Estado.REGISTRADO).count()
    contexto["notificaciones"] = selectors.notificaciones_listar(usuario=usuario)[:5]
    return render(request, "tramites/panel.html", contexto)


@login_required
@limitar("pdf")
def operador_constancia_pdf(request: HttpRequest) -> HttpResponse:
    if not request.user.operador_id:
        messages.error(request, "Su cuenta no pertenece a un operador.")
        return redirect("tramites:panel")
    operador = request.user.operador
    return respuesta_pdf(
        "pdf/constancia_operador.html",
        {
            "operador": operador,
            "delegaciones": operador.delegaciones.select_related("agente"),
            "transiciones": operador.transiciones(),
        },
        nombre_archivo=f"constancia-oce-{operador.ruc}.pdf",
        request=request,
    )


@login_required
def delegaciones(request: HttpRequest) -> HttpResponse:
    usuario = request.user
    form = DelegacionForm(request.POST or None)
    if request.method == "POST":
        if not usuario.operador_id:
            messages.error(request, "Solo un operador puede delegar en un agente de aduana.")
            return redirect("tramites:delegaciones")
        if form.is_valid():
            try:
                services.delegacion_crear(operador=usuario.operador, por=usuario, **form.cleaned_data)
            except DatosInvalidos as e:
                form.agregar_errores(e.errores)
            except ErrorDeNegocio as e:
                form.add_error(None, str(e))
            else:
                messages.success(request, "Delegación registrada.")
                return redirect("tramites:delegaciones")
    return render(
        request,
        "tramites/delegaciones.html",
        {
            "form": form if usuario.operador_id else None,
            "revoca_como_senae": services.puede_revocar_como_senae(usuario),
            "delegaciones": selectors.delegaciones_listar(usuario=usuario),
        },
    )


@login_required
@require_POST
def delegacion_revocar(request: HttpRequest, pk: int) -> HttpResponse:
    delegacion = get_object_or_404(selectors.delegaciones_listar(usuario=request.user), pk=pk)
    try:
        services.delegacion_revocar(delegacion_id=delegacion.pk, por=request.user, motivo=request.POST.get("motivo", ""))
    except PermisoDenegado as e:
        raise PermissionDenied(str(e)) from e
    except DatosInvalidos as e:
        messages.error(request, " ".join(m for mensajes in e.errores.values() for m in mensajes))
    except ErrorDeNegocio as e:
        messages.error(request, str(e))
    else:
        messages.success(request, f"Delegación a {delegacion.agente.nombre} revocada.")
    return redirect("tramites:delegaciones")


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """API tokens of the user; for an agency's users also the webhook URL and its signing secret."""
    agente = request.user.agente
    form = TokenForm()
    webhook_form = WebhookForm(initial={"webhook_url": agente.webhook_url}) if agente else None
    clave_nueva = None
    if request.method == "POST" and "webhook_url" in request.POST and agente:
        webhook_form = WebhookForm(request.POST)
        if webhook_form.is_valid():
            try:
                services.agente_configurar_webhook(usuario=request.user, url=webhook_form.cleaned_data["webhook_url"])
            except DatosInvalidos as e:
                webhook_form.agregar_errores(e.errores)
            else:
                messages.success(request, "URL de webhook guardada.")
                return redirect("tramites:tokens")
    elif request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                _, clave_nueva = services.token_crear(usuario=request.user, nombre=form.cleaned_data["nombre"])
            except DatosInvalidos as e:
                form.agregar_errores(e.errores)
            else:
                form = TokenForm()
    return render(
        request,
        "tramites/tokens.html",
        {
            "form": form,
            "clave_nueva": clave_nueva,
            "webhook_form": webhook_form,
            "agente": agente,
            "tokens": TokenCliente.objects.filter(usuario=request.user),
        },
    )


@login_required
@require_POST
def token_revocar(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(TokenCliente, pk=pk, usuario=request.user)
    services.token_revocar(token_id=token.pk, por=request.user)
    messages.success(request, f"Token «{token.nombre}» revocado: ya no da acceso a la API.")
    return redirect("tramites:tokens")


@login_required
def notificaciones(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        services.notificacion_marcar_leida(usuario=request.user)
        messages.success(request, "Notificaciones marcadas como leídas.")
        return redirect("tramites:notificaciones")
    return render(
        request,
        "tramites/notificaciones.html",
        {
            "notificaciones": selectors.notificaciones_listar(usuario=request.user)[:200],
        },
    )


@login_required
def adjunto_descargar(request: HttpRequest, pk: int) -> HttpResponse:
    """An attachment, to whoever may see the record it belongs to through that record's own scoped selector
    (404 otherwise, the same as a file that does not exist)."""
    adjunto = get_object_or_404(selectors.adjuntos_visibles(request.user), pk=pk)
    archivo = adjunto.archivo.open("rb")
    return FileResponse(archivo, as_attachment=True, filename=adjunto.nombre, content_type=adjunto.tipo_contenido)
