"""DAI under régimen 21: the customs agent files it (draft or straight transmission); transmission validates
everything, liquidates the suspended taxes, numbers it and assigns the inspection channel; Aforo examines it
(observe → the agent corrects, or authorise release); release credits the input ledger."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tramites import roles
from tramites.calendario import sumar_meses
from tramites.exceptions import DatosInvalidos, EdicionNoPermitida, ErrorDeNegocio, PermisoDenegado
from tramites.fsm import transicionar, verificar_transicion
from tramites.models import Distrito, Operador, Usuario
from tramites.numeracion import siguiente_numero
from tramites.numeros import NumeroInvalido, a_decimal
from tramites.selectors import puede_actuar_por_operador, usuarios_de_operador
from tramites.services import exigir_operador_habilitado, notificar

from ..models import DAI, CodigoInsumo, Garantia, LineaDAI, ReglaCanal, SolicitudAutorizacion, TarifaArancelaria, TasasGenerales
from ..selectors import garantia_exposicion
from . import saldos
from .comun import bloquear, enlace_admin, validar_modelo
from .tributos import liquidar


class ValidacionTransmision(DatosInvalidos):
    code = "validacion_transmision"
    plantilla = "La DAI no pasó las validaciones de transmisión: revise cada campo indicado."


class ConfiguracionIncompleta(ErrorDeNegocio):
    code = "configuracion_incompleta"
    http_status = 409
    plantilla = "{motivo}"


# A reference to another operator's record is answered like one that does not exist (issue 15.8): the API's
# serializer (records out of the user's scope) and the services (records of another operator the user sees, e.g.
# an agency's other client) use these same messages.
AUTORIZACION_NO_ENCONTRADA = "No existe la autorización «{value}» de este operador."
GARANTIA_NO_ENCONTRADA = "No existe la garantía «{value}» de este operador."

CAMPOS_LINEA = ("insumo", "subpartida", "descripcion", "pais_origen", "cantidad", "unidad", "fob", "flete", "seguro")


def _exigir_agente(usuario: Usuario, operador: Operador) -> None:
    if not usuario.agente_id or not puede_actuar_por_operador(usuario, operador.pk):
        raise PermisoDenegado("Solo un agente de aduana con delegación vigente del operador transmite su DAI.")
    exigir_operador_habilitado(operador)


def _decimal(valor, clave: str, errores: dict, *, obligatorio: bool = True) -> Decimal | None:
    if valor in (None, ""):
        if obligatorio:
            errores[clave] = ["Este dato es obligatorio."]
        return None
    try:
        numero = a_decimal(valor)
    except NumeroInvalido as e:
        errores[clave] = [str(e)]
        return None
    if not numero.is_finite():
        errores[clave] = [f"«{valor}» no es un número."]
        return None
    return numero


def _exigir_referencias_propias(dai: DAI) -> None:
    """Even a draft may reference only its own operator's authorisation and guarantee."""
    errores: dict[str, list[str]] = {}
    if dai.autorizacion_id and dai.autorizacion.operador_id != dai.operador_id:
        errores["autorizacion"] = [AUTORIZACION_NO_ENCONTRADA.format(value=dai.autorizacion.numero_autorizacion)]
    if dai.garantia_id and dai.garantia.operador_id != dai.operador_id:
        errores["garantia"] = [GARANTIA_NO_ENCONTRADA.format(value=dai.garantia.numero)]
    if errores:
        raise DatosInvalidos(errores)


