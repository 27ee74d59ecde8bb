"""Anexo compensatorio: registration (with its compensating declaration, or to a receiving beneficiary),
acceptance and application (debits under row locks), transfer of balances to the cesionario, nationalisation
taxes, lapse of unaccepted transfers, and corrections applied as a reversal plus new movements."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from tramites.calendario import sumar_dias_habiles
from tramites.exceptions import DatosInvalidos, ErrorDeNegocio, PermisoDenegado
from tramites.fsm import transicionar, verificar_transicion
from tramites.models import Distrito, Operador, Usuario
from tramites.numeracion import formatear, siguiente_numero
from tramites.selectors import usuarios_de_operador
from tramites.services import adjuntos_guardar, notificar

from ..models import (
    DAI,
    AnexoCompensatorio,
    CodigoInsumo,
    CorreccionAnexo,
    DeclaracionCompensatoria,
    Garantia,
    LineaAnexo,
    LiquidacionNacionalizacion,
    MovimientoInsumo,
    SaldoInsumo,
    SolicitudAutorizacion,
)
from ..selectors import garantia_exposicion
from . import saldos
from .comun import avisar_transicion, bloquear, exigir_actuar_por
from .descargo import LineaResuelta, Plan, Tramo, explotar, lotes_candidatos, planificar, resolver_lineas

T = AnexoCompensatorio.Tipo
E = AnexoCompensatorio.Estado


class SaldoInsuficiente(DatosInvalidos):
    code = "saldo_insuficiente"
    http_status = 409
    plantilla = "Los saldos ya no alcanzan para este anexo: revise cada ítem indicado."


class CesionNoAceptable(ErrorDeNegocio):
    code = "cesion_no_aceptable"
    http_status = 409
    plantilla = "{motivo}"


def dias_aceptacion_cesion() -> int:
    return settings.ANEXO_CESION_DIAS_ACEPTACION


def plazo_presentacion() -> int:
    """Business days after the compensating declaration's date to file its anexo (0: no deadline)."""
    return settings.ANEXO_PLAZO_DIAS_HABILES


def presentar_hasta(decl: DeclaracionCompensatoria) -> date | None:
    """Last day to file the anexo of a declaration, on the calendar of the district that accepted it (the first
    three digits of its number: 028-2026-40-… is Guayaquil Marítimo)."""
    if not plazo_presentacion() or decl.fecha is None:
        return None
    distrito = Distrito.objects.filter(codigo=(decl.numero or "")[:3]).first()
    return sumar_dias_habiles(decl.fecha, plazo_presentacion(), distrito=distrito)


# --- Registration ---------------------------------------------------------------------------------------------


