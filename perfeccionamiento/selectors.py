"""Reads of the régimen 21, scoped by who asks (tramites.selectors.alcance_operador): the same rules for
pages, admin and API."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Min,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from tramites.exceptions import NoEncontrado
from tramites.models import Adjunto, AgenteAduana, Usuario
from tramites.selectors import alcance_operador, operadores_ids_visibles

from .models import (
    DAI,
    AnexoCompensatorio,
    CodigoInsumo,
    CodigoProducto,
    Coeficiente,
    CorreccionAnexo,
    Garantia,
    LineaAnexo,
    LineaDAI,
    LiquidacionNacionalizacion,
    MovimientoInsumo,
    SaldoInsumo,
    SolicitudAutorizacion,
    VersionCoeficientes,
)
from .services.tributos import centavos


def _obtener(queryset: QuerySet, *, usuario: Usuario, pk: int) -> Model:
    objeto = alcance_operador(queryset, usuario=usuario).filter(pk=pk).first()
    if objeto is None:
        raise NoEncontrado()
    return objeto


def solicitudes_listar(*, usuario: Usuario, estado: str | None = None) -> QuerySet[SolicitudAutorizacion]:
    qs = alcance_operador(SolicitudAutorizacion.objects.select_related("operador"), usuario=usuario)
    return qs.filter(estado=estado) if estado else qs


def solicitud_obtener(*, usuario: Usuario, pk: int) -> SolicitudAutorizacion:
    return _obtener(SolicitudAutorizacion.objects.select_related("operador", "aprobada_por"), usuario=usuario, pk=pk)


def autorizaciones_garantizables(*, usuario: Usuario) -> QuerySet[SolicitudAutorizacion]:
    from .services.garantias import AUTORIZACION_GARANTIZABLE

    return solicitudes_listar(usuario=usuario).filter(estado__in=AUTORIZACION_GARANTIZABLE)


def garantias_listar(*, usuario: Usuario, estado: str | None = None) -> QuerySet[Garantia]:
    qs = alcance_operador(Garantia.objects.select_related("operador", "autorizacion"), usuario=usuario)
    return qs.filter(estado=estado) if estado else qs


def garantia_obtener(*, usuario: Usuario, pk: int) -> Garantia:
    return _obtener(Garantia.objects.select_related("operador", "autorizacion"), usuario=usuario, pk=pk)


def insumos_listar(*, usuario: Usuario) -> QuerySet[CodigoInsumo]:
    return alcance_operador(CodigoInsumo.objects.select_related("operador"), usuario=usuario)


def insumo_obtener(*, usuario: Usuario, pk: int) -> CodigoInsumo:
    return _obtener(CodigoInsumo.objects.select_related("operador"), usuario=usuario, pk=pk)


def productos_listar(*, usuario: Usuario) -> QuerySet[CodigoProducto]:
    return alcance_operador(
        CodigoProducto.objects.select_related("operador").annotate(num_versiones=Count("versiones")).order_by("codigo"),
        usuario=usuario,
    )


def _versiones_con_coeficientes() -> Prefetch:
    return Prefetch(
        "versiones",
        queryset=VersionCoeficientes.objects.order_by("-numero").prefetch_related(
            Prefetch("coeficientes", queryset=Coeficiente.objects.select_related("insumo"))
        ),
    )


def producto_obtener(*, usuario: Usuario, pk: int) -> CodigoProducto:
    return _obtener(
        CodigoProducto.objects.select_related("operador").prefetch_related(_versiones_con_coeficientes()),
        usuario=usuario,
        pk=pk,
    )


def versiones_listar(*, usuario: Usuario, producto_id: int | None = None) -> QuerySet[VersionCoeficientes]:
    qs = alcance_operador(
        VersionCoeficientes.objects.select_related("producto").prefetch_related(
            Prefetch("coeficientes", queryset=Coeficiente.objects.select_related("insumo"))
        ),
        usuario=usuario,
    )
    return qs.filter(producto_id=producto_id) if producto_id else qs


def version_obtener(*, usuario: Usuario, pk: int) -> VersionCoeficientes:
    return _obtener(VersionCoeficientes.objects.select_related("producto"), usuario=usuario, pk=pk)


def codigos_producto_visibles(usuario: Usuario) -> QuerySet[CodigoProducto]:
    return alcance_operador(CodigoProducto.objects.all(), usuario=usuario)


def versiones_visibles(usuario: Usuario) -> QuerySet[VersionCoeficientes]:
    return alcance_operador(VersionCoeficientes.objects.all(), usuario=usuario)


def dais_visibles(usuario: Usuario) -> QuerySet[DAI]:
    return alcance_operador(DAI.objects.all(), usuario=usuario)


def adjuntos_de(objeto: Model) -> QuerySet[Adjunto]:
    return Adjunto.objects.filter(content_type=ContentType.objects.get_for_model(objeto), object_id=objeto.pk)


def resumen_operador(*, usuario: Usuario) -> dict[str, dict[str, int]]:
    """Counts per state of the user's visible requests, guarantees and codes (dashboard widget)."""

    def por_estado(qs: QuerySet) -> dict[str, int]:
        return dict(qs.order_by().values_list("estado").annotate(n=Count("pk")))

    return {
        "solicitudes": por_estado(solicitudes_listar(usuario=usuario)),
        "garantias": por_estado(garantias_listar(usuario=usuario)),
        "insumos": por_estado(insumos_listar(usuario=usuario)),
        "productos": por_estado(alcance_operador(CodigoProducto.objects.all(), usuario=usuario)),
    }


