"""Pages of the régimen 21's first steps: authorization requests, guarantees, codes and coefficients."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tramites.limites import limitar
from tramites.paginacion import paginar
from tramites.pdf import respuesta_pdf

from .. import selectors
from ..forms import (
    CodigoForm,
    CoeficienteFormSet,
    GarantiaForm,
    ModificacionGarantiaForm,
    ProrrogaForm,
    SolicitudForm,
    VersionForm,
)
from ..models import CodigoInsumo, CodigoProducto, Garantia, SolicitudAutorizacion
from ..services import autorizaciones, codigos, garantias
from .comun import botones_de_accion, ejecutar_accion, obtener, operador_elegido, operadores_del_usuario


@login_required
def inicio(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "perfeccionamiento/inicio.html",
        {
            "resumen": selectors.resumen_operador(usuario=request.user),
            "operadores": operadores_del_usuario(request.user),
            "solicitudes": selectors.solicitudes_listar(usuario=request.user)[:5],
            "garantias": selectors.garantias_listar(usuario=request.user)[:5],
        },
    )


# --- Solicitudes de autorización ------------------------------------------------------------------------


@login_required
def solicitudes(request: HttpRequest) -> HttpResponse:
    estado = request.GET.get("estado") or None
    return render(
        request,
        "perfeccionamiento/solicitud/lista.html",
        {
            "solicitudes": paginar(request, selectors.solicitudes_listar(usuario=request.user, estado=estado)),
            "estados": SolicitudAutorizacion.Estado.choices,
            "estado": estado,
        },
    )


def _campos_solicitud(form: SolicitudForm) -> dict:
    datos = dict(form.cleaned_data)
    datos.pop("adjuntos", None)
    return datos


@login_required
def solicitud_nueva(request: HttpRequest) -> HttpResponse:
    operadores = operadores_del_usuario(request.user)
    if not operadores:
        messages.error(request, "Solo un operador de comercio exterior (o su agente de aduana) presenta solicitudes.")
        return redirect("perfeccionamiento:inicio")
    form = SolicitudForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        operador = operador_elegido(request)
        if operador is None:
            form.add_error(None, "Elija el operador por el que presenta la solicitud.")
        else:
            solicitud = form.ejecutar(
                autorizaciones.solicitud_crear,
                operador=operador,
                por=request.user,
                archivos=form.cleaned_data["adjuntos"],
                presentar="presentar" in request.POST,
                **_campos_solicitud(form),
            )
            if solicitud is not None:
                if solicitud.numero:
                    messages.success(request, f"Solicitud {solicitud.numero} presentada. SENAE le avisará cuando la revise.")
                else:
                    messages.success(request, "Borrador guardado. Preséntelo cuando esté completo.")
                return redirect(solicitud.get_absolute_url())
    return render(
        request,
        "perfeccionamiento/solicitud/formulario.html",
        {"form": form, "operadores": operadores, "titulo": "Nueva solicitud de autorización"},
    )


@login_required
def solicitud_detalle(request: HttpRequest, pk: int) -> HttpResponse:
    solicitud = obtener(selectors.solicitud_obtener, request, pk)
    acciones = botones_de_accion(
        solicitud,
        request.user,
        "perfeccionamiento:solicitud_accion",
        {"solicitar_prorroga": reverse("perfeccionamiento:solicitud_prorroga", args=[pk])},
    )
    editable = solicitud.estado in (SolicitudAutorizacion.Estado.BORRADOR, SolicitudAutorizacion.Estado.OBSERVADA)
    return render(
        request,
        "perfeccionamiento/solicitud/detalle.html",
        {
            "objeto": solicitud,
            "acciones": [a for a in acciones if a["nombre"] != "corregir"],
            "puede_editar": editable and any(a["nombre"] in ("presentar", "corregir") for a in acciones),
            "adjuntos": selectors.adjuntos_de(solicitud),
            "linea_tiempo": solicitud.transiciones(),
            "garantias": solicitud.garantias.all(),
        },
    )


@login_required
def solicitud_editar(request: HttpRequest, pk: int) -> HttpResponse:
    solicitud = obtener(selectors.solicitud_obtener, request, pk)
    inicial = {c: getattr(solicitud, c) for c in autorizaciones.CAMPOS_EDITABLES}
    form = SolicitudForm(request.POST or None, request.FILES or None, initial=inicial)
    if request.method == "POST" and form.is_valid():
        campos = {"solicitud_id": solicitud.pk, "por": request.user, "archivos": form.cleaned_data["adjuntos"]}
        campos.update(_campos_solicitud(form))
        if "corregir" in request.POST:
            hecho = form.ejecutar(autorizaciones.solicitud_corregir, comentario=request.POST.get("comentario", ""), **campos)
            mensaje = "Corrección enviada a SENAE."
        else:
            presentar = "presentar" in request.POST
            hecho = form.ejecutar(autorizaciones.solicitud_actualizar, presentar=presentar, **campos)
            mensaje = "Solicitud presentada." if presentar else "Cambios guardados."
        if hecho is not None:
            messages.success(request, mensaje)
            return redirect(solicitud.get_absolute_url())
    return render(
        request,
        "perfeccionamiento/solicitud/formulario.html",
        {"form": form, "objeto": solicitud, "titulo": f"Editar solicitud {solicitud}", "linea_tiempo": solicitud.transiciones()},
    )


@login_required
def solicitud_prorroga(request: HttpRequest, pk: int) -> HttpResponse:
    solicitud = obtener(selectors.solicitud_obtener, request, pk)
    form = ProrrogaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        hecho = form.ejecutar(
            autorizaciones.solicitud_transicionar,
            solicitud_id=solicitud.pk,
            accion="solicitar_prorroga",
            por=request.user,
            comentario=form.cleaned_data["comentario"],
            meses=form.cleaned_data["meses"],
        )
        if hecho is not None:
            messages.success(request, "Prórroga solicitada. SENAE le comunicará su decisión.")
            return redirect(solicitud.get_absolute_url())
    return render(request, "perfeccionamiento/solicitud/prorroga.html", {"form": form, "objeto": solicitud})


@login_required
@require_POST
def solicitud_accion(request: HttpRequest, pk: int, accion: str) -> HttpResponse:
    solicitud = obtener(selectors.solicitud_obtener, request, pk)
    return ejecutar_accion(request, solicitud, autorizaciones.solicitud_transicionar, solicitud_id=pk, accion=accion)


@login_required
@limitar("pdf")
def solicitud_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    solicitud = obtener(selectors.solicitud_obtener, request, pk)
    if not solicitud.numero_autorizacion:
        messages.error(request, "La autorización se emite cuando SENAE aprueba la solicitud.")
        return redirect(solicitud.get_absolute_url())
    return respuesta_pdf(
        "pdf/autorizacion.html",
        {"solicitud": solicitud, "transiciones": solicitud.transiciones(), "garantias": solicitud.garantias.all()},
        nombre_archivo=f"autorizacion-{solicitud.numero_autorizacion}.pdf",
        request=request,
    )


# --- Garantías -------------------------------------------------------------------------------------------


@login_required
def garantias_lista(request: HttpRequest) -> HttpResponse:
    estado = request.GET.get("estado") or None
    return render(
        request,
        "perfeccionamiento/garantia/lista.html",
        {
            "garantias": paginar(
                request, selectors.con_exposicion(selectors.garantias_listar(usuario=request.user, estado=estado))
            ),
            "estados": Garantia.Estado.choices,
            "estado": estado,
        },
    )


@login_required
def garantia_nueva(request: HttpRequest) -> HttpResponse:
    autorizables = selectors.autorizaciones_garantizables(usuario=request.user)
    form = GarantiaForm(request.POST or None, request.FILES or None, autorizaciones=autorizables)
    if request.method == "POST" and form.is_valid():
        datos = dict(form.cleaned_data)
        autorizacion, archivos = datos.pop("autorizacion"), datos.pop("adjuntos")
        garantia = form.ejecutar(
            garantias.garantia_registrar,
            operador=autorizacion.operador,
            por=request.user,
            autorizacion=autorizacion,
            archivos=archivos,
            **datos,
        )
        if garantia is not None:
            messages.success(request, f"Garantía {garantia.numero} registrada. SENAE la verificará con la entidad emisora.")
            return redirect(garantia.get_absolute_url())
    return render(request, "perfeccionamiento/garantia/formulario.html", {"form": form, "sin_autorizaciones": not autorizables})


@login_required
def garantia_detalle(request: HttpRequest, pk: int) -> HttpResponse:
    garantia = obtener(selectors.garantia_obtener, request, pk)
    return render(
        request,
        "perfeccionamiento/garantia/detalle.html",
        {
            "objeto": garantia,
            "acciones": botones_de_accion(
                garantia,
                request.user,
                "perfeccionamiento:garantia_accion",
                {"solicitar_modificacion": reverse("perfeccionamiento:garantia_modificar", args=[pk])},
            ),
            "adjuntos": selectors.adjuntos_de(garantia),
            "linea_tiempo": garantia.transiciones(),
            "exposicion": (exposicion := selectors.garantia_exposicion(garantia_id=garantia.pk)),
            "disponible": garantia.monto - exposicion,
            "dais": garantia.dais.exclude(estado__in=["borrador", "anulada"]).order_by("-transmitida_en")[:50],
        },
    )


@login_required
def garantia_modificar(request: HttpRequest, pk: int) -> HttpResponse:
    garantia = obtener(selectors.garantia_obtener, request, pk)
    form = ModificacionGarantiaForm(
        request.POST or None, initial={"monto": garantia.monto, "vigencia_hasta": garantia.vigencia_hasta}
    )
    if request.method == "POST" and form.is_valid():
        hecho = form.ejecutar(
            garantias.garantia_transicionar,
            garantia_id=garantia.pk,
            accion="solicitar_modificacion",
            por=request.user,
            comentario=form.cleaned_data["comentario"],
            monto=form.cleaned_data["monto"],
            vigencia_hasta=form.cleaned_data["vigencia_hasta"],
        )
        if hecho is not None:
            messages.success(
                request, "Modificación solicitada. Mientras SENAE la revisa, la garantía sigue con sus datos actuales."
            )
            return redirect(garantia.get_absolute_url())
    return render(request, "perfeccionamiento/garantia/modificar.html", {"form": form, "objeto": garantia})


@login_required
@require_POST
def garantia_accion(request: HttpRequest, pk: int, accion: str) -> HttpResponse:
    garantia = obtener(selectors.garantia_obtener, request, pk)
    return ejecutar_accion(request, garantia, garantias.garantia_transicionar, garantia_id=pk, accion=accion)


# --- Códigos de insumo y producto ----------------------------------------------------------------------


@login_required
def codigos_lista(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "perfeccionamiento/codigos/lista.html",
        {
            "insumos": paginar(request, selectors.insumos_listar(usuario=request.user), parametro="pagina_insumos"),
            "productos": paginar(request, selectors.productos_listar(usuario=request.user), parametro="pagina_productos"),
        },
    )


MODELOS_CODIGO = {"insumo": CodigoInsumo, "producto": CodigoProducto}


@login_required
def codigo_nuevo(request: HttpRequest, tipo: str) -> HttpResponse:
    if tipo not in MODELOS_CODIGO:
        raise Http404
    operadores = operadores_del_usuario(request.user)
    if not operadores:
        raise PermissionDenied
    form = CodigoForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        registrar = codigos.insumo_registrar if tipo == "insumo" else codigos.producto_registrar
        operador = operador_elegido(request)
        if operador is None:
            form.add_error(None, "Elija el operador por el que registra el código.")
        elif (codigo := form.ejecutar(registrar, operador=operador, por=request.user, **form.cleaned_data)) is not None:
            messages.success(request, f"Código {codigo.codigo} registrado; SENAE lo aprobará.")
            return redirect(codigo.get_absolute_url())
    return render(
        request,
        "perfeccionamiento/codigos/formulario.html",
        {"form": form, "tipo": tipo, "modelo": MODELOS_CODIGO[tipo], "operadores": operadores},
    )


@login_required
def codigoinsumo_detalle(request: HttpRequest, pk: int) -> HttpResponse:
    insumo = obtener(selectors.insumo_obtener, request, pk)
    return render(
        request,
        "perfeccionamiento/codigos/insumo_detalle.html",
        {
            "objeto": insumo,
            "acciones": botones_de_accion(insumo, request.user, "perfeccionamiento:codigoinsumo_accion"),
            "linea_tiempo": insumo.transiciones(),
        },
    )


@login_required
def codigoproducto_detalle(request: HttpRequest, pk: int) -> HttpResponse:
    producto = obtener(selectors.producto_obtener, request, pk)
    versiones = list(producto.versiones.all())
    return render(
        request,
        "perfeccionamiento/codigos/producto_detalle.html",
        {
            "objeto": producto,
            "acciones": botones_de_accion(producto, request.user, "perfeccionamiento:codigoproducto_accion"),
            "versiones": [(v, botones_de_accion(v, request.user, "perfeccionamiento:version_accion")) for v in versiones],
            "puede_versionar": bool(operadores_del_usuario(request.user))
            and producto.estado in (CodigoProducto.Estado.REGISTRADO, CodigoProducto.Estado.VIGENTE),
            "linea_tiempo": producto.transiciones(),
        },
    )


@login_required
@require_POST
def codigo_accion(request: HttpRequest, tipo: str, pk: int, accion: str) -> HttpResponse:
    modelo = MODELOS_CODIGO[tipo]
    selector = selectors.insumo_obtener if tipo == "insumo" else selectors.producto_obtener
    codigo = obtener(selector, request, pk)
    return ejecutar_accion(request, codigo, codigos.codigo_transicionar, modelo=modelo, codigo_id=pk, accion=accion)


@login_required
def version_nueva(request: HttpRequest, pk: int) -> HttpResponse:
    producto = obtener(selectors.producto_obtener, request, pk)
    insumos = selectors.insumos_listar(usuario=request.user).filter(
        operador=producto.operador, estado__in=[CodigoInsumo.Estado.REGISTRADO, CodigoInsumo.Estado.VIGENTE]
    )
    form = VersionForm(request.POST or None)
    formset = CoeficienteFormSet(request.POST or None, prefix="coef", form_kwargs={"insumos": insumos})
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        lineas = [f.cleaned_data for f in formset if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        version = form.ejecutar(
            codigos.version_registrar, producto_id=producto.pk, por=request.user, lineas=lineas, **form.cleaned_data
        )
        if version is not None:
            messages.success(request, f"Versión {version.numero} del cuadro insumo-producto presentada.")
            return redirect(version.get_absolute_url())
    return render(
        request,
        "perfeccionamiento/codigos/version_formulario.html",
        {"form": form, "formset": formset, "objeto": producto, "sin_insumos": not insumos.exists()},
    )


@login_required
@require_POST
def version_accion(request: HttpRequest, pk: int, accion: str) -> HttpResponse:
    version = obtener(selectors.version_obtener, request, pk)
    return ejecutar_accion(request, version, codigos.version_transicionar, version_id=pk, accion=accion)