@transaction.atomic
def anexo_registrar(
    *,
    operador: Operador,
    por: Usuario,
    tipo: str,
    fecha: date,
    lineas: list[dict],
    declaracion: dict | None = None,
    cesionario: Operador | None = None,
    observaciones: str = "",
    archivos: Iterable[UploadedFile] = (),
    perdida_fuerza_mayor: bool = False,
) -> AnexoCompensatorio:
    """File an anexo. Its lines must be dischargeable now (the same dry run the form shows); nothing is
    debited until it is accepted and applied. A late anexo (past `ANEXO_PLAZO_DIAS_HABILES` business days from
    its declaration's date) is refused (ADR 0011)."""
    exigir_actuar_por(por, operador)
    archivos = list(archivos)
    errores: dict[str, list[str]] = {}
    if tipo not in T.values:
        raise DatosInvalidos({"tipo": [f"«{tipo}» no es un tipo de compensación."]})
    hoy = timezone.localdate()
    if fecha is None or fecha > hoy:
        errores["fecha"] = ["La fecha de la compensación no puede ser futura."]
    decl = None
    if tipo == T.CESION:
        if cesionario is None:
            errores["cesionario"] = ["Indique el RUC del operador que recibe la cesión."]
        elif cesionario.pk == operador.pk:
            errores["cesionario"] = ["No puede ceder a su propio operador."]
        elif cesionario.estado != Operador.Estado.HABILITADO:
            errores["cesionario"] = [f"El cesionario {cesionario.razon_social} no está habilitado por SENAE."]
        elif not SolicitudAutorizacion.objects.filter(operador=cesionario, estado__in=SolicitudAutorizacion.VIGENTES).exists():
            errores["cesionario"] = [f"{cesionario.razon_social} no tiene una autorización de régimen 21 vigente."]
    else:
        datos = declaracion or {}
        decl = DeclaracionCompensatoria(
            operador=operador, tipo=AnexoCompensatorio.DECLARACION[tipo], numero=(datos.get("numero") or "").strip(),
            fecha=datos.get("fecha"),
        )  # fmt: skip
        try:
            decl.full_clean()
        except ValidationError as e:
            for campo, mensajes in e.message_dict.items():
                errores[f"declaracion.{campo}"] = list(mensajes)
        if decl.fecha and decl.fecha > hoy:
            errores["declaracion.fecha"] = ["La declaración no puede tener fecha futura."]
        elif decl.fecha and (hasta := presentar_hasta(decl)) is not None and hasta < hoy:
            errores["declaracion.fecha"] = [
                f"La declaración se aceptó el {decl.fecha:%d/%m/%Y}: su anexo debía registrarse hasta el {hasta:%d/%m/%Y} "
                f"({plazo_presentacion()} días hábiles). Fuera de ese plazo el anexo no se registra: pida a SENAE la "
                "regularización del saldo."
            ]
    if perdida_fuerza_mayor and tipo != T.PERDIDA:
        errores["perdida_fuerza_mayor"] = ["Solo una pérdida o destrucción (DAI 87) se declara por fuerza mayor."]
    if tipo in AnexoCompensatorio.EXIGE_EVIDENCIA and not archivos:
        errores["adjuntos"] = ["Adjunte la evidencia: acta de destrucción o de pérdida, fotos, informe del perito."]
    resueltas, errores_lineas = resolver_lineas(operador=operador, tipo=tipo, fecha=fecha or hoy, lineas=lineas)
    errores.update(errores_lineas)
    if errores:
        raise DatosInvalidos(errores)
    plan = _plan(operador, tipo, fecha, resueltas, fecha_declaracion=decl.fecha if decl else None)
    if not plan.valido:
        raise DatosInvalidos(plan.errores)
    if decl is not None:
        decl.save()
    anexo = AnexoCompensatorio.objects.create(
        operador=operador, tipo=tipo, fecha=fecha, declaracion=decl, cesionario=cesionario,
        perdida_fuerza_mayor=perdida_fuerza_mayor,
        observaciones=(observaciones or "").strip(), creado_por=por, registrado_en=timezone.now(),
        numero=formatear("AC21", hoy.year, siguiente_numero(f"AC21-{hoy.year}")),
    )  # fmt: skip
    _guardar_lineas(anexo, resueltas)
    adjuntos_guardar(objeto=anexo, archivos=archivos, por=por, descripcion="Evidencia del anexo compensatorio")
    if tipo == T.CESION:
        # The transferee accepts on the calendar of its own customs district (ADR 0012).
        aceptar_hasta = sumar_dias_habiles(hoy, dias_aceptacion_cesion(), distrito=cesionario.distrito_id)
        t = transicionar(anexo, "ceder", por=por, aceptar_hasta=aceptar_hasta)
        notificar(
            usuarios=usuarios_de_operador(operador_id=cesionario.pk, incluir_agentes=True),
            asunto=f"Cesión de titularidad {anexo.numero} por aceptar",
            mensaje=f"{operador.razon_social} le cede saldos del régimen 21. Acéptela o recházela hasta el "
            f"{anexo.aceptar_hasta:%d/%m/%Y}; después caduca.",
            enlace=anexo.get_absolute_url(),
        )
    else:
        t = transicionar(anexo, "registrar", por=por)
        avisar_transicion(anexo, t)  # SENAE verifies the declaration (a transfer waits for the cesionario instead)
    return anexo


