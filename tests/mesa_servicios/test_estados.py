"""Every state path of the ticket, through the services (audited transitions, permissions, no reopening)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mesa_servicios.models import Seguimiento, Ticket
from mesa_servicios.services import sla, tickets
from mesa_servicios.services.tickets import cierre_automatico_desde
from tests.factories import FuncionarioFactory, UsuarioFactory
from tramites import roles
from tramites.exceptions import ComentarioRequerido, DatosInvalidos, NoEncontrado, PermisoDenegado, TransicionNoPermitida
from tramites.models import Transicion

from .conftest import datos_incidente, png

pytestmark = pytest.mark.django_db


def estados(ticket):
    return [(t.transicion, t.hacia) for t in Transicion.objects.de(ticket)]


def test_camino_completo_con_pedido_de_informacion_y_aceptacion(incidente, analista, mesa, usuario):
    assert incidente.estado == Ticket.Estado.REGISTRADO
    tickets.ticket_asignar(ticket_id=incidente.pk, por=analista, analista=analista)
    tickets.ticket_iniciar_analisis(ticket_id=incidente.pk, por=analista)
    tickets.ticket_solicitar_informacion(ticket_id=incidente.pk, por=analista, mensaje="Envíe la captura completa.")
    tickets.ticket_agregar_mensaje(ticket_id=incidente.pk, autor=usuario, texto="Adjunto la captura.", archivos=[png()])
    tickets.ticket_responder(ticket_id=incidente.pk, por=analista, respuesta="Solucionado.")
    tickets.ticket_aceptar(ticket_id=incidente.pk, usuario=usuario)
    incidente.refresh_from_db()
    assert incidente.estado == Ticket.Estado.CERRADO
    assert incidente.resultado == Ticket.Resultado.CONFORME
    assert estados(incidente) == [
        ("registrar", "registrado"),
        ("asignar", "asignado"),
        ("iniciar_analisis", "en_analisis"),
        ("solicitar_informacion", "pendiente_usuario"),
        ("aportar_informacion", "en_analisis"),
        ("responder", "respondido"),
        ("aceptar", "cerrado"),
    ]
    tipos = list(incidente.seguimientos.values_list("tipo", flat=True))
    assert tipos == ["solicitud_informacion", "mensaje", "respuesta"]
    assert incidente.seguimientos.get(tipo="mensaje").adjuntos.count() == 1


def test_no_conforme_cierra_y_abre_un_ticket_nuevo_vinculado(respondido, usuario):
    nuevo = tickets.ticket_no_conforme(ticket_id=respondido.pk, usuario=usuario, motivo="Sigue fallando.")
    respondido.refresh_from_db()
    assert respondido.estado == Ticket.Estado.CERRADO
    assert respondido.resultado == Ticket.Resultado.NO_CONFORME
    assert nuevo.pk != respondido.pk and nuevo.origen == respondido
    assert nuevo.estado == Ticket.Estado.REGISTRADO
    assert nuevo.numero != respondido.numero
    assert nuevo.tipo == respondido.tipo and nuevo.area == respondido.area
    assert "Sigue fallando." in nuevo.descripcion
    assert nuevo.adjuntos.count() == respondido.adjuntos.count() == 1  # the screenshots go along
    assert list(respondido.continuaciones.all()) == [nuevo]
    # No reopening: the closed ticket refuses messages, and a second "not satisfied" is refused too.
    with pytest.raises(Exception) as e:
        tickets.ticket_agregar_mensaje(ticket_id=respondido.pk, autor=usuario, texto="¿Hola?")
    assert e.value.code == "ticket_cerrado"
    with pytest.raises(TransicionNoPermitida):
        tickets.ticket_no_conforme(ticket_id=respondido.pk, usuario=usuario, motivo="Otra vez")


def test_no_conforme_exige_motivo(respondido, usuario):
    with pytest.raises(DatosInvalidos):
        tickets.ticket_no_conforme(ticket_id=respondido.pk, usuario=usuario, motivo="  ")
    respondido.refresh_from_db()
    assert respondido.estado == Ticket.Estado.RESPONDIDO


def test_respuesta_sin_accion_del_usuario_se_cierra_sola(respondido, settings):
    assert respondido.cierre_automatico_en == cierre_automatico_desde(respondido.respondido_en)
    assert sla.tickets_cerrar_inactivos(ahora=respondido.cierre_automatico_en - timedelta(minutes=1)) == 0
    assert sla.tickets_cerrar_inactivos(ahora=respondido.cierre_automatico_en + timedelta(minutes=1)) == 1
    respondido.refresh_from_db()
    assert respondido.estado == Ticket.Estado.CERRADO
    assert respondido.resultado == Ticket.Resultado.SIN_OBJECION
    assert Transicion.objects.de(respondido).last().por is None  # the system closed it


def test_pedido_de_informacion_sin_respuesta_se_cierra(incidente, analista):
    tickets.ticket_tomar(ticket_id=incidente.pk, por=analista)
    t = tickets.ticket_solicitar_informacion(ticket_id=incidente.pk, por=analista, mensaje="¿Qué navegador usa?")
    assert sla.tickets_cerrar_inactivos(ahora=t.cierre_automatico_en + timedelta(seconds=1)) == 1
    t.refresh_from_db()
    assert t.resultado == Ticket.Resultado.SIN_INFORMACION


def test_cierre_automatico_configurable(incidente, analista, settings):
    settings.MESA_DIAS_CIERRE_AUTOMATICO = 2
    tickets.ticket_tomar(ticket_id=incidente.pk, por=analista)
    lunes = timezone.make_aware(timezone.datetime(2026, 11, 23, 10, 0))
    t = tickets.ticket_responder(ticket_id=incidente.pk, por=analista, respuesta="Listo.", ahora=lunes)
    assert timezone.localtime(t.cierre_automatico_en).date() == timezone.datetime(2026, 11, 25).date()


def test_duplicados_se_responden_con_el_principal(analista, usuario):
    principal = tickets.ticket_registrar(solicitante=usuario, **datos_incidente(asunto="ECUAPASS caído"))
    otros = [tickets.ticket_registrar(solicitante=UsuarioFactory(), **datos_incidente()) for _ in range(3)]
    tickets.ticket_tomar(ticket_id=principal.pk, por=analista)
    for t in otros:
        tickets.ticket_vincular(ticket_id=t.pk, por=analista, padre_numero=principal.numero)
    assert Ticket.objects.filter(padre=principal, estado=Ticket.Estado.VINCULADO).count() == 3
    tickets.ticket_responder(
        ticket_id=principal.pk, por=analista, respuesta="Servicio restablecido a las 11h00.", archivos=[png()]
    )
    for t in otros:
        t.refresh_from_db()
        assert t.estado == Ticket.Estado.RESPONDIDO
        assert t.respuesta == "Servicio restablecido a las 11h00."
        assert t.primera_respuesta_en is not None
        assert t.seguimientos.get(tipo=Seguimiento.Tipo.RESPUESTA).adjuntos.count() == 1
        assert t.solicitante.notificaciones.filter(asunto__startswith=f"[{t.numero} #").exists()


def test_vinculo_invalido(incidente, consulta, analista, mesa):
    otro = tickets.ticket_registrar(solicitante=incidente.solicitante, **datos_incidente())
    with pytest.raises(Exception, match="no es un incidente") as e:
        tickets.ticket_vincular(
            ticket_id=otro.pk,
            por=FuncionarioFactory(grupos=[roles.SUPERVISOR, roles.ANALISIS_FUNCIONAL]),
            padre_numero=consulta.numero,
        )
    assert e.value.code == "vinculo_invalido"
    with pytest.raises(Exception, match="no existe"):
        tickets.ticket_vincular(ticket_id=otro.pk, por=analista, padre_numero=otro.numero)
    tickets.ticket_vincular(ticket_id=otro.pk, por=analista, padre_numero=incidente.numero)
    tickets.ticket_desvincular(ticket_id=otro.pk, por=analista)
    otro.refresh_from_db()
    assert otro.estado == Ticket.Estado.EN_ANALISIS and otro.padre is None and otro.asignado_a == analista


def test_descartar_exige_motivo_y_avisa(incidente, analista):
    with pytest.raises(ComentarioRequerido):
        tickets.ticket_descartar(ticket_id=incidente.pk, por=analista, motivo=" ")
    tickets.ticket_descartar(ticket_id=incidente.pk, por=analista, motivo="Prueba del usuario.")
    incidente.refresh_from_db()
    assert (incidente.estado, incidente.resultado) == (Ticket.Estado.CERRADO, Ticket.Resultado.DESCARTADO)


def test_el_usuario_no_atiende_y_el_analista_no_acepta(incidente, respondido, analista, usuario):
    with pytest.raises(NoEncontrado):  # a user cannot even see another queue's work
        tickets.ticket_tomar(ticket_id=incidente.pk, por=UsuarioFactory())
    with pytest.raises(PermisoDenegado):
        tickets.ticket_aceptar(ticket_id=respondido.pk, usuario=analista)
    otro = tickets.ticket_registrar(solicitante=usuario, **datos_incidente())
    tickets.ticket_tomar(ticket_id=otro.pk, por=analista)
    with pytest.raises(PermisoDenegado):  # the reporter sees the ticket but may not answer it
        tickets.ticket_responder(ticket_id=otro.pk, por=usuario, respuesta="Me respondo solo.")


def test_responder_en_estado_equivocado_es_409(incidente, analista):
    with pytest.raises(TransicionNoPermitida) as e:
        tickets.ticket_responder(ticket_id=incidente.pk, por=analista, respuesta="x")
    assert e.value.http_status == 409


def test_analista_de_otra_cola_no_ve_ni_toma(incidente, mesa):
    with pytest.raises(NoEncontrado):
        tickets.ticket_tomar(ticket_id=incidente.pk, por=mesa)


def test_asignar_solo_a_analistas_de_la_cola(incidente, analista, mesa):
    with pytest.raises(Exception, match="no atiende") as e:
        tickets.ticket_asignar(ticket_id=incidente.pk, por=analista, analista=mesa)
    assert e.value.code == "analista_invalido"


def test_responder_con_plantilla(incidente, analista):
    from mesa_servicios.models import PlantillaRespuesta

    plantilla = PlantillaRespuesta.objects.get(nombre="Incidente solucionado")
    tickets.ticket_tomar(ticket_id=incidente.pk, por=analista)
    t = tickets.ticket_responder(ticket_id=incidente.pk, por=analista, plantilla=plantilla)
    assert incidente.numero in t.respuesta and "Ana" in t.respuesta


def test_llamada_atendida_en_el_momento(mesa):
    from mesa_servicios.models import Motivo

    t = tickets.ticket_registrar_llamada(
        por=mesa,
        email="Nuevo@Correo.test",
        nombre="Rosa Quishpe",
        telefono_contacto="0987654321",
        tipo=Ticket.Tipo.CONSULTA,
        motivo=Motivo.objects.get(codigo="usuarios_ecuapass"),
        asunto="Horario",
        descripcion="Pregunta por el horario de atención telefónica.",
        respuesta_inmediata="De lunes a viernes de 08h00 a 17h00.",
    )
    assert t.canal == Ticket.Canal.TELEFONO and t.registrado_por == mesa
    assert t.estado == Ticket.Estado.RESPONDIDO and t.primera_respuesta_en is not None
    assert t.solicitante.email == "nuevo@correo.test" and not t.solicitante.is_active
    with pytest.raises(PermisoDenegado):
        tickets.ticket_registrar_llamada(por=UsuarioFactory(), email="x@y.test", telefono_contacto="1", tipo="consulta")


def test_principal_con_duplicados_no_se_descarta_ni_se_cierra_solo(analista, usuario):
    principal = tickets.ticket_registrar(solicitante=usuario, **datos_incidente())
    dup = tickets.ticket_registrar(solicitante=UsuarioFactory(), **datos_incidente())
    tickets.ticket_tomar(ticket_id=principal.pk, por=analista)
    tickets.ticket_vincular(ticket_id=dup.pk, por=analista, padre_numero=principal.numero)
    with pytest.raises(Exception, match="tiene duplicados vinculados"):
        tickets.ticket_descartar(ticket_id=principal.pk, por=analista, motivo="Error")
    t = tickets.ticket_solicitar_informacion(ticket_id=principal.pk, por=analista, mensaje="¿Desde qué hora?")
    assert sla.tickets_cerrar_inactivos(ahora=t.cierre_automatico_en + timedelta(days=1)) == 0
