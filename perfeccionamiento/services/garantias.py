"""Garantía: register, approve, modify amount or dates, collection notice, challenge, enforcement, release."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from tramites.calendario import sumar_dias_habiles
from tramites.exceptions import DatosInvalidos
from tramites.models import Operador, Usuario
from tramites.numeracion import formatear, siguiente_numero
from tramites.services import adjuntos_guardar

from ..exceptions import EfectivizacionPrematura, GarantiaConSaldos, GarantiaVencida
from ..models import Garantia, SolicitudAutorizacion
from ..selectors import garantia_exposicion
from .comun import ejecutar_transicion, exigir_actuar_por, validar_modelo

# An authorization that is being processed or in force can be guaranteed; a final refusal cannot.
AUTORIZACION_GARANTIZABLE = (
    SolicitudAutorizacion.Estado.ENVIADA,
    SolicitudAutorizacion.Estado.EN_REVISION,
    SolicitudAutorizacion.Estado.OBSERVADA,
    SolicitudAutorizacion.Estado.APROBADA,
    SolicitudAutorizacion.Estado.PRORROGA_SOLICITADA,
    SolicitudAutorizacion.Estado.SUSPENDIDA,
)


def dias_impugnacion() -> int:
    return settings.GARANTIA_DIAS_IMPUGNACION


def dia_efectivizacion() -> int:
    return settings.GARANTIA_DIA_EFECTIVIZACION


def _exigir_no_vencida(hasta: date) -> None:
    if hasta < timezone.localdate():
        raise GarantiaVencida(fecha=hasta, campo="vigencia_hasta")


@transaction.atomic
def garantia_registrar(
    *,
    operador: Operador,
    por: Usuario,
    autorizacion: SolicitudAutorizacion,
    archivos: Iterable[UploadedFile] = (),
    **campos,
) -> Garantia:
    """The operator files a guarantee (the insurer's or bank's document attached) for SENAE to approve."""
    exigir_actuar_por(por, operador)
    archivos = list(archivos)
    errores: dict[str, list[str]] = {}
    if autorizacion.operador_id != operador.pk:
        errores["autorizacion"] = ["La autorización no es de este operador."]
    elif autorizacion.estado not in AUTORIZACION_GARANTIZABLE:
        errores["autorizacion"] = [
            f"La solicitud {autorizacion} está «{autorizacion.get_estado_display()}»: no admite garantías."
        ]
    if not archivos:
        errores["adjuntos"] = ["Adjunte la póliza o el documento de la garantía."]
    if errores:
        raise DatosInvalidos(errores)
    if campos.get("vigencia_hasta"):
        _exigir_no_vencida(campos["vigencia_hasta"])
    garantia = Garantia(operador=operador, autorizacion=autorizacion, creada_por=por, numero="-", **campos)
    if garantia.tipo == Garantia.Tipo.GENERAL:
        garantia.operacion = ""
    validar_modelo(garantia, excluir=["numero"])
    anio = timezone.localdate().year
    garantia.numero = formatear("GAR21", anio, siguiente_numero(f"GAR21-{anio}"))
    garantia.save()
    adjuntos_guardar(objeto=garantia, archivos=archivos, por=por, descripcion="Documento de la garantía")
    return garantia


def _preparar_aprobar(garantia: Garantia, **_) -> dict:
    _exigir_no_vencida(garantia.vigencia_hasta)
    return {}


def _preparar_solicitar_modificacion(
    garantia: Garantia, *, por: Usuario, monto: Decimal | None = None, vigencia_hasta: date | None = None, **_
) -> dict:
    exigir_actuar_por(por, garantia.operador)
    monto = garantia.monto if monto is None else monto
    hasta = vigencia_hasta or garantia.vigencia_hasta
    errores: dict[str, list[str]] = {}
    if monto <= 0:
        errores["monto"] = ["El monto de la garantía debe ser mayor que cero."]
    if hasta <= garantia.vigencia_desde:
        errores["vigencia_hasta"] = [f"La fecha final debe ser posterior al {garantia.vigencia_desde:%d/%m/%Y}."]
    elif hasta < timezone.localdate():
        errores["vigencia_hasta"] = ["La nueva fecha final ya pasó."]
    if monto == garantia.monto and hasta == garantia.vigencia_hasta:
        errores["monto"] = ["Indique un monto o una fecha final distintos de los actuales."]
    elif monto < (exposicion := garantia_exposicion(garantia_id=garantia.pk)):
        errores["monto"] = [f"El monto no puede ser menor que los tributos que hoy respalda: USD {exposicion:,.2f}."]
    if errores:
        raise DatosInvalidos(errores)
    return {"monto": monto, "vigencia_hasta": hasta}


def _preparar_notificar_cobro(garantia: Garantia, *, oficio: str = "", notificado_el: date | None = None, **_) -> dict:
    if not (oficio or "").strip():
        raise DatosInvalidos({"oficio": ["Indique el número del oficio de notificación al cobro."]})
    dia = notificado_el or timezone.localdate()
    # Both terms follow the calendar of the operator's customs district (its local holidays too, ADR 0012).
    distrito = garantia.operador.distrito_id
    return {
        "oficio": oficio.strip(),
        "notificado_el": dia,
        "efectivizable_desde": sumar_dias_habiles(dia, dia_efectivizacion(), distrito=distrito),
        "impugnable_hasta": sumar_dias_habiles(dia, dias_impugnacion(), distrito=distrito),
    }


def _preparar_efectivizar(garantia: Garantia, *, anticipada: bool = False, **_) -> dict:
    if not anticipada and timezone.localdate() < garantia.efectivizable_desde:
        raise EfectivizacionPrematura(numero=garantia.numero, fecha=garantia.efectivizable_desde)
    return {}


def _preparar_aprobar_modificacion(garantia: Garantia, **_) -> dict:
    """DAI transmitted since the change was requested may have raised the exposure above the proposed amount."""
    if garantia.monto_propuesto < (exposicion := garantia_exposicion(garantia_id=garantia.pk)):
        raise DatosInvalidos(
            {"monto": [f"El monto propuesto (USD {garantia.monto_propuesto:,.2f}) ya no cubre los tributos que la garantía "
                       f"respalda hoy (USD {exposicion:,.2f}); rechace la modificación."]}
        )  # fmt: skip
    return {}


def _preparar_liberar(garantia: Garantia, **_) -> dict:
    if (exposicion := garantia_exposicion(garantia_id=garantia.pk)) > 0:
        raise GarantiaConSaldos(numero=garantia.numero, monto=exposicion)
    return {}


PREPARADORES = {
    "aprobar_modificacion": _preparar_aprobar_modificacion,
    "liberar": _preparar_liberar,
    "aprobar": _preparar_aprobar,
    "solicitar_modificacion": _preparar_solicitar_modificacion,
    "notificar_cobro": _preparar_notificar_cobro,
    "efectivizar": _preparar_efectivizar,
}


@transaction.atomic
def garantia_transicionar(*, garantia_id: int, accion: str, por: Usuario | None, comentario: str = "", **datos) -> Garantia:
    """anular, solicitar_modificacion, impugnar (operator side); aprobar, rechazar, aprobar_modificacion,
    rechazar_modificacion, notificar_cobro, aceptar_impugnacion, rechazar_impugnacion, efectivizar, liberar
    (SENAE); vencer (system)."""
    return ejecutar_transicion(
        Garantia, pk=garantia_id, accion=accion, por=por, comentario=comentario, preparadores=PREPARADORES, datos=datos
    )
