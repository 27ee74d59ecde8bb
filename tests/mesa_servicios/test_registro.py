"""Filing: routing rules, mandatory fields refused with clear Spanish errors, attachment validation with nothing
partial saved, gap-free concurrent numbering."""

import threading
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.utils import timezone

from mesa_servicios.models import Area, Motivo, Ticket
from mesa_servicios.services import tickets
from tests.factories import UsuarioFactory
from tramites.exceptions import DatosInvalidos
from tramites.models import Adjunto, Secuencia, Transicion

from .conftest import PDF, datos_consulta, datos_incidente, png

pytestmark = pytest.mark.django_db


def test_numero_con_formato_y_consecutivo(usuario):
    a = tickets.ticket_registrar(solicitante=usuario, **datos_consulta())
    b = tickets.ticket_registrar(solicitante=usuario, **datos_consulta())
    anio = timezone.localdate().year
    assert a.numero.startswith(f"MDS-{anio}-") and len(a.numero) == len(f"MDS-{anio}-000001")
    assert int(b.numero[-6:]) == int(a.numero[-6:]) + 1


def test_incidente_va_a_analisis_funcional(incidente):
    assert incidente.area.codigo == "analisis_funcional"
    assert incidente.area.recibe_incidentes


def test_consulta_va_al_area_de_su_motivo_y_la_regla_se_edita(usuario):
    t = tickets.ticket_registrar(solicitante=usuario, **datos_consulta(motivo="regimen_21"))
    assert t.area.codigo == "procesos_aduaneros"
    motivo = Motivo.objects.get(codigo="regimen_21")
    motivo.area = Area.objects.get(codigo="analisis_funcional")
    motivo.save()
    assert tickets.ticket_registrar(solicitante=usuario, **datos_consulta(motivo="regimen_21")).area == motivo.area


def test_queja_registra_el_tramite_y_va_al_area_de_quejas(usuario):
    t = tickets.ticket_registrar(
        solicitante=usuario,
        tipo=Ticket.Tipo.QUEJA,
        tramite=Ticket.Tramite.REGIMEN_21,
        asunto="Demora",
        descripcion="Mi solicitud de autorización lleva tres semanas sin respuesta.",
    )
    assert t.tramite == "regimen_21" and t.area.recibe_quejas


def test_registro_deja_transicion_acuse_y_reloj(incidente, usuario):
    (t,) = Transicion.objects.de(incidente)
    assert (t.transicion, t.hacia, t.por) == ("registrar", "registrado", usuario)
    assert incidente.sla_horas == 8 and incidente.sla_vence_en > incidente.sla_aviso_en
    aviso = usuario.notificaciones.get()
    assert aviso.asunto.startswith(f"[{incidente.numero} #")


@pytest.mark.parametrize(
    ("campo", "valor", "mensaje"),
    [
        ("pantalla_opcion", "", "nombre completo del campo, pantalla u opción"),
        ("modulo", "", "Indique el sistema"),
        ("ocurrido_en", None, "fecha y la hora exactas"),
        ("distrito", None, "distrito aduanero"),
        ("telefono_contacto", "", "teléfono de contacto"),
        ("descripcion", "Falla", "al menos 20 caracteres"),
        ("asunto", " ", "asunto"),
        ("archivos", [], "capturas de pantalla"),
    ],
)
def test_incidente_sin_dato_obligatorio_se_rechaza(usuario, campo, valor, mensaje):
    with pytest.raises(DatosInvalidos) as e:
        tickets.ticket_registrar(solicitante=usuario, **datos_incidente(**{campo: valor}))
    clave = "adjuntos" if campo == "archivos" else campo
    assert mensaje in " ".join(e.value.errores[clave])
    assert not Ticket.objects.exists()


def test_fecha_futura_se_rechaza(usuario):
    with pytest.raises(DatosInvalidos) as e:
        tickets.ticket_registrar(solicitante=usuario, **datos_incidente(ocurrido_en=timezone.now() + timedelta(days=1)))
    assert "posterior al momento actual" in e.value.errores["ocurrido_en"][0]


