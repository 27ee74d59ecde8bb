"""Solicitud de autorización: file, correct, review, approve with a term, one extension, control, expiry."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from tramites.calendario import sumar_meses
from tramites.exceptions import DatosInvalidos, EdicionNoPermitida
from tramites.models import Adjunto, Operador, Usuario
from tramites.numeracion import formatear, siguiente_numero
from tramites.services import adjuntos_guardar

from ..exceptions import OperadorNoElegible, ProrrogaYaSolicitada
from ..models import SolicitudAutorizacion
from .comun import bloquear, ejecutar_transicion, exigir_actuar_por, validar_modelo

CAMPOS_EDITABLES = ("modalidad", "operacion", "descripcion_proceso", "mercancias", "productos", "plazo_solicitado_meses")
PLAZO_MAXIMO_MESES = 12


def exigir_elegible(operador: Operador) -> None:
    """Régimen 21 is for legal persons (private or public) domiciled in Ecuador ([S-21])."""
    if not operador.domiciliado_ecuador:
        raise OperadorNoElegible(motivo="El solicitante debe estar domiciliado en el territorio aduanero ecuatoriano.")
    if operador.ruc[2] in "012345":  # third digit 0–5: a natural person's cédula; 6 public, 9 private company
        raise OperadorNoElegible(
            motivo="El régimen 21 está dirigido a personas jurídicas; el RUC indicado es de una persona natural."
        )


@transaction.atomic
def solicitud_crear(
    *,
    operador: Operador,
    por: Usuario,
    archivos: Iterable[UploadedFile] = (),
    presentar: bool = False,
    **campos,
) -> SolicitudAutorizacion:
    """A new request (draft); with `presentar=True` it is filed at once."""
    exigir_actuar_por(por, operador)
    exigir_elegible(operador)
    solicitud = SolicitudAutorizacion(operador=operador, creada_por=por, **{c: campos.get(c) for c in CAMPOS_EDITABLES})
    validar_modelo(solicitud, excluir=["numero", "numero_autorizacion"])
    solicitud.save()
    adjuntos_guardar(objeto=solicitud, archivos=archivos, por=por, descripcion="Documento del proceso productivo")
    if presentar:
        return solicitud_transicionar(solicitud_id=solicitud.pk, accion="presentar", por=por)
    return solicitud


@transaction.atomic
def solicitud_actualizar(
    *, solicitud_id: int, por: Usuario, archivos: Iterable[UploadedFile] = (), presentar: bool = False, **campos
) -> SolicitudAutorizacion:
    """Edit a draft or an observed request (the correction SENAE asked for); other states are final. With
    `presentar=True` a draft is filed in the same transaction (an error leaves it as it was)."""
    solicitud = bloquear(SolicitudAutorizacion, solicitud_id)
    exigir_actuar_por(por, solicitud.operador)
    if solicitud.estado not in (SolicitudAutorizacion.Estado.BORRADOR, SolicitudAutorizacion.Estado.OBSERVADA):
        raise EdicionNoPermitida(
            f"La solicitud está «{solicitud.get_estado_display()}»: solo se editan borradores y solicitudes observadas.",
            registro=str(solicitud),
            estado=solicitud.get_estado_display(),
        )
    for campo in CAMPOS_EDITABLES:
        if campo in campos:
            setattr(solicitud, campo, campos[campo])
    validar_modelo(solicitud)
    solicitud.save()
    adjuntos_guardar(objeto=solicitud, archivos=archivos, por=por, descripcion="Documento del proceso productivo")
    if presentar:
        return solicitud_transicionar(solicitud_id=solicitud.pk, accion="presentar", por=por)
    return solicitud


def _fin_de_plazo(desde: date, meses: int) -> date:
    """Last day of a term of `meses` months that starts on `desde` (12 months from 23/11/2026: 22/11/2027)."""
    return sumar_meses(desde, meses) - timedelta(days=1)


def _preparar_presentar(solicitud: SolicitudAutorizacion, *, por: Usuario, **_) -> dict:
    exigir_actuar_por(por, solicitud.operador)
    exigir_elegible(solicitud.operador)
    if not Adjunto.objects.filter(object_id=solicitud.pk, content_type__model="solicitudautorizacion").exists():
        raise DatosInvalidos({"adjuntos": ["Adjunte al menos un documento que acredite el proceso productivo."]})
    anio = timezone.localdate().year
    solicitud.numero = formatear("SOL21", anio, siguiente_numero(f"SOL21-{anio}"))
    solicitud.presentada_en = timezone.now()
    return {}


def _preparar_aprobar(
    solicitud: SolicitudAutorizacion, *, por: Usuario, vigencia_hasta: date | None = None, exportacion_anticipada=False, **_
) -> dict:
    desde = timezone.localdate()
    hasta = vigencia_hasta or _fin_de_plazo(desde, solicitud.plazo_solicitado_meses)
    maximo = _fin_de_plazo(desde, PLAZO_MAXIMO_MESES)
    if not desde < hasta <= maximo:
        raise DatosInvalidos(
            {"vigencia_hasta": [f"La vigencia termina después de hoy y hasta el {maximo:%d/%m/%Y} (un año como máximo)."]}
        )
    anio = desde.year
    solicitud.aprobada_en = timezone.now()
    solicitud.aprobada_por = por
    return {
        "numero_autorizacion": formatear("AUT21", anio, siguiente_numero(f"AUT21-{anio}")),
        "desde": desde,
        "hasta": hasta,
        "exportacion_anticipada": exportacion_anticipada is True,
    }


def _preparar_solicitar_prorroga(solicitud: SolicitudAutorizacion, *, por: Usuario, meses: int | None = None, **_) -> dict:
    exigir_actuar_por(por, solicitud.operador)
    errores = {}
    if not isinstance(meses, int) or not 1 <= meses <= PLAZO_MAXIMO_MESES:
        errores["meses"] = [f"La prórroga va de 1 a {PLAZO_MAXIMO_MESES} meses."]
    if errores:
        raise DatosInvalidos(errores)
    return {"meses": meses}


def _preparar_conceder_prorroga(solicitud: SolicitudAutorizacion, *, vigencia_hasta: date | None = None, **_) -> dict:
    actual = solicitud.vigencia_hasta
    hasta = vigencia_hasta or sumar_meses(actual, solicitud.prorroga_meses)
    maximo = sumar_meses(actual, PLAZO_MAXIMO_MESES)
    if not actual < hasta <= maximo:
        raise DatosInvalidos(
            {"vigencia_hasta": [f"La nueva fecha final va después del {actual:%d/%m/%Y} y hasta el {maximo:%d/%m/%Y}."]}
        )
    return {"hasta": hasta}


def _una_sola_prorroga(solicitud: SolicitudAutorizacion) -> None:
    if solicitud.prorroga_meses is not None:
        raise ProrrogaYaSolicitada(numero=solicitud.numero_autorizacion)


REGLAS_PREVIAS = {"solicitar_prorroga": _una_sola_prorroga}

PREPARADORES = {
    "presentar": _preparar_presentar,
    "aprobar": _preparar_aprobar,
    "solicitar_prorroga": _preparar_solicitar_prorroga,
    "conceder_prorroga": _preparar_conceder_prorroga,
}


@transaction.atomic
def solicitud_transicionar(
    *, solicitud_id: int, accion: str, por: Usuario | None, comentario: str = "", **datos
) -> SolicitudAutorizacion:
    """Every state change of a request: presentar, corregir, solicitar_prorroga, anular (operator side);
    tomar, observar, aprobar, rechazar, conceder_prorroga, negar_prorroga, suspender, levantar_suspension,
    revocar (SENAE); vencer (system)."""
    return ejecutar_transicion(
        SolicitudAutorizacion,
        pk=solicitud_id,
        accion=accion,
        por=por,
        comentario=comentario,
        preparadores=PREPARADORES,
        datos=datos,
        reglas_previas=REGLAS_PREVIAS,
    )


@transaction.atomic
def solicitud_corregir(
    *, solicitud_id: int, por: Usuario, comentario: str = "", archivos: Iterable[UploadedFile] = (), **campos
) -> SolicitudAutorizacion:
    """The operator answers SENAE's observations: edits the request and sends it back to review."""
    solicitud_actualizar(solicitud_id=solicitud_id, por=por, archivos=archivos, **campos)
    return solicitud_transicionar(solicitud_id=solicitud_id, accion="corregir", por=por, comentario=comentario)
