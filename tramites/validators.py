"""Input validation shared by forms, serializers and services. Messages are Spanish and precise."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from stdnum import exceptions as stdnum_exc
from stdnum.ec import ci, ruc

NOMBRES_TIPO = {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPEG"}


def normalizar_ruc(valor: str) -> str:
    """Return the compact 13-digit RUC or raise ValidationError with the exact reason."""
    valor = (valor or "").strip()
    try:
        return ruc.validate(valor)
    except stdnum_exc.InvalidLength:
        raise ValidationError("El RUC debe tener 13 dígitos.", code="ruc_longitud") from None
    except stdnum_exc.InvalidFormat:
        raise ValidationError("El RUC solo puede contener dígitos.", code="ruc_formato") from None
    except stdnum_exc.InvalidChecksum:
        raise ValidationError("El RUC no es válido: el dígito verificador no coincide.", code="ruc_verificador") from None
    except stdnum_exc.InvalidComponent:
        raise ValidationError(
            "El RUC no es válido: la provincia, el tipo de contribuyente o el establecimiento no existen.",
            code="ruc_componente",
        ) from None


def normalizar_cedula(valor: str) -> str:
    valor = (valor or "").strip()
    try:
        return ci.validate(valor)
    except stdnum_exc.InvalidLength:
        raise ValidationError("La cédula debe tener 10 dígitos.", code="cedula_longitud") from None
    except stdnum_exc.ValidationError:
        raise ValidationError("La cédula no es válida.", code="cedula_invalida") from None


@dataclass(frozen=True)
class ArchivoVerificado:
    tipo_contenido: str
    tamano: int
    sha256: str


def verificar_archivo(archivo: UploadedFile, *, tipos: list[str] | None = None) -> ArchivoVerificado:
    """Check size and the real content type (magic bytes, not the name or the browser's claim)."""
    permitidos = tipos or settings.ADJUNTOS_TIPOS_PERMITIDOS
    maximo = settings.ADJUNTOS_TAMANO_MAXIMO_MB * 1024 * 1024
    nombre = getattr(archivo, "name", "archivo")
    if archivo.size == 0:
        raise ValidationError(f"El archivo «{nombre}» está vacío.", code="archivo_vacio")
    if archivo.size > maximo:
        raise ValidationError(
            f"El archivo «{nombre}» pesa {archivo.size / 1024 / 1024:.1f} MB; el máximo es "
            f"{settings.ADJUNTOS_TAMANO_MAXIMO_MB} MB.",
            code="archivo_grande",
        )
    archivo.seek(0)
    cabecera = archivo.read(8192)
    archivo.seek(0)
    tipo = filetype.guess_mime(cabecera)
    if tipo not in permitidos:
        aceptados = ", ".join(NOMBRES_TIPO.get(t, t) for t in permitidos)
        raise ValidationError(
            f"El archivo «{nombre}» no es un documento aceptado (su contenido real es "
            f"{NOMBRES_TIPO.get(tipo or '', tipo or 'desconocido')}). Formatos aceptados: {aceptados}.",
            code="archivo_tipo",
        )
    digest = hashlib.sha256()
    for bloque in archivo.chunks():
        digest.update(bloque)
    archivo.seek(0)
    return ArchivoVerificado(tipo_contenido=tipo, tamano=archivo.size, sha256=digest.hexdigest())


def validar_url_webhook(valor: str) -> None:
    """Django validator for an agency's webhook URL: the same resolution and address check as every delivery."""
    from . import red

    if not valor:
        return
    try:
        red.validar_url(valor.strip())
    except red.DestinoNoPermitido as e:
        raise ValidationError(str(e), code="webhook_no_permitido") from None
