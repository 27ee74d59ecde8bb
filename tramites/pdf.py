"""HTML → PDF with WeasyPrint. Templates extend templates/pdf/base.html (A4, header, page footer).

Rendering a PDF costs hundreds of milliseconds of CPU; the HTML behind it costs a few. `respuesta_pdf` therefore
renders the HTML, keys the PDF by a hash of it (template and content: any change of the record, its timeline or
its related rows changes the key) and keeps the bytes in the shared `pdf` cache. The same version is served from
the cache, with an `ETag` (that hash) and `Last-Modified` (when it was rendered); `If-None-Match` answers 304.
The page footer's «Generado …» is the time that version was rendered. A cache outage only costs a render.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import http_date, parse_etags, quote_etag

logger = logging.getLogger(__name__)

CACHE = "pdf"
# Stands for the render time while the version is computed, so the key depends on the content only.
_SIN_FECHA = datetime(2000, 1, 1, tzinfo=UTC)


def renderizar_pdf(plantilla: str, contexto: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string(plantilla, {"generado_en": timezone.localtime(), **contexto})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def version_pdf(plantilla: str, contexto: dict[str, Any]) -> str:
    """Hash of the document's HTML without its render time: equal exactly when the PDF would say the same."""
    html = render_to_string(plantilla, {**contexto, "generado_en": _SIN_FECHA})
    return hashlib.sha256(f"{plantilla}\n{html}".encode()).hexdigest()


def _cache_leer(clave: str) -> dict | None:
    try:
        return caches[CACHE].get(clave)
    except Exception:  # the backend's connection errors: render instead
        logger.warning("Caché de PDF no disponible: se genera el documento.", exc_info=True)
        return None


def _cache_guardar(clave: str, valor: dict) -> None:
    try:
        caches[CACHE].set(clave, valor, timeout=settings.PDF_CACHE_SEGUNDOS)
    except Exception:
        logger.warning("Caché de PDF no disponible: el documento no quedó guardado.", exc_info=True)


def respuesta_pdf(
    plantilla: str, contexto: dict[str, Any], *, nombre_archivo: str, request: HttpRequest | None = None
) -> HttpResponse:
    """The PDF of this version of the record, rendered once per version. Callers have already checked scope (the
    record came from a scoped selector), so a 304 never tells anything to someone who may not see the record."""
    version = version_pdf(plantilla, contexto)
    etag = quote_etag(version[:40])
    if request is not None and etag in parse_etags(request.headers.get("If-None-Match", "")):
        no_modificado = HttpResponseNotModified()
        no_modificado["ETag"] = etag
        no_modificado["Cache-Control"] = "private, no-cache"
        return no_modificado
    clave = f"v1:{version}"
    guardado = _cache_leer(clave)
    if guardado is None:
        guardado = {"pdf": renderizar_pdf(plantilla, contexto), "en": timezone.now().timestamp()}
        _cache_guardar(clave, guardado)
    respuesta = HttpResponse(guardado["pdf"], content_type="application/pdf")
    respuesta["Content-Disposition"] = f'attachment; filename="{nombre_archivo}"'
    respuesta["ETag"] = etag
    respuesta["Last-Modified"] = http_date(guardado["en"])
    respuesta["Cache-Control"] = "private, no-cache"
    return respuesta
