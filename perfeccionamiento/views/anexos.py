"""Pages of the anexos compensatorios: the form with its live dry run, the anexo with its discharge, the
cesionario's acceptance, corrections, the PDF, and the compensation movements per input or per anexo."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tramites.exceptions import DatosInvalidos, ErrorDeNegocio
from tramites.limites import limitar
from tramites.models import Operador
from tramites.paginacion import paginar
from tramites.pdf import respuesta_pdf
from tramites.validators import normalizar_ruc

from .. import exportar, selectors
from ..forms import AceptarCesionForm, AnexoForm, CorreccionAnexoForm, LineaAnexoFormSet
from ..models import AnexoCompensatorio, CodigoInsumo, CodigoProducto, Garantia
from ..services import anexos as servicio
from ..services.descargo import simular
from .comun import botones_de_accion, ejecutar_accion, marcar_items, obtener, operador_elegido, operadores_del_usuario


def _formset(request: HttpRequest, operador: Operador, *, inicial=None):
    opciones = {
        "productos": CodigoProducto.objects.filter(operador=operador, estado=CodigoProducto.Estado.VIGENTE),
        "insumos": CodigoInsumo.objects.filter(operador=operador, estado=CodigoInsumo.Estado.VIGENTE),
        "lotes": selectors.lotes_abiertos(operador_id=operador.pk),
    }
    datos = request.POST if request.method == "POST" else None
    return LineaAnexoFormSet(datos, prefix="item", initial=inicial, form_kwargs=opciones)


def _lineas_validas(formset) -> list[dict]:
    return [f.como_linea() for f in formset if f.is_valid() and f.cleaned_data and f.has_changed()]


def _repartir(form, formset, e: DatosInvalidos) -> None:
    """Service errors keyed `lineas.<i>.<campo>` also mark that item; the rest go to the form."""
    marcar_items(formset, e.errores, alias={"lotes": "lote"})
    for clave, mensajes in e.errores.items():
        partes = clave.split(".")
        if partes[0] == "declaracion":
            for m in mensajes:
                form.add_error(f"declaracion_{partes[1]}" if f"declaracion_{partes[1]}" in form.fields else None, m)
            continue
        for m in mensajes:
            form.add_error(clave if clave in form.fields else None, m)


@login_required
def anexos_lista(request: HttpRequest) -> HttpResponse:
    estado, tipo = request.GET.get("estado") or None, request.GET.get("tipo") or None
    return render(
        request,
        "perfeccionamiento/anexo/lista.html",
        {
            "anexos": paginar(request, selectors.anexos_listar(usuario=request.user, estado=estado, tipo=tipo)),
            "estados": AnexoCompensatorio.Estado.choices,
            "estado": estado,
            "tipos": AnexoCompensatorio.Tipo.choices,
            "tipo": tipo,
            "puede_registrar": bool(operadores_del_usuario(request.user)),
        },
    )


@login_required
def anexo_nuevo(request: HttpRequest) -> HttpResponse:
    operadores = operadores_del_usuario(request.user)
    operador = operador_elegido(request)
    if operador is None:
        if not operadores:
            messages.error(request, "Solo un operador del régimen 21 (o su agente de aduana) registra anexos compensatorios.")
            return redirect("perfeccionamiento:anexos")
        return render(request, "perfeccionamiento/dai/elegir_operador.html", {"operadores": operadores, "titulo": "Nuevo anexo"})
    form = AnexoForm(request.POST or None, request.FILES or None)
    formset = _formset(request, operador)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        d = form.cleaned_data
        try:
            cesionario = None
            if d["tipo"] == AnexoCompensatorio.Tipo.CESION:
                cesionario = Operador.objects.filter(ruc=normalizar_ruc(d["cesionario_ruc"])).first()
                if cesionario is None:
                    raise DatosInvalidos({"cesionario_ruc": ["No hay un operador registrado con ese RUC."]})
            anexo = servicio.anexo_registrar(
                operador=operador, por=request.user, tipo=d["tipo"], fecha=d["fecha"], lineas=_lineas_validas(formset),
                declaracion={"numero": d["declaracion_numero"], "fecha": d["declaracion_fecha"]} if cesionario is None else None,
                cesionario=cesionario, observaciones=d["observaciones"], archivos=d["adjuntos"],
                perdida_fuerza_mayor=d["perdida_fuerza_mayor"],
            )  # fmt: skip
        except DatosInvalidos as e:
            _repartir(form, formset, e)
        except ErrorDeNegocio as e:
            form.add_error(None, str(e))
        except ValidationError as e:  # a malformed RUC
            form.add_error("cesionario_ruc", e.messages[0])
        else:
            messages.success(request, f"Anexo {anexo.numero} registrado: {anexo.get_estado_display().lower()}.")
            return redirect(anexo.get_absolute_url())
    return render(
        request,
        "perfeccionamiento/anexo/formulario.html",
        {"form": form, "formset": formset, "operador": operador, "titulo": "Nuevo anexo compensatorio"},
    )


def _fecha(texto: str | None) -> date | None:
    try:
        return date.fromisoformat(texto or "")
    except ValueError:
        return None


@login_required
@require_POST
def anexo_simular(request: HttpRequest) -> HttpResponse:
    """The live dry run of the form (an HTML fragment): what would be discharged, from where, what remains."""
    operador = operador_elegido(request)
    if operador is None:
        return HttpResponse(status=404)
    formset = _formset(request, operador)
    formset.is_valid()
    tipo = request.POST.get("tipo") or AnexoCompensatorio.Tipo.EXPORTACION
    fecha = _fecha(request.POST.get("fecha")) or timezone.localdate()
    lineas = _lineas_validas(formset)
    plan = (
        simular(
            operador=operador,
            tipo=tipo,
            fecha=fecha,
            lineas=lineas,
            fecha_declaracion=_fecha(request.POST.get("declaracion_fecha")) if tipo != AnexoCompensatorio.Tipo.CESION else None,
            fuerza_mayor=request.POST.get("perdida_fuerza_mayor") == "on",
        )  # fmt: skip
        if lineas and tipo in AnexoCompensatorio.Tipo.values
        else None
    )
    # a quantity the portal cannot read (`1.000`: a thousand, or one?) says so here instead of vanishing
    errores = [f"Ítem {n}: {e}" for n, f in enumerate(formset, 1) if f.has_changed() for e in f.errors.get("cantidad", [])]
    return render(request, "perfeccionamiento/anexo/_simulacion.html", {"plan": plan, "fecha": fecha, "errores": errores})


@login_required
def anexo_detalle(request: HttpRequest, pk: int) -> HttpResponse:
    anexo = obtener(selectors.anexo_obtener, request, pk)
    formularios = {
        "aceptar_cesion": reverse("perfeccionamiento:anexo_aceptar_cesion", args=[pk]),
        "solicitar_correccion": reverse("perfeccionamiento:anexo_correccion", args=[pk]),
    }
    return render(
        request,
        "perfeccionamiento/anexo/detalle.html",
        {
            "objeto": anexo,
            **selectors.anexo_detalle(anexo),
            "acciones": botones_de_accion(anexo, request.user, "perfeccionamiento:anexo_accion", formularios),
            "adjuntos": selectors.adjuntos_de(anexo),
            "linea_tiempo": anexo.transiciones(),
        },
    )


@login_required
@require_POST
def anexo_accion(request: HttpRequest, pk: int, accion: str) -> HttpResponse:
    anexo = obtener(selectors.anexo_obtener, request, pk)
    return ejecutar_accion(request, anexo, servicio.anexo_transicionar, anexo_id=pk, accion=accion)


@login_required
def anexo_aceptar_cesion(request: HttpRequest, pk: int) -> HttpResponse:
    anexo = obtener(selectors.anexo_obtener, request, pk)
    garantias = Garantia.objects.filter(operador_id=anexo.cesionario_id, estado__in=Garantia.QUE_CUBREN)
    form = AceptarCesionForm(request.POST or None, garantias=garantias)
    if request.method == "POST" and form.is_valid():
        hecho = form.ejecutar(
            servicio.anexo_transicionar, anexo_id=anexo.pk, accion="aceptar_cesion", por=request.user,
            comentario=form.cleaned_data["comentario"], garantia=form.cleaned_data["garantia"],
        )  # fmt: skip
        if hecho is not None:
            messages.success(request, f"Cesión aceptada: los saldos del anexo {anexo.numero} ya son suyos.")
            return redirect(anexo.get_absolute_url())
    return render(
        request, "perfeccionamiento/anexo/aceptar_cesion.html", {"form": form, "objeto": anexo, **selectors.anexo_detalle(anexo)}
    )


@login_required
def anexo_correccion(request: HttpRequest, pk: int) -> HttpResponse:
    anexo = obtener(selectors.anexo_obtener, request, pk)
    actuales = selectors.anexo_detalle(anexo)["lineas"]
    inicial = [
        {"producto": li.producto_id, "insumo": li.insumo_id, "cantidad": li.cantidad, "lote": (li.lotes or [None])[0]}
        for li in actuales
    ]
    form = CorreccionAnexoForm(request.POST or None)
    formset = _formset(request, anexo.operador, inicial=inicial)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            servicio.anexo_solicitar_correccion(
                anexo_id=anexo.pk, por=request.user, motivo=form.cleaned_data["motivo"], lineas=_lineas_validas(formset)
            )
        except DatosInvalidos as e:
            _repartir(form, formset, e)
        except ErrorDeNegocio as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, "Corrección solicitada. SENAE la revisará; hasta entonces rigen las líneas actuales.")
            return redirect(anexo.get_absolute_url())
    return render(
        request,
        "perfeccionamiento/anexo/correccion.html",
        {"form": form, "formset": formset, "objeto": anexo, "operador": anexo.operador},
    )


@login_required
@limitar("pdf")
def anexo_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    anexo = obtener(selectors.anexo_obtener, request, pk)
    return respuesta_pdf(
        "pdf/anexo.html",
        {"anexo": anexo, **selectors.anexo_detalle(anexo), "transiciones": anexo.transiciones()},
        nombre_archivo=f"anexo-{anexo.numero}.pdf",
        request=request,
    )


@login_required
def movimientos(request: HttpRequest) -> HttpResponse:
    """Compensation movements, by input code and/or by anexo (with CSV export)."""
    insumo = request.GET.get("insumo")
    anexo = request.GET.get("anexo")
    qs = selectors.movimientos_listar(
        usuario=request.user,
        insumo_id=int(insumo) if insumo and insumo.isdigit() else None,
        anexo_id=int(anexo) if anexo and anexo.isdigit() else None,
    )
    if request.GET.get("formato") == "csv":
        return exportar.csv_movimientos(qs)
    return render(
        request,
        "perfeccionamiento/existencias/movimientos_lista.html",
        {"movimientos": paginar(request, qs.order_by("-en", "-pk")), "insumo": insumo, "anexo": anexo},
    )