def _guardar_lineas(anexo: AnexoCompensatorio, resueltas: list[LineaResuelta], correccion: CorreccionAnexo | None = None) -> None:
    LineaAnexo.objects.bulk_create(
        LineaAnexo(
            anexo=anexo,
            correccion=correccion,
            numero=li.indice + 1,
            producto=li.producto,
            insumo=li.insumo,
            cantidad=li.cantidad,
            version=li.version,
            lotes=li.lotes,
            desperdicio=li.desperdicio,
            valor_declarado=li.valor_declarado,
        )  # fmt: skip
        for li in resueltas
    )


def _plan(
    operador, tipo, fecha, resueltas, *, bloquear_lotes=False, extra=None, fecha_declaracion=None, fuerza_mayor=False
) -> Plan:
    candidatos = lotes_candidatos(
        operador=operador, lineas=resueltas, tipo=tipo, fecha=fecha, fecha_declaracion=fecha_declaracion
    )
    if extra:  # a correction may draw again on lots its own debits emptied
        candidatos = candidatos | SaldoInsumo.objects.filter(pk__in=list(extra)).select_related(
            "insumo", "linea__dai", "lote_origen"
        )
    # When applying, lock in id order (so concurrent anexos never deadlock) and plan on the locked balances.
    lotes = list(candidatos.select_for_update(of=("self",)).order_by("pk")) if bloquear_lotes else list(candidatos)
    return planificar(
        operador=operador, tipo=tipo, fecha=fecha, lineas=resueltas, lotes=lotes, extra=extra,
        fecha_declaracion=fecha_declaracion, fuerza_mayor=fuerza_mayor,
    )  # fmt: skip


def _plan_del_anexo(anexo: AnexoCompensatorio, resueltas, **kwargs) -> Plan:
    return _plan(
        anexo.operador, anexo.tipo, anexo.fecha, resueltas,
        fecha_declaracion=anexo.declaracion.fecha if anexo.declaracion_id else None,
        fuerza_mayor=anexo.perdida_fuerza_mayor, **kwargs,
    )  # fmt: skip


def lineas_vigentes(anexo: AnexoCompensatorio) -> list[LineaAnexo]:
    """The anexo's current lines: those of its last approved correction, else its own."""
    ultima = anexo.correcciones.filter(estado=CorreccionAnexo.Estado.APROBADA).order_by("-numero").first()
    qs = LineaAnexo.objects.filter(anexo=anexo, correccion=ultima).select_related("producto", "insumo", "version")
    return list(qs.order_by("numero"))


def _como_resueltas(lineas: list[LineaAnexo], tipo: str) -> list[LineaResuelta]:
    resueltas = []
    for li in lineas:
        r = LineaResuelta(li.numero - 1, li.producto, li.insumo, li.cantidad, li.version, list(li.lotes))
        r.desperdicio, r.valor_declarado = li.desperdicio, li.valor_declarado
        if li.version_id:  # the version recorded when filed, never the one in force today
            explotar(r, li.version.coeficientes.all(), tipo)
        else:
            r.requerido[li.insumo_id] = li.cantidad
        r.registro = li
        resueltas.append(r)
    return resueltas


# --- Application --------------------------------------------------------------------------------------------


