import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import OperadorFactory
from tramites.exceptions import ArchivoInvalido
from tramites.models import Adjunto
from tramites.services import adjuntos_guardar

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


def test_guarda_todos_o_ninguno(usuario_operador):
    op = OperadorFactory()
    buenos = [SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.pdf", PDF)]
    malo = SimpleUploadedFile("c.pdf", b"texto plano que no es pdf")
    with pytest.raises(ArchivoInvalido, match="«c.pdf» no es un documento aceptado"):
        adjuntos_guardar(objeto=op, archivos=[*buenos, malo], por=usuario_operador)
    assert not Adjunto.objects.exists()
    guardados = adjuntos_guardar(objeto=op, archivos=[SimpleUploadedFile("a.pdf", PDF)], por=usuario_operador)
    assert guardados[0].tipo_contenido == "application/pdf"
    assert guardados[0].archivo.read() == PDF
    assert guardados[0].objeto == op