def _guardar_lineas(dai: DAI, lineas: list[dict]) -> None:
    """Replace the declaration's lines. Shape errors come back per field as `lineas.<i>.<campo>`."""
    errores: dict[str, list[str]] = {}
    if not lineas:
        errores["lineas"] = ["La DAI tiene al menos un ítem."]
    insumos = {i.pk: i for i in CodigoInsumo.objects.filter(operador_id=dai.operador_id)}
    por_codigo = {i.codigo: i for i in insumos.values()}
    nuevas = []
    for i, datos in enumerate(lineas):
        clave = f"lineas.{i}"
        ref = datos.get("insumo")
        insumo = ref if isinstance(ref, CodigoInsumo) else insumos.get(ref) or por_codigo.get(str(ref or "").strip().upper())
        if insumo is None or insumo.operador_id != dai.operador_id:
            errores[f"{clave}.insumo"] = [f"Ítem {i + 1}: «{ref}» no es un código de insumo del operador."]
        numeros = {
            c: _decimal(datos.get(c), f"{clave}.{c}", errores, obligatorio=c in ("cantidad", "fob"))
            for c in ("cantidad", "fob", "flete", "seguro")
        }
        for campo, minimo in (("cantidad", 0), ("fob", 0)):
            if numeros[campo] is not None and numeros[campo] <= minimo:
                errores[f"{clave}.{campo}"] = [f"Ítem {i + 1}: debe ser mayor que cero."]
        for campo in ("flete", "seguro"):
            if numeros[campo] is not None and numeros[campo] < 0:
                errores[f"{clave}.{campo}"] = [f"Ítem {i + 1}: no puede ser negativo."]
        linea = LineaDAI(
            dai=dai,
            numero=i + 1,
            insumo=insumo,
            subpartida=str(datos.get("subpartida") or "").replace(".", "").strip(),
            descripcion=(datos.get("descripcion") or "").strip() or (insumo.descripcion if insumo else ""),
            pais_origen=str(datos.get("pais_origen") or "").strip().upper(),
            cantidad=numeros["cantidad"] or Decimal(0),
            unidad=datos.get("unidad") or (insumo.unidad if insumo else ""),
            fob=numeros["fob"] or Decimal(0),
            flete=numeros["flete"] or Decimal(0),
            seguro=numeros["seguro"],
        )
        try:
            linea.full_clean(exclude=["dai", "insumo", *numeros], validate_constraints=False)
        except Exception as e:  # noqa: BLE001 - Django ValidationError with per-field messages
            for campo, mensajes in getattr(e, "message_dict", {}).items():
                errores.setdefault(f"{clave}.{campo}", []).extend(f"Ítem {i + 1}: {m}" for m in mensajes)
        if len(linea.pais_origen) != 2 or not linea.pais_origen.isalpha():
            errores[f"{clave}.pais_origen"] = [f"Ítem {i + 1}: use el código ISO de 2 letras del país (p. ej. CN, CO, US)."]
        nuevas.append(linea)
    if errores:
        raise DatosInvalidos(errores)
    dai.lineas.all().delete()
    LineaDAI.objects.bulk_create(nuevas)