# --- DAI 21 and the input ledger ---------------------------------------------------------------------------

_IMPUESTOS_ABIERTOS = ExpressionWrapper(
    F("saldo") * F("impuestos_por_unidad"), output_field=DecimalField(max_digits=38, decimal_places=10)
)


def garantia_exposicion(*, garantia_id: int, excluir_dai_id: int | None = None) -> Decimal:
    """Suspended taxes the guarantee secures now: those of its DAI still in clearance (reserved at
    transmission) plus those of the open balances released under it. Two aggregate queries."""
    reservado = (
        DAI.objects.filter(garantia_id=garantia_id, estado__in=DAI.EN_DESPACHO)
        .exclude(pk=excluir_dai_id)
        .aggregate(s=Sum("total_suspendido"))["s"]
    ) or Decimal(0)
    expuesto = SaldoInsumo.objects.filter(garantia_id=garantia_id, saldo__gt=0).aggregate(s=Sum(_IMPUESTOS_ABIERTOS))[
        "s"
    ] or Decimal(0)
    return centavos(reservado + expuesto)


def con_exposicion(garantias: QuerySet[Garantia]) -> QuerySet[Garantia]:
    """Annotate `exposicion_reservada`, `exposicion_saldos` and their sum `exposicion` on a list of guarantees
    (one query for the whole list)."""
    reservado = (
        DAI.objects.filter(garantia=OuterRef("pk"), estado__in=DAI.EN_DESPACHO)
        .order_by()
        .values("garantia")
        .annotate(s=Sum("total_suspendido"))
        .values("s")
    )
    expuesto = (
        SaldoInsumo.objects.filter(garantia=OuterRef("pk"), saldo__gt=0)
        .order_by()
        .values("garantia")
        .annotate(s=Sum(_IMPUESTOS_ABIERTOS))
        .values("s")
    )
    dinero = DecimalField(max_digits=38, decimal_places=10)
    return garantias.annotate(
        exposicion_reservada=Coalesce(Subquery(reservado, output_field=dinero), Value(Decimal(0)), output_field=dinero),
        exposicion_saldos=Coalesce(Subquery(expuesto, output_field=dinero), Value(Decimal(0)), output_field=dinero),
        exposicion=ExpressionWrapper(F("exposicion_reservada") + F("exposicion_saldos"), output_field=dinero),
    )


