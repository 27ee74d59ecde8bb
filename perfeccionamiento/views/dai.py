"""Pages of the DAI 21 and the input ledger: the agent's declaration form, the regime control, the input
stock per code and per DAI line, and the movements of each line (each with a CSV export)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tramites.exceptions import DatosInvalidos
from tramites.forms import FormularioPortal
from tramites.paginacion import paginar

from .. import exportar, selectors
from ..forms import DAIForm, LineaDAIFormSet
from ..models import DAI, CodigoInsumo
from ..services import dai as servicio
from .comun import botones_de_accion, ejecutar_accion, marcar_items, obtener, operador_elegido, operadores_del_usuario


def _quiere_csv(request: HttpRequest) -> bool:
    return request.GET.get("formato") == "csv"


@login_required
def dai_lista(request: HttpRequest) -> HttpResponse:
    """State and control of the regime: every visible DAI with its balance and the taxes still suspended."""
    estado, canal = request.GET.get("estado") or None, request.GET.get("canal") or None
    dais = selectors.control_regimen(selectors.dais_listar(usuario=request.user, estado=estado, canal=canal))
    if _quiere_csv(request):
        return exportar.csv_control(dais)
    return render(
        request,
        "perfeccionamiento/dai/lista.html",
        {
            "dais": paginar(request, dais),
            "estados": DAI.Estado.choices,
            "estado": estado,
            "canales": DAI.Canal.choices,
            "canal": canal,
            "puede_transmitir": bool(request.user.agente_id),
        },
    )


def _formulario(request: HttpRequest, operador, *, dai: DAI | None = None):
    insumos = CodigoInsumo.objects.filter(operador=operador, estado=CodigoInsumo.Estado.VIGENTE)
    inicial, lineas = None, None
    if dai is not None:
        inicial = {f: getattr(dai, f) for f in ("distrito", "autorizacion", "garantia", "documento_transporte")}
        lineas = [
            {
                c: getattr(li, c)
                for c in ("insumo", "subpartida", "descripcion", "pais_origen", "cantidad", "unidad", "fob", "flete", "seguro")
            }
            for li in dai.lineas.all()
        ]
    datos = request.POST if request.method == "POST" else None
    form = DAIForm(datos, operador=operador, initial=inicial)
    formset = LineaDAIFormSet(datos, prefix="item", initial=lineas, form_kwargs={"insumos": insumos})
    return form, formset


def _lineas(formset) -> list[dict]:
    return [f.cleaned_data for f in formset if f.cleaned_data]


def _ejecutar(form: FormularioPortal, formset, funcion, **kwargs):
    """Like `form.ejecutar`, but an error keyed `lineas.<i>.<campo>` also marks that item's field (the summary
    at the top lists it too, with its item number)."""

    def con_items(**datos):
        try:
            return funcion(**datos)
        except DatosInvalidos as e:
            marcar_items(formset, e.errores)
            raise

    return form.ejecutar(con_items, **kwargs)


@login_required
def dai_nueva(request: HttpRequest) -> HttpResponse:
    if not request.user.agente_id:
        messages.error(request, "La DAI de régimen 21 la transmite el agente de aduana del operador.")
        return redirect("perfeccionamiento:dais")
    operadores = operadores_del_usuario(request.user)
    operador = operador_elegido(request)
    if operador is None:
        return render(request, "perfeccionamiento/dai/elegir_operador.html", {"operadores": operadores})
    form, formset = _formulario(request, operador)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        dai = _ejecutar(
            form,
            formset,
            servicio.dai_crear,
            operador=operador,
            por=request.user,
            lineas=_lineas(formset),
            transmitir="transmitir" in request.POST,
            **form.cleaned_data,
        )
        if dai is not None:
            if dai.numero:
                messages.success(
                    request,
                    f"DAI {dai.numero} aceptada: canal {dai.get_canal_display().lower()}, {dai.get_estado_display().lower()}.",
                )
            else:
                messages.success(request, "Borrador de DAI guardado.")
            return redirect(dai.get_absolute_url())
    return render(
        request,
        "perfeccionamiento/dai/formulario.html",
        {"form": form, "formset": formset, "operador": operador, "titulo": "Nueva DAI de régimen 21"},
    )


@login_required
def dai_detalle(request: HttpRequest, pk: int) -> HttpResponse:
    dai = obtener(selectors.dai_obtener, request, pk)
    formularios = {"corregir": reverse("perfeccionamiento:dai_corregir", args=[pk])}
    return render(
        request,
        "perfeccionamiento/dai/detalle.html",
        {
            "objeto": dai,
            "lineas": dai.lineas.all(),
            "saldos": selectors.saldos_listar(usuario=request.user, dai_id=dai.pk),
            "acciones": botones_de_accion(dai, request.user, "perfeccionamiento:dai_accion", formularios),
            "linea_tiempo": dai.transiciones(),
        },
    )


@login_required
def dai_corregir(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a draft, or correct a DAI observed in aforo."""
    dai = obtener(selectors.dai_obtener, request, pk)
    form, formset = _formulario(request, dai.operador, dai=dai)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        datos = {"dai_id": dai.pk, "por": request.user, "lineas": _lineas(formset), **form.cleaned_data}
        if dai.estado == DAI.Estado.OBSERVADA:
            hecho = _ejecutar(form, formset, servicio.dai_corregir, comentario=request.POST.get("comentario", ""), **datos)
        else:
            hecho = _ejecutar(form, formset, servicio.dai_actualizar, transmitir="transmitir" in request.POST, **datos)
        if hecho is not None:
            messages.success(request, f"DAI {hecho}: {hecho.get_estado_display()}.")
            return redirect(dai.get_absolute_url())
    titulo = f"Corregir la DAI {dai}" if dai.estado == DAI.Estado.OBSERVADA else "Editar el borrador de DAI"
    return render(
        request,
        "perfeccionamiento/dai/formulario.html",
        {
            "form": form,
            "formset": formset,
            "operador": dai.operador,
            "objeto": dai,
            "titulo": titulo,
            "linea_tiempo": dai.transiciones(),
        },
    )