def _liquidar_y_validar(dai: DAI, garantia: Garantia) -> None:
    """Everything transmission checks, all at once, so the agent gets every error in one answer."""
    hoy = timezone.localdate()
    errores: dict[str, list[str]] = {}
    aut: SolicitudAutorizacion = dai.autorizacion
    if aut.operador_id != dai.operador_id:
        errores["autorizacion"] = [AUTORIZACION_NO_ENCONTRADA.format(value=aut.numero_autorizacion)]
    elif aut.estado not in SolicitudAutorizacion.VIGENTES:
        errores["autorizacion"] = [f"La autorización {aut} está «{aut.get_estado_display()}»: no admite nuevas DAI 21."]
    elif not aut.vigente_al(hoy):
        errores["autorizacion"] = [
            f"La autorización {aut} rige del {aut.vigencia_desde:%d/%m/%Y} al {aut.vigencia_hasta:%d/%m/%Y}."
        ]
    if garantia.operador_id != dai.operador_id:
        errores["garantia"] = [GARANTIA_NO_ENCONTRADA.format(value=garantia.numero)]
    elif garantia.estado not in Garantia.QUE_CUBREN:
        errores["garantia"] = [f"La garantía {garantia} está «{garantia.get_estado_display()}»: no cubre nuevas DAI 21."]
    elif not garantia.cubre_al(hoy):
        errores["garantia"] = [f"La garantía {garantia} venció el {garantia.vigencia_hasta:%d/%m/%Y} (o aún no rige)."]
    elif garantia.tipo == Garantia.Tipo.ESPECIFICA and (
        DAI.objects.filter(garantia=garantia)
        .exclude(pk=dai.pk)
        .exclude(estado__in=[DAI.Estado.BORRADOR, DAI.Estado.ANULADA])
        .exists()
    ):
        errores["garantia"] = [f"La garantía específica {garantia} ya cubre otra DAI."]
    if not dai.distrito.activo:
        errores["distrito"] = [f"El distrito {dai.distrito} no está activo."]
    tasas = TasasGenerales.en_vigor(hoy)
    if tasas is None:
        raise ConfiguracionIncompleta(
            motivo="SENAE no ha configurado las tasas generales (FODINFA, IVA) vigentes; intente más tarde."
        )
    lineas = list(dai.lineas.select_related("insumo").order_by("numero"))
    tarifas = {t.subpartida: t for t in TarifaArancelaria.objects.filter(subpartida__in={li.subpartida for li in lineas})}
    for i, linea in enumerate(lineas):
        clave, n, insumo = f"lineas.{i}", i + 1, linea.insumo
        if insumo.estado != CodigoInsumo.Estado.VIGENTE:
            errores[f"{clave}.insumo"] = [f"Ítem {n}: el código de insumo {insumo.codigo} está «{insumo.get_estado_display()}»."]
        if linea.subpartida != insumo.subpartida:
            errores[f"{clave}.subpartida"] = [
                f"Ítem {n}: la subpartida {linea.subpartida} no coincide con la del insumo {insumo.codigo} ({insumo.subpartida})."
            ]
        elif linea.subpartida not in tarifas:
            errores[f"{clave}.subpartida"] = [f"Ítem {n}: la subpartida {linea.subpartida} no está en el arancel configurado."]
        if linea.unidad != insumo.unidad:
            errores[f"{clave}.unidad"] = [f"Ítem {n}: el insumo {insumo.codigo} se declara en {insumo.get_unidad_display()}."]
        tarifa = tarifas.get(linea.subpartida)
        if tarifa is None:
            continue
        liquidacion = liquidar(
            fob=linea.fob,
            flete=linea.flete,
            seguro=linea.seguro,
            tasa_ad_valorem=tarifa.ad_valorem,
            tasa_ice=tarifa.ice,
            tasa_fodinfa=tasas.fodinfa,
            tasa_iva=tasas.iva,
            tasa_seguro_presuntivo=tasas.seguro_presuntivo,
        )
        linea.seguro_liquidado = liquidacion.seguro
        for campo in ("cif", "tasa_ad_valorem", "ad_valorem", "fodinfa", "ice", "iva"):
            setattr(linea, campo, getattr(liquidacion, campo))
        linea.total_suspendido = liquidacion.total
    if errores:
        raise ValidacionTransmision(errores)
    LineaDAI.objects.bulk_update(
        lineas, ["seguro_liquidado", "cif", "tasa_ad_valorem", "ad_valorem", "fodinfa", "ice", "iva", "total_suspendido"]
    )
    dai.total_fob = sum((li.fob for li in lineas), Decimal(0))
    dai.total_cif = sum((li.cif for li in lineas), Decimal(0))
    dai.total_suspendido = sum((li.total_suspendido for li in lineas), Decimal(0))
    disponible = garantia.monto - garantia_exposicion(garantia_id=garantia.pk, excluir_dai_id=dai.pk)
    if dai.total_suspendido > disponible:
        raise ValidacionTransmision(
            {
                "garantia": [
                    f"Cobertura libre insuficiente en la garantía {garantia}: disponible USD {max(disponible, Decimal(0)):,.2f}, "
                    f"la DAI suspende USD {dai.total_suspendido:,.2f}. Solicite aumentar el monto o use otra garantía."
                ]
            }
        )


