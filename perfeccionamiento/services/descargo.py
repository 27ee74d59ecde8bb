"""The discharge plan of an anexo compensatorio: how much of each input its lines consume (product quantity ×
the coefficient version in force, or the input quantity itself) and from which DAI-line balances (lots) it is
drawn — the oldest release first, unless a line names its lots.

A product line discharges its quantity × the coefficient (waste included) from the input lots, once; the
recoverable waste part of it (quantity × `desperdicio`) becomes waste stock of the operator, tied to the lots it
came from, when the anexo is applied. Waste is then disposed of by lines marked as waste (destruction, DAI 86;
nationalisation at its declared value, DAI 10; re-export, DAE 61), which draw only from waste stock (ADR 0011).
A lot compensates only a declaration dated on or after the lot's release, unless the operator's authorisation
allows prior export (equivalence).

The same function serves the dry run (no locks: what the operator sees while typing) and the application
(called with the lots locked, so concurrent anexos never overdraw). It never writes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.db.models import Q, QuerySet

from tramites.models import Operador
from tramites.numeros import NumeroInvalido, a_decimal  # the portal's one reading of typed numbers (ADR 0013)

from ..models import (
    AnexoCompensatorio,
    CodigoInsumo,
    CodigoProducto,
    SaldoInsumo,
    SolicitudAutorizacion,
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
    """A portion of one lot drawn by one line, and the recoverable waste it leaves (product lines only)."""

    lote: SaldoInsumo
    cantidad: Decimal
    linea: int  # index of the anexo line
    genera: Decimal = Decimal(0)  # waste stock this portion leaves when applied

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
    desperdicio: bool = False  # the line disposes of waste stock (not of input balances)
    valor_declarado: Decimal | None = None  # nationalisation of waste: its own declared value (USD)
    genera: dict[int, Decimal] = field(default_factory=dict)  # insumo id -> waste the products leave


def explotar(linea: LineaResuelta, coeficientes, tipo: str) -> None:
    """Fill what a product line consumes of each input (quantity × coefficient, waste included) and the waste it
    leaves (quantity × waste part), for the kinds that take products out of the regime."""
    for c in coeficientes:
        linea.requerido[c.insumo_id] = cantidad_exacta(linea.cantidad * c.coeficiente)
        if c.desperdicio and tipo in AnexoCompensatorio.GENERA_DESPERDICIO:
            linea.genera[c.insumo_id] = cantidad_exacta(linea.cantidad * c.desperdicio)


@dataclass
class ResumenInsumo:
    insumo: CodigoInsumo
    desperdicio: bool = False  # the summary of the input's waste stock, not of its balances
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

    @property
    def genera(self) -> Decimal:
        """Waste stock the discharge leaves of this input."""
        return sum((t.genera for t in self.tramos), Decimal(0))


@dataclass
class Liquidacion:
    lote: SaldoInsumo
    cantidad: Decimal
    cif: Decimal
    ad_valorem: Decimal
    fodinfa: Decimal
    ice: Decimal
    iva: Decimal
    interes: Decimal = Decimal(0)
    dias_interes: int = 0
    desperdicio: bool = False

    @property
    def tributos(self) -> Decimal:
        return self.ad_valorem + self.fodinfa + self.ice + self.iva

    @property
    def total(self) -> Decimal:
        return self.tributos + self.interes


@dataclass
class Plan:
    lineas: list[LineaResuelta]
    insumos: dict[int, ResumenInsumo]
    errores: dict[str, list[str]]
    liquidaciones: list[Liquidacion] = field(default_factory=list)
    proximos_vencimientos: list[SaldoInsumo] = field(default_factory=list)
    exento: str = ""  # why a kind that liquidates taxes owes none (a loss by force majeure)

    @property
    def valido(self) -> bool:
        return not self.errores

    @property
    def tramos(self) -> list[Tramo]:
        return [t for r in self.insumos.values() for t in r.tramos]

    @property
    def total_tributos(self) -> Decimal:
        return sum((li.total for li in self.liquidaciones), Decimal(0))

    @property
    def total_interes(self) -> Decimal:
        return sum((li.interes for li in self.liquidaciones), Decimal(0))

    @property
    def desperdicio_generado(self) -> list[ResumenInsumo]:
        """Inputs whose waste stock the anexo will create, with how much (`genera`)."""
        return [r for r in self.insumos.values() if r.genera > 0]


def _numero(valor, clave: str, errores: dict) -> Decimal | None:
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


def _valor_declarado(valor, clave: str, errores: dict, n: int) -> Decimal | None:
    if valor in (None, ""):
        return None
    numero = _numero(valor, clave, errores)
    if numero is None:
        errores[clave] = [f"Ítem {n}: escriba el valor declarado del desperdicio en USD, mayor que cero."]
        return None
    return centavos(numero)


def _es_desperdicio(valor) -> bool:
    return valor is True or str(valor).strip().lower() in ("1", "true", "on", "si", "sí")


def resolver_lineas(*, operador: Operador, tipo: str, fecha: date, lineas: list[dict]) -> tuple[list[LineaResuelta], dict]:
    """Validate each line and work out what it consumes of each input (with the coefficient version in force)
    and the waste stock it leaves; a waste line consumes the input's waste stock."""
    errores: dict[str, list[str]] = {}
    if not lineas:
        errores["lineas"] = ["Indique al menos un producto o insumo."]
    productos = {p.codigo: p for p in CodigoProducto.objects.filter(operador=operador)}
    insumos = {i.codigo: i for i in CodigoInsumo.objects.filter(operador=operador)}
    nombre = T(tipo).label.lower() if tipo in T.values else "compensación"
    resueltas = []
    for i, datos in enumerate(lineas):
        clave, n = f"lineas.{i}", i + 1
        ref_p, ref_i = datos.get("producto"), datos.get("insumo")
        producto = ref_p if isinstance(ref_p, CodigoProducto) else productos.get(str(ref_p or "").strip().upper())
        insumo = ref_i if isinstance(ref_i, CodigoInsumo) else insumos.get(str(ref_i or "").strip().upper())
        cantidad = _numero(datos.get("cantidad"), f"{clave}.cantidad", errores)
        desperdicio = tipo in AnexoCompensatorio.SOLO_DESPERDICIO or _es_desperdicio(datos.get("desperdicio"))
        valor = _valor_declarado(datos.get("valor_declarado"), f"{clave}.valor_declarado", errores, n)
        if bool(ref_p) == bool(ref_i):
            errores[f"{clave}.producto"] = [f"Ítem {n}: indique un código de producto o uno de insumo (uno solo)."]
            continue
        if desperdicio and tipo not in AnexoCompensatorio.ADMITE_DESPERDICIO:
            errores[f"{clave}.desperdicio"] = [
                f"Ítem {n}: la {nombre} no dispone de desperdicio; use la destrucción de desperdicios (DAI 86), la "
                "nacionalización (DAI 10) o la reexportación (DAE 61)."
            ]
            continue
        if desperdicio and ref_p:
            errores[f"{clave}.desperdicio"] = [f"Ítem {n}: el desperdicio se indica por su código de insumo, no de producto."]
            continue
        if desperdicio and tipo == T.NACIONALIZACION and valor is None and f"{clave}.valor_declarado" not in errores:
            errores[f"{clave}.valor_declarado"] = [
                f"Ítem {n}: indique el valor declarado del desperdicio (USD): es la base de los tributos."
            ]
        if valor is not None and not (desperdicio and tipo == T.NACIONALIZACION):
            errores[f"{clave}.valor_declarado"] = [f"Ítem {n}: solo se declara un valor al nacionalizar desperdicio."]
        if ref_p:
            if producto is None or producto.operador_id != operador.pk:
                errores[f"{clave}.producto"] = [f"Ítem {n}: «{ref_p}» no es un código de producto del operador."]
                continue
            if tipo not in AnexoCompensatorio.ADMITE_PRODUCTOS:
                errores[f"{clave}.producto"] = [f"Ítem {n}: la {nombre} compensa insumos, no productos."]
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
                explotar(linea, version.coeficientes.all(), tipo)
        else:
            if insumo is None or insumo.operador_id != operador.pk:
                errores[f"{clave}.insumo"] = [f"Ítem {n}: «{ref_i}» no es un código de insumo del operador."]
                continue
            if tipo not in AnexoCompensatorio.ADMITE_INSUMOS:
                errores[f"{clave}.insumo"] = [f"Ítem {n}: la {nombre} compensa productos, no insumos."]
                continue
            linea = LineaResuelta(i, None, insumo, cantidad or Decimal(0), None, _lotes(datos))
            linea.desperdicio, linea.valor_declarado = desperdicio, valor
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


