"""CSV exports of the régimen 21 queries (input stock per code and per DAI line, movements, regime control).

Streamed row by row from a server-side iterator, so memory stays flat however many rows are exported.
UTF-8 with BOM (spreadsheets then read the accents), comma-separated, decimal point; text cells that a
spreadsheet would run as a formula are neutralised (tramites/csv_seguro.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone

from tramites.csv_seguro import escritor as escritor_csv


class _Eco:
    def write(self, valor: str) -> str:
        return valor


def respuesta_csv(nombre: str, columnas: list[tuple[str, Callable[[Any], Any]]], filas: Iterable[Any]) -> StreamingHttpResponse:
    escritor = escritor_csv(_Eco())

    def generar():
        yield "\ufeff" + escritor.writerow([titulo for titulo, _ in columnas])
        for fila in filas:
            yield escritor.writerow(["" if (v := obtener(fila)) is None else v for _, obtener in columnas])

    respuesta = StreamingHttpResponse(generar(), content_type="text/csv; charset=utf-8")
    respuesta["Content-Disposition"] = f'attachment; filename="{nombre}-{timezone.localdate():%Y%m%d}.csv"'
    return respuesta


def _iterar(qs: QuerySet) -> Iterable[Any]:
    return qs.iterator(chunk_size=2000)


def _fecha(valor) -> str:
    return f"{valor:%Y-%m-%d}" if valor else ""


def csv_existencias(qs: QuerySet) -> StreamingHttpResponse:
    return respuesta_csv(
        "existencias-por-insumo",
        [
            ("RUC", lambda i: i.operador.ruc),
            ("operador", lambda i: i.operador.razon_social),
            ("código de insumo", lambda i: i.codigo),
            ("descripción", lambda i: i.descripcion),
            ("subpartida", lambda i: i.subpartida),
            ("unidad", lambda i: i.unidad),
            ("cantidad ingresada", lambda i: i.ingresado),
            ("saldo", lambda i: i.saldo_total),
            ("existencia de desperdicio", lambda i: i.desperdicio),
            ("ítems de DAI con saldo", lambda i: i.lotes_abiertos),
            ("próximo vencimiento", lambda i: _fecha(i.proximo_vencimiento)),
            ("tributos suspendidos del saldo (USD)", lambda i: round(i.tributos_pendientes or 0, 2)),
        ],
        _iterar(qs),
    )


def csv_saldos(qs: QuerySet) -> StreamingHttpResponse:
    return respuesta_csv(
        "existencias-por-item-de-dai",
        [
            ("RUC", lambda s: s.operador.ruc),
            ("DAI", lambda s: s.linea.dai.numero),
            ("ítem", lambda s: s.linea.numero),
            ("origen", lambda s: s.get_origen_display()),
            ("código de insumo", lambda s: s.insumo.codigo),
            ("unidad", lambda s: s.insumo.unidad),
            ("cantidad ingresada", lambda s: s.cantidad_inicial),
            ("saldo", lambda s: s.saldo),
            ("fecha de ingreso", lambda s: _fecha(s.fecha_ingreso)),
            ("vence el", lambda s: _fecha(s.vence_el)),
            ("tributos suspendidos del saldo (USD)", lambda s: round(s.saldo * s.impuestos_por_unidad, 2)),
        ],
        _iterar(qs),
    )


def csv_movimientos(qs: QuerySet) -> StreamingHttpResponse:
    return respuesta_csv(
        "movimientos-de-insumos",
        [
            ("fecha", lambda m: timezone.localtime(m.en).strftime("%Y-%m-%d %H:%M")),
            ("DAI", lambda m: m.saldo.linea.dai.numero),
            ("ítem", lambda m: m.saldo.linea.numero),
            ("código de insumo", lambda m: m.saldo.insumo.codigo),
            ("tipo", lambda m: m.get_tipo_display()),
            ("cantidad", lambda m: m.cantidad),
            ("saldo resultante", lambda m: m.saldo_resultante),
            ("detalle", lambda m: m.descripcion),
        ],
        _iterar(qs),
    )


def csv_control(qs: QuerySet) -> StreamingHttpResponse:
    return respuesta_csv(
        "control-del-regimen",
        [
            ("DAI", lambda d: d.numero or f"borrador {d.pk}"),
            ("RUC", lambda d: d.operador.ruc),
            ("operador", lambda d: d.operador.razon_social),
            ("estado", lambda d: d.get_estado_display()),
            ("canal", lambda d: d.get_canal_display()),
            ("salida autorizada", lambda d: _fecha(timezone.localtime(d.salida_en).date() if d.salida_en else None)),
            ("vence el", lambda d: _fecha(d.vence_el)),
            ("CIF (USD)", lambda d: d.total_cif),
            ("tributos suspendidos (USD)", lambda d: d.total_suspendido),
            ("cantidad ingresada", lambda d: d.ingresado),
            ("saldo", lambda d: d.saldo_abierto),
            ("tributos del saldo (USD)", lambda d: round(d.tributos_pendientes or 0, 2)),
        ],
        _iterar(qs),
    )