@login_required
@require_POST
def dai_accion(request: HttpRequest, pk: int, accion: str) -> HttpResponse:
    dai = obtener(selectors.dai_obtener, request, pk)
    return ejecutar_accion(request, dai, servicio.dai_transicionar, dai_id=pk, accion=accion)


# --- Existencias y movimientos -----------------------------------------------------------------------------


@login_required
def existencias(request: HttpRequest) -> HttpResponse:
    """Input stock per input code."""
    filas = selectors.existencias_por_insumo(usuario=request.user)
    if _quiere_csv(request):
        return exportar.csv_existencias(filas)
    return render(request, "perfeccionamiento/existencias/por_insumo.html", {"filas": paginar(request, filas)})


@login_required
def saldos(request: HttpRequest) -> HttpResponse:
    """Input stock per DAI line (lot), oldest release first: what an anexo discharges first."""
    insumo = request.GET.get("insumo")
    abiertos = request.GET.get("abiertos") == "1"
    filas = selectors.saldos_listar(
        usuario=request.user, insumo_id=int(insumo) if insumo and insumo.isdigit() else None, solo_abiertos=abiertos
    )
    if _quiere_csv(request):
        return exportar.csv_saldos(filas)
    return render(
        request,
        "perfeccionamiento/existencias/por_item.html",
        {"filas": paginar(request, filas), "abiertos": abiertos, "insumo": insumo},
    )


@login_required
def saldo_detalle(request: HttpRequest, pk: int) -> HttpResponse:
    """Movements of one DAI line's balance (kárdex)."""
    lote = obtener(selectors.saldo_obtener, request, pk)
    movimientos = selectors.movimientos_listar(usuario=request.user, saldo_id=lote.pk)
    if _quiere_csv(request):
        return exportar.csv_movimientos(movimientos)
    return render(request, "perfeccionamiento/existencias/movimientos.html", {"lote": lote, "movimientos": movimientos})