def dais_listar(*, usuario: Usuario, estado: str | None = None, canal: str | None = None) -> QuerySet[DAI]:
    """Joins only the operator; the agency and the district come in one small query each for the whole page.
    (At 50,000 DAI, planning the scoped four-table join took longer than running it: bench/RESULTS.md.)"""
    qs = alcance_operador(
        DAI.objects.select_related("operador").prefetch_related(
            Prefetch("agente", queryset=AgenteAduana.objects.only("id", "nombre")), "distrito"
        ),
        usuario=usuario,
    )
    if estado:
        qs = qs.filter(estado=estado)
    if canal:
        qs = qs.filter(canal=canal)
    return qs


def control_regimen(qs: QuerySet[DAI]) -> QuerySet[DAI]:
    """Per DAI: quantity released, open balance and suspended taxes still owed (state and control of the regime)."""
    lotes = SaldoInsumo.objects.filter(linea__dai=OuterRef("pk"), origen=SaldoInsumo.Origen.DAI).order_by().values("linea__dai")
    cantidad = DecimalField(max_digits=24, decimal_places=6)
    dinero = DecimalField(max_digits=38, decimal_places=10)

    def suma(expresion, campo):
        return Coalesce(
            Subquery(lotes.annotate(s=Sum(expresion)).values("s"), output_field=campo), Value(Decimal(0)), output_field=campo
        )

    return qs.annotate(
        ingresado=suma("cantidad_inicial", cantidad),
        saldo_abierto=suma("saldo", cantidad),
        tributos_pendientes=suma(_IMPUESTOS_ABIERTOS, dinero),
    )


def dai_obtener(*, usuario: Usuario, pk: int) -> DAI:
    return _obtener(
        DAI.objects.select_related("operador", "agente", "distrito", "autorizacion", "garantia", "regla_canal").prefetch_related(
            Prefetch("lineas", queryset=LineaDAI.objects.select_related("insumo").order_by("numero"))
        ),
        usuario=usuario,
        pk=pk,
    )


def existencias_por_insumo(*, usuario: Usuario, operador_id: int | None = None) -> QuerySet[CodigoInsumo]:
    """Input stock per input code (an input code belongs to one operator): entered, open balance, open lots,
    the waste stock its products left, next expiry and the suspended taxes of what is open (waste stock included:
    it is under customs control until destroyed, nationalised or re-exported). One query."""
    abiertos = Q(saldos__saldo__gt=0)
    insumo = ~Q(saldos__origen=SaldoInsumo.Origen.DESPERDICIO)
    cantidad = DecimalField(max_digits=24, decimal_places=6)
    qs = alcance_operador(CodigoInsumo.objects.select_related("operador"), usuario=usuario)
    if operador_id:
        qs = qs.filter(operador_id=operador_id)
    return (
        qs.filter(saldos__isnull=False)
        .annotate(
            ingresado=Coalesce(Sum("saldos__cantidad_inicial", filter=insumo), Value(Decimal(0)), output_field=cantidad),
            saldo_total=Coalesce(Sum("saldos__saldo", filter=insumo), Value(Decimal(0)), output_field=cantidad),
            desperdicio=Coalesce(Sum("saldos__saldo", filter=~insumo), Value(Decimal(0)), output_field=cantidad),
            lotes_abiertos=Count("saldos", filter=abiertos & insumo),
            proximo_vencimiento=Min("saldos__vence_el", filter=abiertos),
            tributos_pendientes=Sum(
                ExpressionWrapper(
                    F("saldos__saldo") * F("saldos__impuestos_por_unidad"),
                    output_field=DecimalField(max_digits=38, decimal_places=10),
                )
            ),
        )
        .order_by("codigo")
    )


def _saldos() -> QuerySet[SaldoInsumo]:
    """Lots with what their pages, CSV and API show: joins the input and the operator; the lines with their DAI come
    in one more query (planning the five-table join took ~7.5 ms for 0.5 ms of execution: bench/RESULTS.md)."""
    return SaldoInsumo.objects.select_related("insumo", "operador").prefetch_related(
        Prefetch("linea", queryset=LineaDAI.objects.select_related("dai"))
    )


