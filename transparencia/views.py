"""Public pages and open-data downloads (no login). Thin: parse, call a selector, render."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from rest_framework.renderers import JSONRenderer

from tramites.csv_seguro import escritor as escritor_csv

from . import alertas, selectors
from .api.serializers import SerieOutput
from .grafico import grafico_series
from .registro import TramiteDesconocido, nombre_mes

CACHE_DATOS = 15 * 60  # seconds: the figures change once a month


def _serie(codigo: str) -> selectors.Serie:
    try:
        return selectors.serie_obtener(tramite=codigo)
    except TramiteDesconocido as exc:
        raise Http404(str(exc)) from exc


@require_safe
def inicio(request: HttpRequest) -> HttpResponse:
    return render(request, "transparencia/inicio.html", {"series": selectors.series_listar()})


def _anio_elegido(request: HttpRequest, serie: selectors.Serie) -> int | None:
    valor = request.GET.get("anio", "")
    if valor in ("", "todos"):
        return None
    if not valor.isdigit() or int(valor) not in serie.anios:
        raise Http404("No hay cifras publicadas de ese año.")
    return int(valor)


@require_safe
def tramite(request: HttpRequest, codigo: str) -> HttpResponse:
    serie = _serie(codigo)
    anio = _anio_elegido(request, serie)
    filas = serie.del_anio(anio)
    periodo = str(anio) if anio else "todos los años"
    titulo_tabla = f"Quejas y atenciones por mes: {serie.fuente.titulo}, {periodo}"
    grupos: dict[int, list] = {}
    for fila in reversed(filas):  # newest first, like the tables published on gob.ec
        grupos.setdefault(fila.anio, []).append(fila)
    historicos = [f for f in serie.filas if f.historico]
    contexto = {
        "serie": serie,
        "fuente": serie.fuente,
        "anio": anio,
        "periodo": periodo,
        "titulo_tabla": titulo_tabla,
        "grupos": grupos.items(),
        "resumen": serie.por_anio() if anio is None else [a for a in serie.por_anio() if a.anio == anio],
        "senaladas": [f for f in filas if f.alertas],
        "hay_parcial": any(f.parcial for f in filas),
        "grafico": grafico_series(
            filas, titulo=f"Atenciones y quejas por mes: {serie.fuente.titulo}, {periodo}", tabla=titulo_tabla
        ),
        "ultimo_historico": historicos[-1] if historicos else None,
        "faltantes": ", ".join(nombre_mes(m) for m in serie.faltantes() if anio is None or m[0] == anio),
        "reglas": {
            "umbral": round(alertas.UMBRAL_BAJO * 100),
            "ventana": alertas.VENTANA,
            "minimo_vecinos": alertas.MINIMO_VECINOS,
            "minimo_repetido": alertas.MINIMO_REPETIDO,
        },
    }
    return render(request, "transparencia/tramite.html", contexto)


COLUMNAS_CSV = ["tramite", "anio", "mes", "quejas", "atenciones", "quejas_por_mil", "origen", "parcial", "alertas"]


@require_safe
@cache_control(public=True, max_age=CACHE_DATOS)
def datos_csv(request: HttpRequest, codigo: str) -> HttpResponse:
    """The whole series as CSV (UTF-8, comma, one row per month, oldest first; decimal point)."""
    serie = _serie(codigo)
    respuesta = HttpResponse(content_type="text/csv; charset=utf-8")
    respuesta["Content-Disposition"] = f'attachment; filename="transparencia_{codigo}.csv"'
    escritor = escritor_csv(respuesta, lineterminator="\n")
    escritor.writerow(COLUMNAS_CSV)
    for f in serie.filas:
        por_mil = f.quejas_por_mil
        escritor.writerow(
            [
                codigo,
                f.anio,
                f.mes,
                f.quejas,
                f.atenciones,
                "" if por_mil is None else f"{por_mil:.2f}",
                f.origen,
                "si" if f.parcial else "no",
                " | ".join(f"{a.titulo}: {a.mensaje}" for a in f.alertas),
            ]
        )
    return respuesta


@require_safe
@cache_control(public=True, max_age=CACHE_DATOS)
def datos_json(request: HttpRequest, codigo: str) -> HttpResponse:
    """The whole series as JSON, in the same shape as the API (`/api/v1/transparencia/<codigo>/`)."""
    serie = _serie(codigo)
    datos = SerieOutput(serie, context={"request": request}).data
    cuerpo = JSONRenderer().render(datos, renderer_context={"indent": 1})
    respuesta = HttpResponse(cuerpo, content_type="application/json; charset=utf-8")
    respuesta["Content-Disposition"] = f'inline; filename="transparencia_{codigo}.json"'
    return respuesta