def admite_exportacion_anticipada(operador: Operador) -> bool:
    """Equivalence: the operator's authorisation in force lets a compensation draw on lots released after it."""
    return SolicitudAutorizacion.objects.filter(
        operador=operador, estado__in=SolicitudAutorizacion.VIGENTES, exportacion_anticipada=True
    ).exists()


def lotes_candidatos(
    *, operador: Operador, lineas: list[LineaResuelta], tipo: str, fecha: date, fecha_declaracion: date | None = None
) -> QuerySet[SaldoInsumo]:
    """The open lots the lines may draw on: input balances for product and input lines, waste stock for waste
    lines; within term unless the kind regularises; released (or, for waste, produced) on or before the
    compensating declaration's date — input balances after it only with the equivalence flag."""
    corte = fecha_declaracion or fecha
    de_insumos = {i for li in lineas if not li.desperdicio for i in li.requerido}
    de_desperdicio = {i for li in lineas if li.desperdicio for i in li.requerido}
    insumos = Q(insumo_id__in=sorted(de_insumos)) & ~Q(origen=SaldoInsumo.Origen.DESPERDICIO)
    if de_insumos and not admite_exportacion_anticipada(operador):
        insumos &= Q(fecha_ingreso__lte=corte)
    desperdicios = Q(insumo_id__in=sorted(de_desperdicio), origen=SaldoInsumo.Origen.DESPERDICIO, fecha_ingreso__lte=corte)
    qs = SaldoInsumo.objects.filter(operador=operador, saldo__gt=0).filter(insumos | desperdicios)
    if tipo not in AnexoCompensatorio.ADMITE_VENCIDOS:
        qs = qs.filter(vence_el__gte=fecha)
    return qs.select_related("insumo", "linea__dai", "lote_origen")