def _aplicar(anexo: AnexoCompensatorio, *, por: Usuario | None, correccion: CorreccionAnexo | None = None, extra=None) -> Plan:
    """Debit the anexo's current lines from the locked lots (and credit the cesionario for a transfer)."""
    lineas = LineaAnexo.objects.filter(anexo=anexo, correccion=correccion).select_related("producto", "insumo", "version")
    resueltas = _como_resueltas(list(lineas.order_by("numero")), anexo.tipo)
    plan = _plan_del_anexo(anexo, resueltas, bloquear_lotes=True, extra=extra)
    if not plan.valido:
        raise SaldoInsuficiente(plan.errores)
    registros = {r.indice: r.registro for r in resueltas}
    tipo = MovimientoInsumo.Tipo.CESION_SALIDA if anexo.tipo == T.CESION else MovimientoInsumo.Tipo.DESCARGO
    destino = f" a {anexo.cesionario.razon_social}" if anexo.tipo == T.CESION else ""
    for tramo in plan.tramos:
        saldos.mover(
            lote_id=tramo.lote.pk, cantidad=-tramo.cantidad, tipo=tipo, por=por, anexo=anexo, correccion=correccion,
            linea_anexo=registros[tramo.linea],
            descripcion=f"{AnexoCompensatorio.Tipo(anexo.tipo).label} — anexo {anexo.numero}{destino}",
        )  # fmt: skip
    if anexo.tipo == T.CESION:
        _acreditar_cesionario(anexo, plan, por=por)
    _acreditar_desperdicio(anexo, [t for t in plan.tramos if t.genera > 0], registros, por=por, correccion=correccion)
    if anexo.tipo in AnexoCompensatorio.LIQUIDA_TRIBUTOS:
        LiquidacionNacionalizacion.objects.bulk_create(
            LiquidacionNacionalizacion(
                anexo=anexo,
                correccion=correccion,
                saldo=li.lote,
                cantidad=li.cantidad,
                cif=li.cif,
                ad_valorem=li.ad_valorem,
                fodinfa=li.fodinfa,
                ice=li.ice,
                iva=li.iva,
                interes=li.interes,
                dias_interes=li.dias_interes,
                desperdicio=li.desperdicio,
                total=li.total,
            )  # fmt: skip
            for li in plan.liquidaciones
        )
        anexo.total_tributos = plan.total_tributos
        anexo.save(update_fields=["total_tributos"])
    _cerrar_o_reabrir_dais({t.lote.linea.dai_id for t in plan.tramos})
    return plan


def _acreditar_desperdicio(
    anexo: AnexoCompensatorio, tramos: list[Tramo], registros: dict, *, por: Usuario | None, correccion=None
) -> None:
    """The recoverable waste the compensated products left becomes waste stock: one lot per input lot drawn, of
    the same input, DAI line, guarantee, taxes per unit and term, produced on the declaration's date."""
    producido = anexo.declaracion.fecha if anexo.declaracion_id else anexo.fecha
    ahora = timezone.now()
    for tramo in tramos:
        origen = tramo.lote
        lote = SaldoInsumo.objects.create(
            operador_id=anexo.operador_id, insumo_id=origen.insumo_id, linea_id=origen.linea_id,
            origen=SaldoInsumo.Origen.DESPERDICIO, lote_origen=origen, garantia_id=origen.garantia_id,
            cantidad_inicial=tramo.genera, saldo=tramo.genera, impuestos_por_unidad=origen.impuestos_por_unidad,
            fecha_ingreso=producido, vence_el=origen.vence_el,
        )  # fmt: skip
        MovimientoInsumo.objects.create(
            saldo=lote, tipo=MovimientoInsumo.Tipo.DESPERDICIO, cantidad=tramo.genera, saldo_resultante=tramo.genera,
            anexo=anexo, linea_anexo=registros[tramo.linea], correccion=correccion, por=por, en=ahora,
            descripcion=f"Desperdicio recuperable de la producción — anexo {anexo.numero}",
        )  # fmt: skip


