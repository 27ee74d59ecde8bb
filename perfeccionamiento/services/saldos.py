"""The input ledger's writes. Every balance change locks the lot row, writes the movement that explains it
and updates the cached balance in the same transaction; the CHECK constraints refuse a negative balance."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from tramites.models import Usuario

from ..models import DAI, MovimientoInsumo, SaldoInsumo


def acreditar_dai(*, dai: DAI, por: Usuario | None) -> list[SaldoInsumo]:
    """Salida autorizada: one lot per line with its credit movement (the regime term starts now)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("acreditar_dai() debe ejecutarse dentro de una transacción.")
    ahora = timezone.now()
    lotes = []
    for linea in dai.lineas.select_related("insumo").order_by("numero"):
        lote = SaldoInsumo.objects.create(
            operador_id=dai.operador_id,
            insumo=linea.insumo,
            linea=linea,
            origen=SaldoInsumo.Origen.DAI,
            garantia_id=dai.garantia_id,
            cantidad_inicial=linea.cantidad,
            saldo=linea.cantidad,
            impuestos_por_unidad=(linea.total_suspendido / linea.cantidad).quantize(Decimal("1e-10")),
            fecha_ingreso=timezone.localdate(ahora),
            vence_el=dai.vence_el,
        )
        MovimientoInsumo.objects.create(
            saldo=lote,
            tipo=MovimientoInsumo.Tipo.INGRESO,
            cantidad=linea.cantidad,
            saldo_resultante=linea.cantidad,
            dai=dai,
            descripcion=f"Salida autorizada de la DAI {dai.numero}, ítem {linea.numero}",
            por=por,
            en=ahora,
        )
        lotes.append(lote)
    return lotes


def mover(*, lote_id: int, cantidad: Decimal, tipo: str, descripcion: str, por: Usuario | None, **relaciones) -> MovimientoInsumo:
    """Add one movement to a lot under its row lock (positive credits, negative debits). The CHECK on the
    lot refuses a balance below zero or above what entered; callers check first to give a clear message."""
    lote = SaldoInsumo.objects.select_for_update().get(pk=lote_id)
    lote.saldo += cantidad
    lote.save(update_fields=["saldo"])
    return MovimientoInsumo.objects.create(
        saldo=lote,
        tipo=tipo,
        cantidad=cantidad,
        saldo_resultante=lote.saldo,
        descripcion=descripcion,
        por=por,
        en=timezone.now(),
        **relaciones,
    )


def bloquear_lotes(ids: Iterable[int]) -> dict[int, SaldoInsumo]:
    """Lock several lots in a fixed order (by id), so concurrent discharges never deadlock."""
    return {lote.pk: lote for lote in SaldoInsumo.objects.select_for_update().filter(pk__in=list(ids)).order_by("pk")}