def repartir(total: Decimal, pesos: list[Decimal], redondear) -> list[Decimal]:
    """Split `total` in proportion to `pesos`, each part rounded by `redondear` except the last, which takes the
    remainder: the parts always add up to `total` exactly."""
    suma = sum(pesos, Decimal(0))
    if not pesos or suma <= 0:
        return [Decimal(0)] * len(pesos)
    partes = [redondear(total * p / suma) for p in pesos[:-1]]
    return [*partes, total - sum(partes, Decimal(0))]


def _repartir_desperdicio(tramos: list[Tramo], total: Decimal) -> None:
    """Spread a line's waste over the portions it drew (truncated to 6 decimals, the rest on the last)."""
    if total <= 0:
        return
    for t, parte in zip(tramos, repartir(total, [t.cantidad for t in tramos], _truncar), strict=True):
        t.genera = parte


def _truncar(valor: Decimal) -> Decimal:
    return valor.quantize(SEIS, rounding=ROUND_DOWN)


def planificar(
    *,
    operador: Operador,
    tipo: str,
    fecha: date,
    lineas: list[LineaResuelta],
    lotes: list[SaldoInsumo],
    extra: dict[int, Decimal] | None = None,
    fecha_declaracion: date | None = None,
    fuerza_mayor: bool = False,
) -> Plan:
    """Draw each line's requirement from the lots (already filtered and, when applying, locked). `extra` adds
    back quantities per lot (a correction sees the balance its own current debits would return)."""
    extra = extra or {}
    disponible = {lote.pk: lote.saldo + extra.get(lote.pk, Decimal(0)) for lote in lotes}
    por_clase: dict[tuple[int, bool], list[SaldoInsumo]] = defaultdict(list)
    for lote in sorted(lotes, key=lambda x: (x.fecha_ingreso, x.vence_el, x.pk)):
        por_clase[(lote.insumo_id, lote.es_desperdicio)].append(lote)
    por_id = {lote.pk: lote for lote in lotes}
    corte = fecha_declaracion or fecha
    equivalencia = any(not x.es_desperdicio and x.fecha_ingreso > corte for x in lotes)  # prior export allowed
    claves = {(i, li.desperdicio) for li in lineas for i in li.requerido}
    insumos = {i.pk: i for i in CodigoInsumo.objects.filter(pk__in={i for i, _ in claves})}
    resumen = {
        (pk, d): ResumenInsumo(
            insumos[pk], desperdicio=d, disponible=sum((disponible[x.pk] for x in por_clase.get((pk, d), [])), Decimal(0))
        )
        for pk, d in sorted(claves)
    }
    errores: dict[str, list[str]] = {}
    for linea in lineas:
        clave, n = f"lineas.{linea.indice}", linea.indice + 1
        elegidos = [por_id.get(pk) for pk in linea.lotes]
        if any(lote is None for lote in elegidos):
            errores[f"{clave}.lotes"] = [
                f"Ítem {n}: algún ítem de DAI elegido no existe, no tiene saldo, ya venció o salió después de la "
                "declaración que compensa."
            ]
            continue
        for insumo_id, requerido in linea.requerido.items():
            r = resumen[(insumo_id, linea.desperdicio)]
            que = f"desperdicio de {r.insumo.codigo}" if linea.desperdicio else r.insumo.codigo
            r.requerido += requerido
            fuente = (
                [x for x in elegidos if x.insumo_id == insumo_id and x.es_desperdicio == linea.desperdicio]
                if elegidos
                else por_clase.get((insumo_id, linea.desperdicio), [])
            )
            if elegidos and not fuente:
                errores[f"{clave}.lotes"] = [f"Ítem {n}: ninguno de los ítems de DAI elegidos es del {que}."]
                continue
            pendiente, propios = requerido, []
            for lote in fuente:
                if pendiente <= 0:
                    break
                toma = min(pendiente, disponible[lote.pk])
                if toma > 0:
                    disponible[lote.pk] -= toma
                    pendiente -= toma
                    r.descargado += toma
                    propios.append(Tramo(lote, toma, linea.indice))
            r.tramos.extend(propios)
            if pendiente > 0:
                hay = sum((disponible[x.pk] for x in fuente), Decimal(0)) + (requerido - pendiente)
                errores.setdefault(f"{clave}.cantidad", []).append(
                    f"Ítem {n}: saldo insuficiente de {que}: se requieren {_fmt(requerido)} {r.insumo.unidad} "
                    f"y hay {_fmt(hay)} {r.insumo.unidad} disponibles{_donde(tipo, bool(elegidos), linea.desperdicio)}."
                    + (
                        ""
                        if equivalencia
                        else _posteriores(operador, insumo_id, corte, elegidos, linea.desperdicio, bool(fecha_declaracion))
                    )
                )
            else:
                _repartir_desperdicio(propios, linea.genera.get(insumo_id, Decimal(0)))
    plan = Plan(lineas=lineas, insumos=resumen, errores=errores)
    plan.proximos_vencimientos = sorted(
        (x for x in lotes if disponible[x.pk] > 0), key=lambda x: (x.vence_el, x.fecha_ingreso, x.pk)
    )[:5]
    for lote in plan.proximos_vencimientos:
        lote.saldo_despues = disponible[lote.pk]
    if tipo in AnexoCompensatorio.LIQUIDA_TRIBUTOS and plan.valido:
        if tipo == T.PERDIDA and (fuerza_mayor or not settings.ANEXO_PERDIDA_TRIBUTA):
            plan.exento = (
                "Pérdida por fuerza mayor o caso fortuito: no paga los tributos suspendidos (SENAE verifica la evidencia)."
                if fuerza_mayor
                else "La pérdida no paga tributos según la configuración del portal (ANEXO_PERDIDA_TRIBUTA)."
            )
        else:
            plan.liquidaciones = _liquidar(plan.tramos, lineas, fecha_declaracion or fecha, errores)
    return plan


