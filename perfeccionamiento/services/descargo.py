"""The discharge plan of an anexo compensatorio: how much of each input its lines consume (product quantity ×
the coefficient version in force, or the input quantity itself) and from which DAI-line balances (lots) it is
drawn — the oldest release first, unless a line names its lots.

The same function serves the dry run (no locks: what the operator sees while typing) and the application
(called with the lots locked, so concurrent anexos never overdraw). It never writes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db.models import QuerySet

from tramites.models import Operador

from ..models import (
    AnexoCompensatorio,
    CodigoInsumo,
    CodigoProducto,
    SaldoInsumo,
    TarifaArancelaria,
    TasasGenerales,
    VersionCoeficientes,
)
from .tributos import centavos, liquidar

SEIS = Decimal("0.000001")
T = AnexoCompensatorio.Tipo


def cantidad_exacta(valor: Decimal) -> Decimal:
    return valor.quantize(SEIS, rounding=ROUND_HALF_UP)


def _fmt(valor: Decimal) -> str:
    texto = f"{valor.normalize():,f}".replace(",", " ").replace(".", ",")
    return texto


@dataclass
class Tramo:
    """A portion of one lot drawn by one line."""

    lote: SaldoInsumo
    cantidad: Decimal
    linea: int  # index of the anexo line

    @property
    def restante(self) -> Decimal:
        return self.lote.saldo - self.cantidad


@dataclass
class LineaResuelta:
    indice: int
    producto: CodigoProducto | None
    insumo: CodigoInsumo | None
    cantidad: Decimal
    version: VersionCoeficientes | None
    lotes: list[int]
    requerido: dict[int, Decimal] = field(default_factory=dict)  # insumo id -> quantity
    registro: object = None  # the saved LineaAnexo, once filed


@dataclass
class ResumenInsumo:
    insumo: CodigoInsumo
    requerido: Decimal = Decimal(0)
    disponible: Decimal = Decimal(0)
    descargado: Decimal = Decimal(0)
    tramos: list[Tramo] = field(default_factory=list)

    @property
    def restante(self) -> Decimal:
        return self.disponible - self.descargado

    @property
    def faltante(self) -> Decimal:
        return max(self.requerido - self.descargado, Decimal(0))


@dataclass
class Liquidacion:
    lote: SaldoInsumo
    cantidad: Decimal
    cif: Decimal
    ad_valorem: Decimal
    fodinfa: Decimal
    ice: Decimal
    iva: Decimal

    @property
    def total(self) -> Decimal:
        return self.ad_valorem + self.fodinfa + self.ice + self.iva


@dataclass
class Plan:
    lineas: list[LineaResuelta]
    insumos: dict[int, ResumenInsumo]
    errores: dict[str, list[str]]
    liquidaciones: list[Liquidacion] = field(default_factory=list)
    proximos_vencimientos: list[SaldoInsumo] = field(default_factory=list)

    @property
    def valido(self) -> bool:
        return not self.errores

    @property
    def tramos(self) -> list[Tramo]:
        return [t for r in self.insumos.values() for t in r.tramos]

    @property
    def total_tributos(self) -> Decimal:
        return sum((li.total for li in self.liquidaciones), Decimal(0))


def _numero(valor, clave: str, errores: dict) -> Decimal | None:
    from tramites.numeros import NumeroInvalido, a_decimal  # the portal's one reading of typed numbers (ADR 0013)

    try:
        numero = a_decimal(valor)
    except NumeroInvalido as e:
        errores[clave] = [str(e)]
        return None
    if not numero.is_finite() or numero <= 0:
        errores[clave] = ["La cantidad debe ser mayor que cero."]
        return None
    try:
        return cantidad_exacta(numero)
    except InvalidOperation:  # more digits than a quantity with 6 decimals can hold
        errores[clave] = [f"«{valor}» es demasiado grande para una cantidad."]
        return None


def resolver_lineas(*, operador: Operador, tipo: str, fecha: date, lineas: list[dict]) -> tuple[list[LineaResuelta], dict]:
    """Validate each line and work out what it consumes of each input (with the coefficient version in force)."""
    errores: dict[str, list[str]] = {}
    if not lineas:
        errores["lineas"] = ["Indique al menos un producto o insumo."]
    productos = {p.codigo: p for p in CodigoProducto.objects.filter(operador=operador)}
    insumos = {i.codigo: i for i in CodigoInsumo.objects.filter(operador=operador)}
    resueltas = []
    for i, datos in enumerate(lineas):
        clave, n = f"lineas.{i}", i + 1
        ref_p, ref_i = datos.get("producto"), datos.get("insumo")
        producto = ref_p if isinstance(ref_p, CodigoProducto) else productos.get(str(ref_p or "").strip().upper())
        insumo = ref_i if isinstance(ref_i, CodigoInsumo) else insumos.get(str(ref_i or "").strip().upper())
        cantidad = _numero(datos.get("cantidad"), f"{clave}.cantidad", errores)
        if bool(ref_p) == bool(ref_i):
            errores[f"{clave}.producto"] = [f"Ítem {n}: indique un código de producto o uno de insumo (uno solo)."]
            continue
        if ref_p:
            if producto is None or producto.operador_id != operador.pk:
                errores[f"{clave}.producto"] = [f"Ítem {n}: «{ref_p}» no es un código de producto del operador."]
                continue
            if tipo not in AnexoCompensatorio.ADMITE_PRODUCTOS:
                errores[f"{clave}.producto"] = [f"Ítem {n}: la {T(tipo).label.lower()} compensa insumos, no productos."]
                continue
            if producto.estado != CodigoProducto.Estado.VIGENTE:
                errores[f"{clave}.producto"] = [
                    f"Ítem {n}: el producto {producto.codigo} está «{producto.get_estado_display()}»."
                ]
                continue
            version = (
                VersionCoeficientes.objects.filter(producto=producto).en_vigor(fecha).prefetch_related("coeficientes").first()
            )
            if version is None:
                errores[f"{clave}.producto"] = [
                    f"Ítem {n}: el producto {producto.codigo} no tiene un cuadro insumo-producto aprobado "
                    f"en vigor al {fecha:%d/%m/%Y}."
                ]
                continue
            linea = LineaResuelta(i, producto, None, cantidad or Decimal(0), version, _lotes(datos))
            if cantidad:
                for c in version.coeficientes.all():
                    linea.requerido[c.insumo_id] = cantidad_exacta(cantidad * c.coeficiente)
        else:
            if insumo is None or insumo.operador_id != operador.pk:
                errores[f"{clave}.insumo"] = [f"Ítem {n}: «{ref_i}» no es un código de insumo del operador."]
                continue
            if tipo not in AnexoCompensatorio.ADMITE_INSUMOS:
                errores[f"{clave}.insumo"] = [f"Ítem {n}: la {T(tipo).label.lower()} compensa productos, no insumos."]
                continue
            linea = LineaResuelta(i, None, insumo, cantidad or Decimal(0), None, _lotes(datos))
            if cantidad:
                linea.requerido[insumo.pk] = cantidad
        resueltas.append(linea)
    return resueltas, errores


def _lotes(datos: dict) -> list[int]:
    valor = datos.get("lotes") or []
    if isinstance(valor, str):
        valor = [v for v in valor.replace(";", ",").split(",") if v.strip()]
    try:
        return [int(v.pk if isinstance(v, SaldoInsumo) else v) for v in valor]
    except (TypeError, ValueError):
        return [-1]


def lotes_candidatos(*, operador: Operador, insumo_ids, tipo: str, fecha: date) -> QuerySet[SaldoInsumo]:
    qs = SaldoInsumo.objects.filter(operador=operador, insumo_id__in=list(insumo_ids), saldo__gt=0)
    if tipo not in AnexoCompensatorio.ADMITE_VENCIDOS:
        qs = qs.filter(vence_el__gte=fecha)
    return qs.select_related("insumo", "linea__dai")


def planificar(
    *,
    operador: Operador,
    tipo: str,
    fecha: date,
    lineas: list[LineaResuelta],
    lotes: list[SaldoInsumo],
    extra: dict[int, Decimal] | None = None,
) -> Plan:
    """Draw each line's requirement from the lots (already filtered and, when applying, locked). `extra` adds
    back quantities per lot (a correction sees the balance its own current debits would return)."""
    extra = extra or {}
    disponible = {lote.pk: lote.saldo + extra.get(lote.pk, Decimal(0)) for lote in lotes}
    por_insumo: dict[int, list[SaldoInsumo]] = defaultdict(list)
    for lote in sorted(lotes, key=lambda x: (x.fecha_ingreso, x.vence_el, x.pk)):
        por_insumo[lote.insumo_id].append(lote)
    por_id = {lote.pk: lote for lote in lotes}
    insumos = {i.pk: i for i in CodigoInsumo.objects.filter(pk__in={i for li in lineas for i in li.requerido})}
    resumen = {
        pk: ResumenInsumo(insumos[pk], disponible=sum((disponible[x.pk] for x in por_insumo.get(pk, [])), Decimal(0)))
        for pk in insumos
    }
    errores: dict[str, list[str]] = {}
    for linea in lineas:
        clave, n = f"lineas.{linea.indice}", linea.indice + 1
        elegidos = [por_id.get(pk) for pk in linea.lotes]
        if any(lote is None for lote in elegidos):
            errores[f"{clave}.lotes"] = [f"Ítem {n}: algún ítem de DAI elegido no existe, no tiene saldo o ya venció."]
            continue
        for insumo_id, requerido in linea.requerido.items():
            r = resumen[insumo_id]
            r.requerido += requerido
            fuente = [lote for lote in elegidos if lote.insumo_id == insumo_id] if elegidos else por_insumo.get(insumo_id, [])
            if elegidos and not fuente:
                errores[f"{clave}.lotes"] = [f"Ítem {n}: ninguno de los ítems de DAI elegidos es del insumo {r.insumo.codigo}."]
                continue
            pendiente = requerido
            for lote in fuente:
                if pendiente <= 0:
                    break
                toma = min(pendiente, disponible[lote.pk])
                if toma > 0:
                    disponible[lote.pk] -= toma
                    pendiente -= toma
                    r.descargado += toma
                    r.tramos.append(Tramo(lote, toma, linea.indice))
            if pendiente > 0:
                hay = sum((disponible[x.pk] for x in fuente), Decimal(0)) + (requerido - pendiente)
                donde = (
                    "en los ítems de DAI elegidos"
                    if elegidos
                    else "en plazo"
                    if tipo not in AnexoCompensatorio.ADMITE_VENCIDOS
                    else ""
                )
                errores.setdefault(f"{clave}.cantidad", []).append(
                    f"Ítem {n}: saldo insuficiente de {r.insumo.codigo}: se requieren {_fmt(requerido)} {r.insumo.unidad} "
                    f"y hay {_fmt(hay)} {r.insumo.unidad} disponibles{' ' + donde if donde else ''}."
                )
    plan = Plan(lineas=lineas, insumos=resumen, errores=errores)
    plan.proximos_vencimientos = sorted(
        (x for x in lotes if disponible[x.pk] > 0), key=lambda x: (x.vence_el, x.fecha_ingreso, x.pk)
    )[:5]
    for lote in plan.proximos_vencimientos:
        lote.saldo_despues = disponible[lote.pk]
    if tipo == T.NACIONALIZACION and plan.valido:
        plan.liquidaciones = _liquidar_nacionalizacion(plan.tramos, fecha, errores)
    return plan


def _liquidar_nacionalizacion(tramos: list[Tramo], fecha: date, errores: dict) -> list[Liquidacion]:
    """Taxes due on the discharged inputs: their customs value (the DAI line's CIF per unit) with the rates in
    force on the nationalisation date."""
    tasas = TasasGenerales.en_vigor(fecha)
    tarifas = {
        t.subpartida: t for t in TarifaArancelaria.objects.filter(subpartida__in={t.lote.linea.subpartida for t in tramos})
    }
    resultado = []
    for tramo in tramos:
        linea_dai = tramo.lote.linea
        tarifa = tarifas.get(linea_dai.subpartida)
        if tasas is None or tarifa is None:
            errores["tributos"] = ["Faltan tarifas o tasas vigentes para liquidar la nacionalización; avise a SENAE."]
            return []
        cif = centavos(linea_dai.cif / linea_dai.cantidad * tramo.cantidad)
        liq = liquidar(
            fob=cif, flete=Decimal(0), seguro=Decimal(0), tasa_ad_valorem=tarifa.ad_valorem, tasa_ice=tarifa.ice,
            tasa_fodinfa=tasas.fodinfa, tasa_iva=tasas.iva, tasa_seguro_presuntivo=Decimal(0),
        )  # fmt: skip
        resultado.append(Liquidacion(tramo.lote, tramo.cantidad, cif, liq.ad_valorem, liq.fodinfa, liq.ice, liq.iva))
    return resultado


def simular(*, operador: Operador, tipo: str, fecha: date, lineas: list[dict]) -> Plan:
    """The dry run: what the anexo would discharge now, from which lots, what remains and what expires first."""
    resueltas, errores = resolver_lineas(operador=operador, tipo=tipo, fecha=fecha, lineas=lineas)
    ids = {i for li in resueltas for i in li.requerido}
    lotes = list(lotes_candidatos(operador=operador, insumo_ids=ids, tipo=tipo, fecha=fecha))
    plan = planificar(operador=operador, tipo=tipo, fecha=fecha, lineas=resueltas, lotes=lotes)
    plan.errores = {**errores, **plan.errores}
    return plan