def saldos_listar(
    *, usuario: Usuario, insumo_id: int | None = None, dai_id: int | None = None, solo_abiertos: bool = False
) -> QuerySet[SaldoInsumo]:
    """Input stock per DAI line (lot), oldest release first."""
    qs = alcance_operador(_saldos(), usuario=usuario)
    if insumo_id:
        qs = qs.filter(insumo_id=insumo_id)
    if dai_id:
        qs = qs.filter(linea__dai_id=dai_id)
    if solo_abiertos:
        qs = qs.abiertos()
    return qs.fifo()


def saldo_obtener(*, usuario: Usuario, pk: int) -> SaldoInsumo:
    return _obtener(_saldos(), usuario=usuario, pk=pk)


def movimientos_listar(
    *,
    usuario: Usuario,
    saldo_id: int | None = None,
    dai_id: int | None = None,
    insumo_id: int | None = None,
    anexo_id: int | None = None,
) -> QuerySet[MovimientoInsumo]:
    """Ledger movements of the user's lots: per lot (DAI line), per DAI, per input code or per anexo."""
    qs = MovimientoInsumo.objects.select_related("saldo__insumo", "saldo__linea__dai", "por", "anexo")
    qs = alcance_operador(qs, usuario=usuario, campo="saldo__operador")
    filtros = {"saldo_id": saldo_id, "saldo__linea__dai_id": dai_id, "saldo__insumo_id": insumo_id, "anexo_id": anexo_id}
    qs = qs.filter(**{campo: valor for campo, valor in filtros.items() if valor})
    return qs.order_by("en", "pk")


# --- Anexos compensatorios ------------------------------------------------------------------------------------


def anexos_listar(*, usuario: Usuario, estado: str | None = None, tipo: str | None = None) -> QuerySet[AnexoCompensatorio]:
    """Anexos the user's operators filed, and those in which they receive a transfer (cesionario)."""
    qs = AnexoCompensatorio.objects.select_related("operador", "cesionario", "declaracion")
    ids = operadores_ids_visibles(usuario, modelo=AnexoCompensatorio)
    if ids is not None:
        qs = qs.filter(Q(operador__in=ids) | Q(cesionario__in=ids))
    if estado:
        qs = qs.filter(estado=estado)
    if tipo:
        qs = qs.filter(tipo=tipo)
    return qs


def anexo_obtener(*, usuario: Usuario, pk: int) -> AnexoCompensatorio:
    anexo = anexos_listar(usuario=usuario).filter(pk=pk).first()
    if anexo is None:
        raise NoEncontrado()
    return anexo


def anexo_detalle(anexo: AnexoCompensatorio) -> dict:
    """Everything the anexo page, PDF and API show: current lines, the lines of each correction, movements
    (debits, reversals, transfers) and nationalisation taxes."""
    lineas = list(
        LineaAnexo.objects.filter(anexo=anexo).select_related("producto", "insumo", "version", "correccion").order_by("pk")
    )
    aprobadas = [c.pk for c in anexo.correcciones.all() if c.estado == CorreccionAnexo.Estado.APROBADA]
    vigente = aprobadas[-1] if aprobadas else None
    return {
        "lineas": [li for li in lineas if li.correccion_id == vigente],
        "lineas_historicas": [li for li in lineas if li.correccion_id != vigente],
        "correcciones": list(anexo.correcciones.select_related("solicitada_por", "resuelta_por")),
        "movimientos": list(
            MovimientoInsumo.objects.filter(anexo=anexo)
            .select_related("saldo__insumo", "saldo__linea__dai", "saldo__operador", "correccion")
            .order_by("en", "pk")
        ),
        "liquidaciones": list(
            LiquidacionNacionalizacion.objects.filter(anexo=anexo, correccion_id=vigente).select_related(
                "saldo__linea__dai", "saldo__insumo"
            )
        ),
    }


def lotes_abiertos(*, operador_id: int) -> QuerySet[SaldoInsumo]:
    """Open lots of an operator, for choosing where an anexo line draws from."""
    return SaldoInsumo.objects.filter(operador_id=operador_id, saldo__gt=0).select_related("insumo", "linea__dai").fifo()


