"""HTML → PDF with WeasyPrint. Templates extend templates/pdf/base.html (A4, header, page footer)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone


def renderizar_pdf(plantilla: str, contexto: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string(plantilla, {"generado_en": timezone.localtime(), **contexto})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def respuesta_pdf(plantilla: str, contexto: dict[str, Any], *, nombre_archivo: str) -> HttpResponse:
    respuesta = HttpResponse(renderizar_pdf(plantilla, contexto), content_type="application/pdf")
    respuesta["Content-Disposition"] = f'attachment; filename="{nombre_archivo}"'
    return respuesta
