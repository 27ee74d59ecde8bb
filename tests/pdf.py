"""Helpers to read back the PDFs the portal generates."""

import io

from pypdf import PdfReader


def texto_pdf(contenido: bytes) -> str:
    assert contenido.startswith(b"%PDF-"), "no es un PDF"
    return "\n".join(pagina.extract_text() for pagina in PdfReader(io.BytesIO(contenido)).pages)