def vencimientos_proximos(*, usuario: Usuario, dias: int = 90, hoy: date | None = None) -> dict:
    """What expires when (dashboard): open DAI balances by end date — the first ones are what to compensate
    first — and authorizations and guarantees ending within `dias`. Three queries."""
    hoy = hoy or timezone.localdate()
    limite = hoy + timedelta(days=dias)
    tributos = ExpressionWrapper(
        F("saldo") * F("impuestos_por_unidad"), output_field=DecimalField(max_digits=38, decimal_places=10)
    )
    saldos = (
        alcance_operador(SaldoInsumo.objects.filter(saldo__gt=0, vence_el__lte=limite), usuario=usuario)
        .values("linea__dai_id", "linea__dai__numero", "vence_el", "operador__razon_social")
        .annotate(items=Count("pk"), tributos=Sum(tributos))
        .order_by("vence_el", "linea__dai_id")[:8]
    )
    autorizaciones = solicitudes_listar(usuario=usuario).filter(
        estado__in=[*SolicitudAutorizacion.VIGENTES, SolicitudAutorizacion.Estado.SUSPENDIDA], vigencia_hasta__lte=limite
    )
    garantias = garantias_listar(usuario=usuario).filter(estado__in=Garantia.QUE_CUBREN, vigencia_hasta__lte=limite)
    filas = [{**s, "dias": (d := (s["vence_el"] - hoy).days), "atraso": max(-d, 0)} for s in saldos]
    return {
        "saldos": filas,
        "autorizaciones": [(a, (a.vigencia_hasta - hoy).days) for a in autorizaciones.order_by("vigencia_hasta")[:5]],
        "garantias": [(g, (g.vigencia_hasta - hoy).days) for g in garantias.order_by("vigencia_hasta")[:5]],
        "dias": dias,
    }


def pendientes_senae(*, usuario: Usuario) -> list[dict]:
    """Counts of what waits for an official of the régimen 21 — only the queues the user's permissions act on —
    each with the admin URL of its filtered list. One small query per queue."""
    from django.urls import reverse

    colas = [
        ("revisar_solicitudautorizacion", SolicitudAutorizacion, ["enviada", "en_revision"], "Solicitudes por revisar"),
        ("controlar_autorizacion", SolicitudAutorizacion, ["prorroga_solicitada"], "Prórrogas por resolver"),
        ("revisar_garantia", Garantia, ["solicitada", "modificacion_solicitada"], "Garantías y modificaciones por resolver"),
        ("cobrar_garantia", Garantia, ["impugnada"], "Impugnaciones de cobro por resolver"),
        ("revisar_codigos", CodigoInsumo, ["registrado"], "Códigos de insumo por aprobar"),
        ("revisar_codigos", CodigoProducto, ["registrado"], "Códigos de producto por aprobar"),
        ("revisar_codigos", VersionCoeficientes, ["presentada"], "Cuadros insumo-producto por aprobar"),
        ("revisar_anexo", AnexoCompensatorio, ["registrado", "correccion_solicitada"], "Anexos y correcciones por resolver"),
        ("aforar_dai", DAI, ["en_aforo"], "DAI en aforo"),
        ("view_daivencidaconsaldo", DAI, ["vencida_con_saldo"], "DAI vencidas con saldo (control)"),
    ]
    filas = []
    for permiso, modelo, estados, titulo in colas:
        if not usuario.has_perm(f"perfeccionamiento.{permiso}"):
            continue
        n = modelo.objects.filter(estado__in=estados).count()
        if n:
            nombre = "daivencidaconsaldo" if estados == ["vencida_con_saldo"] else modelo._meta.model_name
            url = reverse(f"admin:perfeccionamiento_{nombre}_changelist")
            filtro = "" if nombre == "daivencidaconsaldo" else f"?estado__in={','.join(estados)}"
            filas.append({"titulo": titulo, "n": n, "url": url + filtro})
    return filas