def _donde(tipo: str, elegidos: bool, desperdicio: bool) -> str:
    if elegidos:
        return " en los ítems de DAI elegidos"
    return " en plazo" if tipo not in AnexoCompensatorio.ADMITE_VENCIDOS else ""


def _posteriores(
    operador: Operador, insumo_id: int, corte: date, elegidos: list, desperdicio: bool, con_declaracion: bool
) -> str:
    """Why lots released after the declaration did not count (only said when there are some)."""
    if elegidos or desperdicio:
        return ""
    despues = SaldoInsumo.objects.de_insumos().filter(
        operador=operador, insumo_id=insumo_id, saldo__gt=0, fecha_ingreso__gt=corte
    )
    if not despues.exists():
        return ""
    return (
        f" Los ítems de DAI con salida autorizada después del {corte:%d/%m/%Y} "
        f"({'fecha de la declaración' if con_declaracion else 'fecha de la compensación'}) no la compensan: "
        "el régimen 21 descarga mercancías ya ingresadas, salvo exportación anticipada autorizada por SENAE."
    )


def _liquidar(tramos: list[Tramo], lineas: list[LineaResuelta], fecha: date, errores: dict) -> list[Liquidacion]:
    """Taxes due on what the anexo discharges, with the rates in force on the declaration's date: the base is the
    DAI line's CIF per unit of the input taken (for a product, of the input it contains: its coefficient less the
    waste, which stays as waste stock and is taxed only if it is nationalised), the waste's own declared value for
    waste (spread over its portions in proportion). Interest at the general rates' annual rate runs from the release
    of the goods (for waste, of the input it came from) to that date: simple interest, 365-day year."""
    tasas = TasasGenerales.en_vigor(fecha)
    tarifas = {
        t.subpartida: t for t in TarifaArancelaria.objects.filter(subpartida__in={t.lote.linea.subpartida for t in tramos})
    }
    por_linea = {li.indice: li for li in lineas}
    valores: dict[int, Decimal] = {}  # tramo index -> declared value portion (waste lines)
    for linea in lineas:
        if linea.desperdicio and linea.valor_declarado is not None:
            propios = [k for k, t in enumerate(tramos) if t.linea == linea.indice]
            partes = repartir(linea.valor_declarado, [tramos[k].cantidad for k in propios], centavos)
            valores.update(zip(propios, partes, strict=True))
    resultado = []
    for k, tramo in enumerate(tramos):
        linea_dai = tramo.lote.linea
        tarifa = tarifas.get(linea_dai.subpartida)
        if tasas is None or tarifa is None:
            errores["tributos"] = ["Faltan tarifas o tasas vigentes para liquidar los tributos; avise a SENAE."]
            return []
        desperdicio = por_linea[tramo.linea].desperdicio
        # a product pays on the input it contains; the waste it left stays as waste stock, disposed of on its own
        cantidad = tramo.cantidad - tramo.genera
        if cantidad <= 0:
            continue
        base = valores[k] if k in valores else centavos(linea_dai.cif / linea_dai.cantidad * cantidad)
        liq = liquidar(
            fob=base, flete=Decimal(0), seguro=Decimal(0), tasa_ad_valorem=tarifa.ad_valorem, tasa_ice=tarifa.ice,
            tasa_fodinfa=tasas.fodinfa, tasa_iva=tasas.iva, tasa_seguro_presuntivo=Decimal(0),
        )  # fmt: skip
        ingreso = tramo.lote.lote_origen.fecha_ingreso if tramo.lote.es_desperdicio else tramo.lote.fecha_ingreso
        dias = max((fecha - ingreso).days, 0)
        interes = centavos(liq.total * tasas.interes_anual / Decimal(100) * dias / Decimal(365))
        resultado.append(
            Liquidacion(
                tramo.lote,
                cantidad,
                base,
                liq.ad_valorem,
                liq.fodinfa,
                liq.ice,
                liq.iva,
                interes=interes,
                dias_interes=dias if tasas.interes_anual else 0,
                desperdicio=desperdicio,
            )  # fmt: skip
        )
    return resultado


def simular(
    *,
    operador: Operador,
    tipo: str,
    fecha: date,
    lineas: list[dict],
    fecha_declaracion: date | None = None,
    fuerza_mayor: bool = False,
) -> Plan:
    """The dry run: what the anexo would discharge now, from which lots, what remains, what waste it leaves and
    what expires first."""
    resueltas, errores = resolver_lineas(operador=operador, tipo=tipo, fecha=fecha, lineas=lineas)
    lotes = list(
        lotes_candidatos(operador=operador, lineas=resueltas, tipo=tipo, fecha=fecha, fecha_declaracion=fecha_declaracion)
    )
    plan = planificar(
        operador=operador, tipo=tipo, fecha=fecha, lineas=resueltas, lotes=lotes, fecha_declaracion=fecha_declaracion,
        fuerza_mayor=fuerza_mayor,
    )  # fmt: skip
    plan.errores = {**errores, **plan.errores}
    return plan
