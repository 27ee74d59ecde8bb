"""`Idempotency-Key` for every API write: a retry with the same key returns the first response, never a duplicate.

- The key is scoped to the credential (hash of the Authorization header) or the session user.
- The same key with a different method, path or body → 422 `idempotency_key_reutilizada`.
- A path no view answers, or a method the resource lacks, is left to Django/DRF (404/405), key or not.
- The key is reserved in its own committed row before the view runs: a retry while the first request is still
  running → 409 `solicitud_en_proceso`.
- A retry never runs a write twice, whatever the first answer was. While the view runs, every transaction that
  writes to the database marks the reservation when it commits (`escritura_confirmada_en`). An answer is stored
  and replayed when it is not a server error, and also when it is one but a write had already committed (the
  retry gets the same 5xx back, `Idempotent-Replayed: true`, instead of a second record). A 5xx with nothing
  committed, 401 and 429 are not stored: the client may retry them with the same key.
- A reservation left by a process that died (no answer after `IDEMPOTENCIA_EN_PROCESO_SEGUNDOS`, default 300): if
  none of its writes committed, the retry runs; if one did, the retry gets 409 `resultado_desconocido`.
- Keys are kept `IDEMPOTENCIA_HORAS` hours (default 24); a periodic job deletes older ones.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone

from .models import SolicitudIdempotente

METODOS = {"POST", "PUT", "PATCH", "DELETE"}
NO_SE_GUARDAN = {401, 429}
ESCRITURAS = ("INSERT", "UPDATE", "DELETE")
# Bookkeeping written on any authenticated request (token last use, session): not "the write" of the request.
TABLAS_IGNORADAS = ('"tramites_tokencliente"', '"django_session"', '"tramites_solicitudidempotente"')


class _VigiaDeEscrituras:
    """Execute wrapper for the duration of one request: when a statement writes to a table that is not
    bookkeeping, mark the reservation as soon as that write commits (on_commit: a rolled-back savepoint or
    transaction drops the mark with it)."""

    def __init__(self, registro_id: int) -> None:
        self.registro_id = registro_id
        self.confirmada = False
        self._pendiente = False  # a mark is already waiting for the current transaction's commit

    def _marcar(self) -> None:
        self._pendiente = False
        if not self.confirmada:
            self.confirmada = True
            SolicitudIdempotente.objects.filter(pk=self.registro_id, escritura_confirmada_en__isnull=True).update(
                escritura_confirmada_en=timezone.now()
            )

    def __call__(self, execute, sql, params, many, context):
        resultado = execute(sql, params, many, context)
        if self.confirmada or not isinstance(sql, str):
            return resultado
        inicio = sql.lstrip()[:6].upper()
        if inicio in ESCRITURAS and not any(t in sql[:200] for t in TABLAS_IGNORADAS):
            conexion = context["connection"]
            if not conexion.in_atomic_block:
                self._marcar()  # autocommit: already committed
            elif not self._pendiente:
                self._pendiente = True
                transaction.on_commit(self._marcar, using=conexion.alias)
        return resultado


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
                return self._en_proceso(request, previo)
            respuesta = HttpResponse(bytes(previo.cuerpo), status=previo.codigo_http, content_type=previo.tipo_contenido)
            respuesta["Idempotent-Replayed"] = "true"
            return respuesta
        return self._ejecutar(request, registro)

    def _en_proceso(self, request: HttpRequest, previo: SolicitudIdempotente) -> HttpResponse:
        limite = timezone.now() - timedelta(seconds=getattr(settings, "IDEMPOTENCIA_EN_PROCESO_SEGUNDOS", 300))
        if previo.creada_en < limite:
            if previo.escritura_confirmada_en is None:
                # the first attempt died before any write committed: nothing was saved, take the key over
                tomada = SolicitudIdempotente.objects.filter(
                    pk=previo.pk, codigo_http__isnull=True, escritura_confirmada_en__isnull=True, creada_en=previo.creada_en
                ).update(creada_en=timezone.now())
                if tomada:
                    return self._ejecutar(request, previo)
            else:
                return _error(
                    "resultado_desconocido",
                    "La solicitud original con esta Idempotency-Key guardó datos pero no terminó de responder. "
                    "Consulte el registro antes de intentar con una clave nueva.",
                    409,
                )
        return _error("solicitud_en_proceso", "La solicitud original con esta Idempotency-Key aún se procesa.", 409)

    def _ejecutar(self, request: HttpRequest, registro: SolicitudIdempotente) -> HttpResponse:
        vigia = _VigiaDeEscrituras(registro.pk)
        try:
            with connection.execute_wrapper(vigia):
                respuesta = self.get_response(request)
        except Exception:
            if not vigia.confirmada:
                SolicitudIdempotente.objects.filter(pk=registro.pk).delete()
            else:
                _guardar(registro, status=500, tipo="application/json", cuerpo=_cuerpo_error_interno())
            raise
        if respuesta.status_code in NO_SE_GUARDAN or respuesta.streaming:
            SolicitudIdempotente.objects.filter(pk=registro.pk).delete()
        elif respuesta.status_code >= 500 and not vigia.confirmada:
            SolicitudIdempotente.objects.filter(pk=registro.pk).delete()  # nothing saved: the retry runs again
        else:
            _guardar(registro, status=respuesta.status_code, tipo=respuesta.get("Content-Type", ""), cuerpo=respuesta.content)
        return respuesta


def _cuerpo_error_interno() -> bytes:
    return json.dumps(
        {"code": "error_interno", "message": "Error interno del servidor.", "errors": {}}, ensure_ascii=False
    ).encode()


def _guardar(registro: SolicitudIdempotente, *, status: int, tipo: str, cuerpo: bytes) -> None:
    SolicitudIdempotente.objects.filter(pk=registro.pk).update(codigo_http=status, tipo_contenido=tipo, cuerpo=cuerpo)


def idempotencia_purgar(*, ahora=None) -> int:
    limite = (ahora or timezone.now()) - timedelta(hours=getattr(settings, "IDEMPOTENCIA_HORAS", 24))
    borradas, _ = SolicitudIdempotente.objects.filter(creada_en__lt=limite).delete()
    return borradas