def _acreditar_cesionario(anexo: AnexoCompensatorio, plan: Plan, *, por: Usuario | None) -> None:
    """The transferred balance becomes the cesionario's lots, each mapped to its own input code with the same
    subheading and unit, keeping the original term; its guarantee must cover the transferred taxes."""
    propios: dict[tuple[str, str], CodigoInsumo] = {}
    for insumo in CodigoInsumo.objects.filter(operador_id=anexo.cesionario_id, estado=CodigoInsumo.Estado.VIGENTE).order_by(
        "codigo"
    ):
        propios.setdefault((insumo.subpartida, insumo.unidad), insumo)
    faltan = sorted(
        {f"{t.lote.insumo.subpartida} ({t.lote.insumo.unidad})" for t in plan.tramos} - {f"{s} ({u})" for s, u in propios}
    )
    if faltan:
        raise CesionNoAceptable(
            motivo="Antes de aceptar, registre y haga aprobar códigos de insumo con estas subpartidas y unidades: "
            + ", ".join(faltan)
            + "."
        )
    garantia = bloquear(Garantia, anexo.garantia_cesionario_id)
    transferido = sum((t.cantidad * t.lote.impuestos_por_unidad for t in plan.tramos), Decimal(0)).quantize(Decimal("0.01"))
    libre = garantia.monto - garantia_exposicion(garantia_id=garantia.pk)
    if transferido > libre:
        raise CesionNoAceptable(
            motivo=f"La garantía {garantia} tiene USD {max(libre, Decimal(0)):,.2f} libres y la cesión transfiere "
            f"USD {transferido:,.2f} en tributos suspendidos."
        )
    ahora = timezone.now()
    for tramo in plan.tramos:
        origen = tramo.lote
        lote = SaldoInsumo.objects.create(
            operador_id=anexo.cesionario_id, insumo=propios[(origen.insumo.subpartida, origen.insumo.unidad)], linea=origen.linea,
            origen=SaldoInsumo.Origen.CESION, garantia=garantia, cantidad_inicial=tramo.cantidad, saldo=tramo.cantidad,
            impuestos_por_unidad=origen.impuestos_por_unidad, fecha_ingreso=origen.fecha_ingreso, vence_el=origen.vence_el,
        )  # fmt: skip
        MovimientoInsumo.objects.create(
            saldo=lote, tipo=MovimientoInsumo.Tipo.CESION_ENTRADA, cantidad=tramo.cantidad, saldo_resultante=tramo.cantidad,
            anexo=anexo, descripcion=f"Cesión de titularidad de {anexo.operador.razon_social} — anexo {anexo.numero}",
            por=por, en=ahora,
        )  # fmt: skip


def _cerrar_o_reabrir_dais(dai_ids: set[int]) -> None:
    """A DAI whose lots (its own and those passed on by cesión) are all at zero is closed as compensated; a
    correction that gives balance back reopens it."""
    for dai in DAI.objects.select_for_update().filter(pk__in=dai_ids).order_by("pk"):
        abierto = SaldoInsumo.objects.filter(linea__dai=dai, saldo__gt=0).exists()
        if not abierto and dai.estado in DAI.ABIERTAS:
            transicionar(dai, "cerrar_compensada", por=None, comentario="Todos sus saldos quedaron en cero.")
        elif abierto and dai.estado == DAI.Estado.COMPENSADA:
            transicionar(dai, "reabrir", por=None, comentario="Una corrección de anexo devolvió saldo.")


# --- Transitions -------------------------------------------------------------------------------------------------


@transaction.atomic
def anexo_transicionar(*, anexo_id: int, accion: str, por: Usuario | None, comentario: str = "", **datos) -> AnexoCompensatorio:
    """aceptar (SENAE, non-transfer kinds) and aceptar_cesion (the cesionario, choosing its guarantee) apply the
    anexo at once; rechazar, rechazar_cesion, anular, caducar; aprobar_correccion, rechazar_correccion."""
    anexo = bloquear(AnexoCompensatorio, anexo_id)
    verificar_transicion(anexo, accion, por=por, comentario=comentario)
    kwargs = {}
    if accion == "aceptar_cesion":
        kwargs["garantia"] = _garantia_del_cesionario(anexo, datos.get("garantia"))
    t = transicionar(anexo, accion, por=por, comentario=comentario, **kwargs)
    if accion in ("aceptar", "aceptar_cesion"):
        _aplicar(anexo, por=por)
        transicionar(anexo, "aplicar", por=None)
    elif accion in ("aprobar_correccion", "rechazar_correccion"):
        correccion = anexo.correcciones.get(estado=CorreccionAnexo.Estado.SOLICITADA)
        if accion == "aprobar_correccion":
            _corregir(anexo, correccion, por=por)
        correccion.estado = (
            CorreccionAnexo.Estado.APROBADA if accion == "aprobar_correccion" else CorreccionAnexo.Estado.RECHAZADA
        )
        correccion.resuelta_por, correccion.resuelta_en = por, timezone.now()
        correccion.save(update_fields=["estado", "resuelta_por", "resuelta_en"])
    if accion not in ("aceptar_cesion", "rechazar_cesion"):
        avisar_transicion(anexo, t)
    if accion in ("aceptar_cesion", "rechazar_cesion"):
        notificar(
            usuarios=usuarios_de_operador(operador_id=anexo.operador_id, incluir_agentes=True),
            asunto=f"Cesión {anexo.numero}: {anexo.get_estado_display()}",
            mensaje=f"{anexo.cesionario.razon_social} {'aceptó' if accion == 'aceptar_cesion' else 'rechazó'} la cesión. "
            f"{comentario}".strip(),
            enlace=anexo.get_absolute_url(),
        )
    return anexo