def test_consulta_sin_motivo_y_motivo_que_exige_documentos(usuario):
    with pytest.raises(DatosInvalidos) as e:
        tickets.ticket_registrar(solicitante=usuario, **datos_consulta(motivo=None))
    assert "motivo" in e.value.errores
    with pytest.raises(DatosInvalidos) as e:
        tickets.ticket_registrar(solicitante=usuario, **datos_consulta(motivo="declaraciones"))
    assert "Número de la declaración" in e.value.errores["adjuntos"][0]
    t = tickets.ticket_registrar(
        solicitante=usuario, archivos=[SimpleUploadedFile("dai.pdf", PDF)], **datos_consulta(motivo="declaraciones")
    )
    assert t.adjuntos.get().tipo_contenido == "application/pdf"


def test_queja_sin_tramite(usuario):
    with pytest.raises(DatosInvalidos) as e:
        tickets.ticket_registrar(
            solicitante=usuario, tipo="queja", asunto="x", descripcion="Una descripción suficientemente larga."
        )
    assert "trámite" in e.value.errores["tramite"][0]


def test_adjunto_invalido_no_guarda_nada_ni_gasta_numero(usuario):
    falso = SimpleUploadedFile("captura.png", b"MZ\x90\x00 esto es un ejecutable")
    antes = Secuencia.objects.filter(clave__startswith="MDS-").values_list("ultimo", flat=True).first()
    with pytest.raises(DatosInvalidos) as e:
        tickets.ticket_registrar(solicitante=usuario, **datos_incidente(archivos=[png(), falso]))
    assert "«captura.png» no es un documento aceptado" in e.value.errores["adjuntos"][0]
    assert not Ticket.objects.exists() and not Adjunto.objects.exists() and not Transicion.objects.exists()
    assert Secuencia.objects.filter(clave__startswith="MDS-").values_list("ultimo", flat=True).first() == antes


def test_adjunto_demasiado_grande_y_demasiados(usuario, settings):
    settings.ADJUNTOS_TAMANO_MAXIMO_MB = 0
    with pytest.raises(DatosInvalidos) as e:
        tickets.ticket_registrar(solicitante=usuario, **datos_incidente())
    assert "el máximo es 0 MB" in e.value.errores["adjuntos"][0]
    settings.ADJUNTOS_TAMANO_MAXIMO_MB = 10
    settings.MESA_ADJUNTOS_MAXIMO = 1
    with pytest.raises(DatosInvalidos) as e:
        tickets.ticket_registrar(solicitante=usuario, **datos_incidente(archivos=[png(), png("b.png")]))
    assert "como máximo 1 archivos" in e.value.errores["adjuntos"][0]


@pytest.mark.concurrencia
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_numeracion_concurrente_sin_repetir_ni_saltar():
    if connection.vendor != "postgresql":
        pytest.skip("la concurrencia real se prueba en PostgreSQL")
    from mesa_servicios.catalogo import asegurar_catalogo

    asegurar_catalogo()
    usuarios = [UsuarioFactory() for _ in range(6)]
    errores: list[BaseException] = []
    barrera = threading.Barrier(6)

    def registrar(u):
        try:
            barrera.wait()
            for _ in range(5):
                with transaction.atomic():
                    tickets.ticket_registrar(solicitante=u, **datos_consulta())
        except BaseException as e:  # noqa: BLE001 - reported below
            errores.append(e)
        finally:
            connection.close()

    hilos = [threading.Thread(target=registrar, args=(u,)) for u in usuarios]
    for h in hilos:
        h.start()
    for h in hilos:
        h.join()
    assert not errores
    numeros = sorted(int(n[-6:]) for n in Ticket.objects.values_list("numero", flat=True))
    assert numeros == list(range(1, 31))