def _canal(dai: DAI) -> tuple[str, ReglaCanal | None]:
    lineas = list(dai.lineas.all())
    datos = {
        "operador_id": dai.operador_id,
        "subpartidas": [li.subpartida for li in lineas],
        "paises": [li.pais_origen for li in lineas],
        "cif": dai.total_cif,
        "numero": dai.numero or "",
    }
    for regla in ReglaCanal.objects.filter(activa=True).order_by("prioridad", "pk"):
        if regla.aplica(**datos):
            return regla.canal, regla
    return settings.AFORO_CANAL_POR_OMISION, None


def _plazo(desde) -> dict:
    return {"salida_en": timezone.now(), "vence_el": sumar_meses(desde, settings.DAI_PLAZO_MESES) - timedelta(days=1)}


def _avisar(dai: DAI, asunto: str, mensaje: str, *, aforo: bool = False) -> None:
    if aforo:
        notificar(
            usuarios=Usuario.objects.filter(is_staff=True, is_active=True, groups__name=roles.AFORO).distinct(),
            asunto=asunto,
            mensaje=mensaje,
            enlace=enlace_admin(dai),
        )
    else:
        notificar(
            usuarios=usuarios_de_operador(operador_id=dai.operador_id, incluir_agentes=True),
            asunto=asunto,
            mensaje=mensaje,
            enlace=dai.get_absolute_url(),
        )


@transaction.atomic
def dai_crear(
    *,
    operador: Operador,
    por: Usuario,
    distrito: Distrito,
    autorizacion: SolicitudAutorizacion,
    garantia: Garantia,
    documento_transporte: str,
    lineas: list[dict],
    transmitir: bool = True,
) -> DAI:
    """The agent files a DAI 21 for a delegating operator; by default it is transmitted at once (and if it does
    not pass validation, nothing is saved)."""
    _exigir_agente(por, operador)
    dai = DAI(
        operador=operador,
        agente_id=por.agente_id,
        distrito=distrito,
        autorizacion=autorizacion,
        garantia=garantia,
        documento_transporte=(documento_transporte or "").strip(),
        creada_por=por,
    )
    _exigir_referencias_propias(dai)
    validar_modelo(dai, excluir=["numero", "canal"])
    dai.save()
    _guardar_lineas(dai, lineas)
    if transmitir:
        return _transmitir(bloquear(DAI, dai.pk), por=por)
    return dai


@transaction.atomic
def dai_actualizar(*, dai_id: int, por: Usuario, lineas: list[dict] | None = None, transmitir: bool = False, **cabecera) -> DAI:
    """Edit a draft (and with `transmitir=True` transmit it in the same transaction), or edit a DAI observed in
    aforo before `dai_corregir` sends it back (its number stays)."""
    dai = bloquear(DAI, dai_id)
    if dai.estado not in (DAI.Estado.BORRADOR, DAI.Estado.OBSERVADA):
        raise EdicionNoPermitida(
            f"La DAI está «{dai.get_estado_display()}»: solo se editan borradores y DAI observadas en aforo.",
            registro=str(dai),
            estado=dai.get_estado_display(),
        )
    if not agente_de(dai, por):
        raise PermisoDenegado("Solo la agencia que transmitió la DAI la corrige.")
    for campo in ("distrito", "autorizacion", "garantia", "documento_transporte"):
        if campo in cabecera and (dai.estado == DAI.Estado.BORRADOR or campo == "documento_transporte"):
            setattr(dai, campo, cabecera[campo])
    _exigir_referencias_propias(dai)
    validar_modelo(dai, excluir=["numero", "canal"])
    dai.save()
    if lineas is not None:
        _guardar_lineas(dai, lineas)
    if transmitir:
        return _transmitir(dai, por=por)
    return dai


