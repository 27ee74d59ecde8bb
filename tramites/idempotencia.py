"""`Idempotency-Key` for every API write: a retry with the same key returns the first response, never a duplicate.

- The key is scoped to the credential (hash of the Authorization header) or the session user.
- The same key with a different method, path or body → 422 `idempotency_key_reutilizada`.
- A path no view answers, or a method the resource lacks, is left to Django/DRF (404/405), key or not.
- A retry while the first request is still running → 409 `solicitud_en_proceso`.
- Server errors (5xx), 401 and 429 are not stored, so the client may retry them with the same key.
- Keys are kept `IDEMPOTENCIA_HORAS` hours (default 24); a periodic job deletes older ones.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone

from .models import SolicitudIdempotente

METODOS = {"POST", "PUT", "PATCH", "DELETE"}
NO_SE_GUARDAN = {401, 429}


def _error(codigo: str, mensaje: str, status: int) -> HttpResponse:
    return HttpResponse(
        json.dumps({"code": codigo, "message": mensaje, "errors": {}}, ensure_ascii=False),
        status=status,
        content_type="application/json",
    )


def _propietario(request: HttpRequest) -> str | None:
    credencial = request.headers.get("Authorization")
    if credencial:
        return hashlib.sha256(credencial.encode()).hexdigest()
    usuario = getattr(request, "user", None)
    if usuario is not None and usuario.is_authenticated:
        return hashlib.sha256(f"sesion:{usuario.pk}".encode()).hexdigest()
    return None


def _acepta(request: HttpRequest) -> bool:
    """Does a view answer this path and method? An unknown path or a method the resource does not have gets its
    404/405 from Django and DRF, never an idempotency answer (e.g. 422 for a key already used with POST)."""
    try:
        vista = resolve(request.path_info).func
    except Resolver404:
        return False
    acciones = getattr(vista, "actions", None)  # DRF viewsets: {"post": "create", …}
    if acciones is not None:
        return request.method.lower() in acciones
    clase = getattr(vista, "cls", None) or getattr(vista, "view_class", None)
    return clase is None or hasattr(clase, request.method.lower())


class IdempotenciaMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        clave = request.headers.get("Idempotency-Key")
        if not clave or request.method not in METODOS or not request.path.startswith("/api/"):
            return self.get_response(request)
        if not _acepta(request):
            return self.get_response(request)  # 404 or 405 from the view: nothing to remember or replay
        if len(clave) > 255 or not clave.isprintable():
            return _error("idempotency_key_invalida", "La cabecera Idempotency-Key debe tener de 1 a 255 caracteres.", 400)
        propietario = _propietario(request)
        if propietario is None:
            return self.get_response(request)  # unauthenticated: the view answers 401, nothing to remember
        huella = hashlib.sha256(request.method.encode() + request.path.encode() + b"\n" + request.body).hexdigest()
        try:
            with transaction.atomic():
                registro = SolicitudIdempotente.objects.create(
                    propietario=propietario, clave=clave, metodo=request.method, ruta=request.path[:500], huella=huella
                )
        except IntegrityError:
            previo = SolicitudIdempotente.objects.filter(propietario=propietario, clave=clave).first()
            if previo is None:  # deleted in between (the first attempt failed): let this one run
                return self.get_response(request)
            if previo.huella != huella:
                return _error(
                    "idempotency_key_reutilizada",
                    "Esta Idempotency-Key ya se usó con otra solicitud. Use una clave nueva para cada operación.",
                    422,
                )
            if previo.codigo_http is None:
                return _error("solicitud_en_proceso", "La solicitud original con esta Idempotency-Key aún se procesa.", 409)
            respuesta = HttpResponse(bytes(previo.cuerpo), status=previo.codigo_http, content_type=previo.tipo_contenido)
            respuesta["Idempotent-Replayed"] = "true"
            return respuesta
        try:
            respuesta = self.get_response(request)
        except Exception:
            SolicitudIdempotente.objects.filter(pk=registro.pk).delete()
            raise
        if respuesta.status_code >= 500 or respuesta.status_code in NO_SE_GUARDAN or respuesta.streaming:
            SolicitudIdempotente.objects.filter(pk=registro.pk).delete()
        else:
            SolicitudIdempotente.objects.filter(pk=registro.pk).update(
                codigo_http=respuesta.status_code,
                tipo_contenido=respuesta.get("Content-Type", ""),
                cuerpo=respuesta.content,
            )
        return respuesta


def idempotencia_purgar(*, ahora=None) -> int:
    limite = (ahora or timezone.now()) - timedelta(hours=getattr(settings, "IDEMPOTENCIA_HORAS", 24))
    borradas, _ = SolicitudIdempotente.objects.filter(creada_en__lt=limite).delete()
    return borradas
