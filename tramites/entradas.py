"""Requests carrying a NUL character, and API writes whose JSON body is not an object, answer 400 before any view.

PostgreSQL refuses NUL (0x00) in text, so a `%00` in a filter (`?estado=%00`), in a path segment
(`/mesa/tickets/MDS%00/`) or in a form field reached the database and answered 500. Django's form and DRF's
serializer fields already refuse it, but views and filters that read `request.GET` directly did not. The check is
done once for the whole portal: path, query string (names and values), form fields and uploaded file names.
Under `/api/` the answer is the API's JSON error (`caracter_nulo`); elsewhere a Spanish page.

An API write with a JSON body that is not an object (`null`, `[]`, `"texto"`, `7`) answers `cuerpo_no_es_objeto`
on every write endpoint, also on those that read no body (`…/transmitir/`), so a client's bug never passes as a
valid call. tramites/api/parsers.py refuses the same bodies, and NUL inside JSON strings, where DRF parses them.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

NO_ES_OBJETO = "El cuerpo de la solicitud debe ser un objeto JSON ({…})."
MENSAJE = "La solicitud contiene un carácter nulo (%00), que no se admite en ningún campo."
FORMULARIOS = ("application/x-www-form-urlencoded", "multipart/form-data")


def _campo_con_nulo(datos: QueryDict) -> str | None:
    for nombre, valores in datos.lists():
        if "\x00" in nombre or any("\x00" in v for v in valores if isinstance(v, str)):
            return nombre.replace("\x00", "")
    return None


def campo_con_nulo(request: HttpRequest) -> str | None:
    """The first place holding a NUL character (`ruta`, a parameter or field name), or None."""
    if "\x00" in request.path:
        return "ruta"
    if campo := _campo_con_nulo(request.GET):
        return campo
    if request.method in {"POST", "PUT", "PATCH"} and request.content_type in FORMULARIOS:
        if request.headers.get("Idempotency-Key") and request.path.startswith("/api/"):
            # tramites.idempotencia hashes the raw body later: read it before the form parser consumes the stream
            request.body  # noqa: B018
        if campo := _campo_con_nulo(request.POST):
            return campo
        for nombre, archivos in request.FILES.lists():
            if any("\x00" in (a.name or "") for a in archivos):
                return nombre
    return None


def _json_que_no_es_objeto(request: HttpRequest) -> bool:
    if request.method not in {"POST", "PUT", "PATCH", "DELETE"} or not request.path.startswith("/api/"):
        return False
    if not (request.content_type == "application/json" or request.content_type.endswith("+json")):
        return False
    cuerpo = request.body.lstrip(b" \t\r\n\xef\xbb\xbf")
    return bool(cuerpo) and not cuerpo.startswith(b"{")


def _error_api(code: str, mensaje: str, errores: dict) -> HttpResponse:
    cuerpo = {"code": code, "message": mensaje, "errors": errores}
    return HttpResponse(json.dumps(cuerpo, ensure_ascii=False), status=400, content_type="application/json; charset=utf-8")


class EntradaInvalidaMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        campo = campo_con_nulo(request)
        if campo is not None:
            if request.path.startswith("/api/"):
                return _error_api("caracter_nulo", MENSAJE, {campo: [MENSAJE]})
            return render(request, "400.html", {"mensaje": MENSAJE}, status=400)
        if _json_que_no_es_objeto(request):
            return _error_api("cuerpo_no_es_objeto", NO_ES_OBJETO, {})
        return self.get_response(request)