def agente_de(dai: DAI, usuario: Usuario) -> bool:
    from ..models.dai import agente_que_transmitio

    return agente_que_transmitio(dai, usuario)


def _transmitir(dai: DAI, *, por: Usuario) -> DAI:
    """Transmission of a locked draft: validate and liquidate, number, assign the channel, and then either
    release it (automatic channel: credits the ledger) or send it to aforo."""
    verificar_transicion(dai, "transmitir", por=por)
    garantia = bloquear(Garantia, dai.garantia_id)  # serialises transmissions against the same guarantee
    _liquidar_y_validar(dai, garantia)
    anio = timezone.localdate().year
    clave = f"{dai.distrito.codigo}-{anio}-21"
    dai.numero = f"{clave}-{siguiente_numero(f'DAI-{clave}'):08d}"
    dai.transmitida_en = timezone.now()
    canal, regla = _canal(dai)
    dai.save(update_fields=["total_fob", "total_cif", "total_suspendido", "transmitida_en"])
    transicionar(
        dai, "transmitir", por=por, comentario=f"Canal {DAI.Canal(canal).label}", numero=dai.numero, canal=canal, regla=regla
    )
    if canal == DAI.Canal.AUTOMATICO:
        transicionar(dai, "autorizar_salida_automatica", por=None, **_plazo(timezone.localdate()))
        saldos.acreditar_dai(dai=dai, por=None)
        _avisar(
            dai, f"DAI {dai.numero}: salida autorizada", f"Aforo automático. El régimen rige hasta el {dai.vence_el:%d/%m/%Y}."
        )
    else:
        transicionar(dai, "enviar_a_aforo", por=None)
        _avisar(dai, f"DAI {dai.numero}: aforo {dai.get_canal_display().lower()}", "La DAI fue aceptada y pasó a aforo.")
        _avisar(dai, f"DAI {dai.numero} por aforar ({dai.get_canal_display()})", f"{dai.operador.razon_social}.", aforo=True)
    return dai


@transaction.atomic
def dai_transmitir(*, dai_id: int, por: Usuario) -> DAI:
    dai = bloquear(DAI, dai_id)
    return _transmitir(dai, por=por)


@transaction.atomic
def dai_corregir(*, dai_id: int, por: Usuario, comentario: str = "", lineas: list[dict] | None = None, **cabecera) -> DAI:
    """The agent answers an observation: edits the declaration, which is liquidated and validated again."""
    verificar_transicion(bloquear(DAI, dai_id), "corregir", por=por, comentario=comentario)
    dai = dai_actualizar(dai_id=dai_id, por=por, lineas=lineas, **cabecera)
    garantia = bloquear(Garantia, dai.garantia_id)
    _liquidar_y_validar(dai, garantia)
    dai.save(update_fields=["total_fob", "total_cif", "total_suspendido"])
    transicionar(dai, "corregir", por=por, comentario=comentario)
    _avisar(dai, f"DAI {dai.numero} corregida", comentario or "El agente corrigió la DAI observada.", aforo=True)
    return dai


@transaction.atomic
def dai_transicionar(*, dai_id: int, accion: str, por: Usuario | None, comentario: str = "") -> DAI:
    """transmitir, anular (the agent's draft); observar, autorizar_salida (Aforo)."""
    dai = bloquear(DAI, dai_id)
    if accion == "transmitir":
        return _transmitir(dai, por=por)
    verificar_transicion(dai, accion, por=por, comentario=comentario)
    datos = _plazo(timezone.localdate()) if accion == "autorizar_salida" else {}
    transicionar(dai, accion, por=por, comentario=comentario, **datos)
    if accion == "autorizar_salida":
        saldos.acreditar_dai(dai=dai, por=por)
        _avisar(dai, f"DAI {dai.numero}: salida autorizada", f"El régimen rige hasta el {dai.vence_el:%d/%m/%Y}.")
    elif accion == "observar":
        _avisar(dai, f"DAI {dai.numero} observada en aforo", comentario)
    return dai