def _garantia_del_cesionario(anexo: AnexoCompensatorio, ref) -> Garantia:
    garantia = ref if isinstance(ref, Garantia) else Garantia.objects.filter(pk=ref).first() if str(ref or "").isdigit() else None
    if garantia is None and ref:
        garantia = Garantia.objects.filter(numero=str(ref)).first()
    hoy = timezone.localdate()
    if garantia is None or garantia.operador_id != anexo.cesionario_id:
        raise DatosInvalidos({"garantia": ["Elija una garantía de su operador para respaldar los saldos que recibe."]})
    if not garantia.cubre_al(hoy):
        raise DatosInvalidos({"garantia": [f"La garantía {garantia} no está vigente ({garantia.get_estado_display()})."]})
    return garantia


# --- Corrections --------------------------------------------------------------------------------------------


@transaction.atomic
def anexo_solicitar_correccion(*, anexo_id: int, por: Usuario, motivo: str, lineas: list[dict]) -> AnexoCompensatorio:
    """The operator proposes corrected lines; they must be dischargeable counting the balance the anexo's
    current debits would give back."""
    anexo = bloquear(AnexoCompensatorio, anexo_id)
    verificar_transicion(anexo, "solicitar_correccion", por=por, comentario=motivo)
    resueltas, errores = resolver_lineas(operador=anexo.operador, tipo=anexo.tipo, fecha=anexo.fecha, lineas=lineas)
    if errores:
        raise DatosInvalidos(errores)
    _exigir_desperdicio_intacto(anexo)
    plan = _plan_del_anexo(anexo, resueltas, extra=_debitos_vigentes(anexo))
    if not plan.valido:
        raise DatosInvalidos(plan.errores)
    numero = anexo.correcciones.count() + 1
    correccion = CorreccionAnexo.objects.create(anexo=anexo, numero=numero, motivo=motivo.strip(), solicitada_por=por)
    _guardar_lineas(anexo, resueltas, correccion)
    t = transicionar(anexo, "solicitar_correccion", por=por, comentario=motivo)
    avisar_transicion(anexo, t)
    return anexo


def _debitos_vigentes(anexo: AnexoCompensatorio) -> dict[int, Decimal]:
    """Quantity per lot currently debited by the anexo (debits not reversed yet)."""
    cantidades: dict[int, Decimal] = defaultdict(Decimal)
    for m in MovimientoInsumo.objects.filter(anexo=anexo, tipo=MovimientoInsumo.Tipo.DESCARGO, reverso__isnull=True):
        cantidades[m.saldo_id] += -m.cantidad
    return dict(cantidades)


class DesperdicioYaDispuesto(ErrorDeNegocio):
    code = "desperdicio_ya_dispuesto"
    http_status = 409
    plantilla = (
        "El desperdicio que dejó este anexo ya se destruyó, nacionalizó o reexportó en parte ({anexos}): corrija "
        "primero esos anexos."
    )


