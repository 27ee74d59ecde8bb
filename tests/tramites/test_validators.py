import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from tramites.validators import normalizar_cedula, normalizar_ruc, verificar_archivo

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.mark.parametrize("valor", ["1790085783001", "1792060346-001", " 1713175071001 "])
def test_ruc_valido_se_compacta(valor):
    assert len(normalizar_ruc(valor)) == 13


@pytest.mark.parametrize(
    ("valor", "mensaje"),
    [
        ("123", "13 dígitos"),
        ("17900857830AB", "solo puede contener dígitos"),
        ("1763154690001", "no es válido"),
        ("", "13 dígitos"),
    ],
)
def test_ruc_invalido_dice_por_que(valor, mensaje):
    with pytest.raises(ValidationError) as e:
        normalizar_ruc(valor)
    assert mensaje in e.value.messages[0]


def test_cedula():
    assert normalizar_cedula("171430710-3") == "1714307103"
    with pytest.raises(ValidationError, match="no es válida"):
        normalizar_cedula("1714307104")


@given(st.text(max_size=30))
def test_validadores_nunca_fallan_con_otra_excepcion(texto):
    for validador in (normalizar_ruc, normalizar_cedula):
        try:
            validador(texto)
        except ValidationError:
            pass


def test_archivo_pdf_y_png_aceptados():
    info = verificar_archivo(SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf"))
    assert info.tipo_contenido == "application/pdf"
    assert len(info.sha256) == 64
    assert verificar_archivo(SimpleUploadedFile("captura.png", PNG)).tipo_contenido == "image/png"


def test_archivo_con_extension_falsa_rechazado():
    exe = SimpleUploadedFile("factura.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")
    with pytest.raises(ValidationError, match="no es un documento aceptado"):
        verificar_archivo(exe)


def test_archivo_grande_y_vacio_rechazados(settings):
    settings.ADJUNTOS_TAMANO_MAXIMO_MB = 1
    grande = SimpleUploadedFile("g.pdf", PDF + b"0" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError, match="el máximo es 1 MB"):
        verificar_archivo(grande)
    with pytest.raises(ValidationError, match="está vacío"):
        verificar_archivo(SimpleUploadedFile("v.pdf", b""))


def test_archivo_queda_listo_para_leer():
    archivo = SimpleUploadedFile("a.pdf", PDF)
    verificar_archivo(archivo)
    assert archivo.read() == PDF
    assert isinstance(io.BytesIO(PDF).read(4), bytes)
