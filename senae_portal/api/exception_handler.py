"""One JSON error shape for the whole API: {"code": str, "message": str (Spanish), "errors": {field: [str]}}."""

from __future__ import annotations

import math
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django_fsm import ConcurrentTransition, TransitionNotAllowed
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from tramites.api.parsers import CaracterNuloEnCuerpo, CuerpoNoEsObjeto
from tramites.exceptions import DatosInvalidos, ErrorDeNegocio

_CODIGOS_DRF = {
    CuerpoNoEsObjeto: (CuerpoNoEsObjeto.default_code, CuerpoNoEsObjeto.default_detail),
    CaracterNuloEnCuerpo: (CaracterNuloEnCuerpo.default_code, CaracterNuloEnCuerpo.default_detail),
    exceptions.NotAuthenticated: ("no_autenticado", "Debe autenticarse: envíe «Authorization: Token <clave>»."),
    exceptions.AuthenticationFailed: ("autenticacion_fallida", "Las credenciales no son válidas o el token fue revocado."),
    exceptions.PermissionDenied: ("permiso_denegado", "No tiene permiso para realizar esta acción."),
    exceptions.NotFound: ("no_encontrado", "El registro solicitado no existe o no está a su alcance."),
    exceptions.MethodNotAllowed: ("metodo_no_permitido", "Método HTTP no permitido en este recurso."),
    exceptions.NotAcceptable: ("no_aceptable", "No se puede responder en el formato solicitado."),
    exceptions.UnsupportedMediaType: ("tipo_no_soportado", "Tipo de contenido no soportado."),
    exceptions.Throttled: ("demasiadas_solicitudes", "Demasiadas solicitudes; espere e intente de nuevo."),
    exceptions.ParseError: ("json_invalido", "El cuerpo de la solicitud no se pudo interpretar."),
}


def cuerpo_error(code: str, message: str, errors: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "errors": errors or {}}


def _aplanar(detalle: Any) -> dict[str, Any]:
    if isinstance(detalle, dict):
        return {campo: _mensajes(valor) for campo, valor in detalle.items()}
    return {"non_field_errors": _mensajes(detalle)}


def _mensajes(valor: Any) -> Any:
    if isinstance(valor, dict):
        return {k: _mensajes(v) for k, v in valor.items()}
    if isinstance(valor, list):
        if all(isinstance(v, (str, exceptions.ErrorDetail)) for v in valor):
            return [str(v) for v in valor]
        return [_mensajes(v) for v in valor]
    return [str(valor)]


def manejar_excepcion(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DatosInvalidos):
        return Response(cuerpo_error(exc.code, exc.mensaje, exc.errores), status=exc.http_status)
    if isinstance(exc, ErrorDeNegocio):
        errores = {exc.campo: [exc.mensaje]} if exc.campo else {}
        return Response(cuerpo_error(exc.code, exc.mensaje, errores), status=exc.http_status)
    if isinstance(exc, TransitionNotAllowed):
        return Response(
            cuerpo_error("transicion_no_permitida", "La acción no está permitida en el estado actual del registro."),
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, ConcurrentTransition):
        return Response(
            cuerpo_error("conflicto_concurrente", "Otro usuario modificó este registro al mismo tiempo."),
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DjangoValidationError):
        errores = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response(cuerpo_error("invalido", "Los datos enviados no son válidos.", errores), status=400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    respuesta = drf_handler(exc, context)
    if respuesta is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        respuesta.data = cuerpo_error("invalido", "Los datos enviados no son válidos.", _aplanar(exc.detail))
        return respuesta
    code, message = next(
        ((c, m) for tipo, (c, m) in _CODIGOS_DRF.items() if isinstance(exc, tipo)),
        (getattr(exc, "default_code", "error"), str(getattr(exc, "detail", exc))),
    )
    if isinstance(exc, exceptions.Throttled) and exc.wait:
        segundos = math.ceil(exc.wait)
        message = f"Demasiadas solicitudes; espere {segundos} segundo{'s' if segundos != 1 else ''} e intente de nuevo."
        respuesta["Retry-After"] = str(segundos)
    if isinstance(exc, exceptions.MethodNotAllowed):
        message = f"Método HTTP «{context['request'].method}» no permitido en este recurso."
    respuesta.data = cuerpo_error(code, message)
    return respuesta


def pagina_no_encontrada(request, exception=None):
    """handler404: under /api/ a path no view answers (e.g. `/dais/1.5/`) gets the API's JSON error, not the
    site's HTML page."""
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse(
            cuerpo_error(*_CODIGOS_DRF[exceptions.NotFound]), status=404, json_dumps_params={"ensure_ascii": False}
        )
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)