def _desperdicio_vigente(anexo: AnexoCompensatorio) -> QuerySet[MovimientoInsumo]:
    """The waste credits of the anexo's current lines (not reversed yet), with their lots."""
    qs = MovimientoInsumo.objects.filter(anexo=anexo, tipo=MovimientoInsumo.Tipo.DESPERDICIO, reverso__isnull=True)
    return qs.select_related("saldo").order_by("pk")


def _exigir_desperdicio_intacto(anexo: AnexoCompensatorio, creditos: list[MovimientoInsumo] | None = None) -> None:
    """A correction reverses the waste the anexo left; it cannot once that waste was disposed of."""
    creditos = list(_desperdicio_vigente(anexo)) if creditos is None else creditos
    usados = [m.saldo_id for m in creditos if m.saldo.saldo < m.cantidad]
    if usados:
        numeros = (
            AnexoCompensatorio.objects.filter(movimientos__saldo_id__in=usados, movimientos__tipo=MovimientoInsumo.Tipo.DESCARGO)
            .exclude(pk=anexo.pk)
            .values_list("numero", flat=True)
            .distinct()
        )
        raise DesperdicioYaDispuesto(anexos=", ".join(sorted(numeros)) or "otro anexo")


def _corregir(anexo: AnexoCompensatorio, correccion: CorreccionAnexo, *, por: Usuario | None) -> None:
    """Reversal of every current debit and of the waste stock it left, then the corrected lines' debits (and
    waste) — all kept in the ledger."""
    devueltos = _debitos_vigentes(anexo)
    # One locking pass in id order over the lots debited and the waste lots left (never two: no deadlocks).
    saldos.bloquear_lotes({*devueltos, *_desperdicio_vigente(anexo).values_list("saldo_id", flat=True)})
    desperdicio = list(_desperdicio_vigente(anexo))
    _exigir_desperdicio_intacto(anexo, desperdicio)
    for m in desperdicio:
        saldos.mover(
            lote_id=m.saldo_id, cantidad=-m.cantidad, tipo=MovimientoInsumo.Tipo.REVERSO, por=por, anexo=anexo,
            correccion=correccion, revierte=m,
            descripcion=f"Reverso del desperdicio por la corrección {correccion.numero} del anexo {anexo.numero}",
        )  # fmt: skip
    for m in MovimientoInsumo.objects.filter(anexo=anexo, tipo=MovimientoInsumo.Tipo.DESCARGO, reverso__isnull=True).order_by(
        "pk"
    ):
        saldos.mover(
            lote_id=m.saldo_id, cantidad=-m.cantidad, tipo=MovimientoInsumo.Tipo.REVERSO, por=por, anexo=anexo,
            correccion=correccion, revierte=m,
            descripcion=f"Reverso por la corrección {correccion.numero} del anexo {anexo.numero}",
        )  # fmt: skip
    _aplicar(anexo, por=por, correccion=correccion)
    _cerrar_o_reabrir_dais(set(SaldoInsumo.objects.filter(pk__in=devueltos).values_list("linea__dai_id", flat=True)))


# --- Periodic job ---------------------------------------------------------------------------------------------


def cesiones_caducar(*, hoy: date | None = None) -> int:
    """Transfers not accepted within their term lapse (each in its own transaction; safe to re-run)."""
    hoy = hoy or timezone.localdate()
    n = 0
    for pk in AnexoCompensatorio.objects.filter(estado=E.PENDIENTE_ACEPTACION, aceptar_hasta__lt=hoy).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            anexo = bloquear(AnexoCompensatorio, pk)
            if anexo.estado != E.PENDIENTE_ACEPTACION:
                continue
            t = transicionar(anexo, "caducar", por=None, comentario=f"No fue aceptada hasta el {anexo.aceptar_hasta:%d/%m/%Y}.")
            avisar_transicion(anexo, t)
            n += 1
    return n


def exigir_cesionario(usuario: Usuario, anexo: AnexoCompensatorio) -> None:
    from tramites.selectors import puede_actuar_por_operador

    if not puede_actuar_por_operador(usuario, anexo.cesionario_id):
        raise PermisoDenegado()
