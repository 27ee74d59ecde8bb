"""The e-mail channel under a forged From: (issue 15.7): a reply attaches to a ticket only with its reply token,
from its requester, authenticated by our MTA; an unauthenticated sender gets an unverified ticket that reaches no
account until the address confirms it; acknowledgements never relay the sender's text; the Message-ID is
idempotent per sender; NUL bytes, bad charsets and non-mail input never crash (`recibir_correo` exits 65/75)."""

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command

from mesa_servicios import selectors
from mesa_servicios.models import CorreoEntrante, Ticket
from mesa_servicios.services import correo, tickets
from tests.factories import UsuarioOperadorFactory

from .test_correo import AUTHSERV, mensaje, mta_confiable  # noqa: F401 - the autouse fixture applies here too

pytestmark = pytest.mark.django_db


def acuse_de(ticket):
    return [m for m in mail.outbox if ticket.numero in m.subject][-1]


@pytest.fixture
def consulta_con_acuse(usuario, django_capture_on_commit_callbacks):
    """A ticket the user filed by (authenticated) e-mail, and the acknowledgement the desk sent back."""
    with django_capture_on_commit_callbacks(execute=True):
        registro = correo.correo_procesar(crudo=mensaje(remitente=usuario.email, mid="<original@correo.test>"))
    return registro.ticket, acuse_de(registro.ticket)


# --- Replies ------------------------------------------------------------------------------------------------


def test_respuesta_con_el_token_del_reply_to_agrega_seguimiento(consulta_con_acuse, usuario):
    ticket, acuse = consulta_con_acuse
    crudo = mensaje(
        asunto="Re: mi consulta", remitente=usuario.email, cuerpo="Adjunto más datos.", mid="<r@x>", To=acuse.reply_to[0]
    )
    registro = correo.correo_procesar(crudo=crudo)
    assert (registro.resultado, registro.ticket) == (CorreoEntrante.Resultado.SEGUIMIENTO, ticket)
    assert ticket.seguimientos.get(canal="correo").texto == "Adjunto más datos."


def test_from_falsificado_con_el_numero_no_agrega_al_ticket_ajeno(consulta_con_acuse, usuario):
    ticket, _ = consulta_con_acuse
    forjado = mensaje(
        asunto=f"Re: [{ticket.numero}] Ticket registrado",
        remitente=usuario.email,  # the victim's address, but our MTA did not authenticate it
        cuerpo="Ya no necesito ayuda, cierren el ticket: http://phish.test/login",
        mid="<forjado@x>",
        autenticacion="spf=fail smtp.mailfrom=atacante.test",
    )
    registro = correo.correo_procesar(crudo=forjado)
    assert not ticket.seguimientos.filter(canal="correo").exists()
    assert registro.resultado == CorreoEntrante.Resultado.SIN_VERIFICAR and registro.ticket != ticket
    assert registro.ticket.solicitante is None and ticket.numero not in registro.ticket.asunto


def test_token_valido_desde_otro_remitente_es_igual_que_un_ticket_inexistente(consulta_con_acuse):
    ticket, acuse = consulta_con_acuse
    ajeno = correo.correo_procesar(
        crudo=mensaje(asunto=acuse.subject, remitente="intruso@otro.test", mid="<a@x>", To=acuse.reply_to[0])
    )
    inexistente = correo.correo_procesar(
        crudo=mensaje(asunto="Re: [MDS-2026-999999 #0123456789abcdef0123]", remitente="intruso@otro.test", mid="<b@x>")
    )
    assert not ticket.seguimientos.filter(canal="correo").exists()
    assert ajeno.resultado == inexistente.resultado == CorreoEntrante.Resultado.TICKET
    assert ajeno.ticket.solicitante == inexistente.ticket.solicitante != ticket.solicitante
    assert ticket.numero not in ajeno.ticket.asunto + ajeno.detalle + ajeno.respuesta_texto


def test_numero_sin_token_del_propio_usuario_no_es_seguimiento(consulta_con_acuse, usuario):
    ticket, _ = consulta_con_acuse
    registro = correo.correo_procesar(crudo=mensaje(asunto=f"Re: [{ticket.numero}]", remitente=usuario.email, mid="<s@x>"))
    assert registro.resultado == CorreoEntrante.Resultado.TICKET and registro.ticket != ticket
    assert not ticket.seguimientos.filter(canal="correo").exists()


# --- Unauthenticated senders ----------------------------------------------------------------------------------


def test_from_de_un_operador_sin_autenticar_no_crea_ticket_en_su_cuenta(django_capture_on_commit_callbacks):
    operador = UsuarioOperadorFactory()
    with django_capture_on_commit_callbacks(execute=True):
        registro = correo.correo_procesar(crudo=mensaje(remitente=operador.email, autenticacion=None, mid="<op@x>"))
    t = registro.ticket
    assert (t.solicitante, t.verificado, t.correo_sin_verificar) == (None, False, operador.email)
    assert not operador.tickets_mesa.exists() and not selectors.tickets_visibles(operador).exists()
    assert not operador.notificaciones.exists()


def test_acuse_a_remitente_sin_verificar_no_repite_su_texto(django_capture_on_commit_callbacks):
    asunto = "Su cuenta SENAE será suspendida: valide en http://senae-ec.phish.test/"
    with django_capture_on_commit_callbacks(execute=True):
        registro = correo.correo_procesar(
            crudo=mensaje(
                asunto=asunto, remitente="victima@correo.test", cuerpo="Ingrese en http://phish.test", autenticacion=None
            )
        )
    (acuse,) = mail.outbox
    assert acuse.to == ["victima@correo.test"] and registro.ticket.numero in acuse.subject
    assert "phish" not in acuse.subject + acuse.body and "suspendida" not in acuse.subject + acuse.body
    assert acuse.extra_headers["Auto-Submitted"] == "auto-replied"


def test_rechazo_a_remitente_sin_verificar_no_repite_asunto_ni_archivo(django_capture_on_commit_callbacks):
    crudo = mensaje(
        asunto="Gane un premio en http://phish.test",
        remitente="victima@correo.test",
        adjuntos=[("visite-http-phish.test.pdf", b"no soy un pdf", "application/pdf")],
        autenticacion=None,
    )
    with django_capture_on_commit_callbacks(execute=True):
        correo.correo_procesar(crudo=crudo)
    (respuesta,) = mail.outbox
    assert "phish" not in respuesta.subject + respuesta.body and not Ticket.objects.exists()


def test_ticket_sin_verificar_no_cuenta_hasta_que_el_remitente_lo_confirma(
    client, usuario, mesa, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        registro = correo.correo_procesar(crudo=mensaje(remitente=usuario.email, autenticacion=None, mid="<c@x>"))
    t = registro.ticket
    enlace = re.search(r"(/mesa/correo/confirmar/\S+/)", mail.outbox[0].body).group(1)
    tickets.ticket_tomar(ticket_id=t.pk, por=mesa)
    tickets.ticket_responder(ticket_id=t.pk, por=mesa, respuesta="Consulte el instructivo del portal.")
    t.refresh_from_db()
    mes = {"anio": t.primera_respuesta_en.year, "mes": t.primera_respuesta_en.month}
    assert selectors.volumen_atenciones(**mes) == 0 and not selectors.tickets_visibles(usuario).exists()

    assert client.get(enlace).status_code == 200  # showing the page (a link scanner) confirms nothing
    assert not Ticket.objects.get(pk=t.pk).verificado
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(enlace).status_code == 200
    t.refresh_from_db()
    assert (t.verificado, t.solicitante) == (True, usuario)
    assert selectors.volumen_atenciones(**mes) == 1 and selectors.tickets_visibles(usuario).get() == t
    assert t.transiciones().filter(transicion="confirmar_correo", por=usuario).exists()
    assert client.post(enlace).status_code == 400  # one-time link


def test_enlace_de_confirmacion_alterado_no_confirma(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        registro = correo.correo_procesar(crudo=mensaje(remitente="x@correo.test", autenticacion=None))
    enlace = re.search(r"(/mesa/correo/confirmar/\S+)/", mail.outbox[0].body).group(1)
    assert client.post(enlace[:-3] + "xyz/").status_code == 400
    assert not Ticket.objects.get(pk=registro.ticket_id).verificado


# --- Authentication-Results -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("resultados", "autenticado"),
    [
        ("dmarc=pass header.from=correo.test", True),
        ("dkim=pass header.d=mail.correo.test; spf=fail smtp.mailfrom=x@otro.test", True),
        ("spf=pass (sender SPF authorized) smtp.mailfrom=rebotes@correo.test", True),
        ("dkim=pass header.d=atacante.test; spf=pass smtp.mailfrom=a@atacante.test", False),
        ("dmarc=fail header.from=correo.test; spf=softfail smtp.mailfrom=ana@correo.test", False),
        ("none", False),
    ],
)
def test_authentication_results_del_mta(usuario, resultados, autenticado):
    crudo = (
        f"Authentication-Results: {AUTHSERV}; {resultados}\r\nFrom: {usuario.email}\r\nSubject: Consulta\r\n"
        "Message-ID: <ar@x>\r\n\r\nNecesito ayuda con el registro de mi RUC en el portal.\r\n"
    ).encode()
    registro = correo.correo_procesar(crudo=crudo)
    assert registro.autenticado is autenticado
    assert (registro.ticket.solicitante == usuario) is autenticado


@pytest.mark.parametrize(
    "cabeceras",
    [
        # the sender's own header, below the one our MTA prepended
        "Authentication-Results: {id}; spf=fail smtp.mailfrom=atacante.test\r\n"
        "Authentication-Results: {id}; dmarc=pass header.from=correo.test\r\n",
        # another server's verdict, and ours absent
        "Authentication-Results: mx.atacante.test; dmarc=pass header.from=correo.test\r\n",
        # a look-alike authserv-id
        "Authentication-Results: {id}.atacante.test; dmarc=pass header.from=correo.test\r\n",
    ],
)
def test_authentication_results_falsificado_no_autentica(usuario, cabeceras):
    crudo = (
        cabeceras.format(id=AUTHSERV) + f"From: {usuario.email}\r\nSubject: Hola\r\nMessage-ID: <f@x>\r\n\r\n"
        "Texto suficiente para una consulta de la mesa.\r\n"
    ).encode()
    registro = correo.correo_procesar(crudo=crudo)
    assert not registro.autenticado and registro.ticket.solicitante is None


def test_sin_authserv_id_configurado_nadie_se_autentica(usuario, settings):
    settings.MESA_CORREO_AUTHSERV_ID = ""
    registro = correo.correo_procesar(crudo=mensaje(remitente=usuario.email))
    assert registro.resultado == CorreoEntrante.Resultado.SIN_VERIFICAR and not usuario.tickets_mesa.exists()


# --- Idempotency, loops, bad input ----------------------------------------------------------------------------


def test_message_id_ocupado_por_otro_remitente_no_descarta_el_correo_real(usuario):
    squat = correo.correo_procesar(crudo=mensaje(remitente="atacante@otro.test", mid="<real-123@correo.test>"))
    real = correo.correo_procesar(crudo=mensaje(remitente=usuario.email, mid="<real-123@correo.test>"))
    assert real.pk != squat.pk and real.resultado == CorreoEntrante.Resultado.TICKET
    assert real.ticket.solicitante == usuario
    assert correo.correo_procesar(crudo=mensaje(remitente=usuario.email, mid="<real-123@correo.test>")).pk == real.pk


def test_listas_el_buzon_con_extension_y_el_remitente_del_portal_se_ignoran(usuario, settings):
    settings.DEFAULT_FROM_EMAIL = "Portal SENAE <avisos@aduana.gob.ec>"
    lista = correo.correo_procesar(crudo=mensaje(remitente=usuario.email, mid="<l@x>", List_Id="<avisos.correo.test>"))
    eco = correo.correo_procesar(
        crudo=mensaje(remitente="mesadeservicios+mds-2026-000001.0123456789abcdef0123@aduana.gob.ec", mid="<e@x>")
    )
    portal = correo.correo_procesar(crudo=mensaje(remitente="Portal SENAE <avisos@aduana.gob.ec>", mid="<p@x>"))
    assert lista.resultado == eco.resultado == portal.resultado == CorreoEntrante.Resultado.IGNORADO
    assert not Ticket.objects.exists()


def test_bytes_nul_y_charset_invalido_no_rompen(usuario):
    crudo = (
        f"Authentication-Results: {AUTHSERV}; dmarc=pass header.from=correo.test\r\n"
        f"From: Ana\x00 <{usuario.email}>\r\nSubject: Error\x00 al firmar\r\nMessage-ID: <nul@x>\r\n"
        "Content-Type: text/plain; charset=x-no-existe\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
    ).encode() + "La firma electr\u00f3nica falla\x00 al transmitir la DAI.\r\n".encode()
    registro = correo.correo_procesar(crudo=crudo)
    t = registro.ticket
    assert registro.resultado == CorreoEntrante.Resultado.TICKET
    assert t.asunto == "Error al firmar" and "\x00" not in t.descripcion and "falla al transmitir" in t.descripcion


def _recibir(monkeypatch, crudo):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(crudo)))
    with pytest.raises(SystemExit) as salida:
        call_command("recibir_correo", stdout=io.StringIO(), stderr=io.StringIO())
    return salida.value.code


def test_recibir_correo_sale_con_65_para_correo_invalido(monkeypatch, settings):
    settings.MESA_CORREO_TAMANO_MAXIMO = 2000
    assert _recibir(monkeypatch, b"") == 65
    assert _recibir(monkeypatch, b"esto no es un correo\r\n") == 65
    assert _recibir(monkeypatch, mensaje(remitente="no-es-una-direccion")) == 65
    assert _recibir(monkeypatch, mensaje(remitente="ana@correo.test", cuerpo="x" * 3000)) == 65
    assert not CorreoEntrante.objects.exists()


def test_recibir_correo_sale_con_75_sin_base_de_datos():
    """A real process against a PostgreSQL port nobody listens on: the MTA must keep the mail (75)."""
    raiz = Path(__file__).resolve().parents[2]
    entorno = {**os.environ, "DJANGO_SETTINGS_MODULE": "senae_portal.settings.test"}
    entorno["DATABASE_URL"] = "postgres://postgres@127.0.0.1:9/no_existe"
    proceso = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "recibir_correo"],
        input=mensaje(remitente="ana@correo.test"),
        cwd=raiz,
        env=entorno,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert proceso.returncode == 75, proceso.stderr.decode()[-2000:]


def test_la_mesa_ve_el_ticket_sin_verificar_en_el_admin(client, mesa):
    registro = correo.correo_procesar(crudo=mensaje(remitente="quien@correo.test", autenticacion=None))
    client.force_login(mesa)
    r = client.get(f"/admin/mesa_servicios/ticket/{registro.ticket_id}/change/")
    assert r.status_code == 200 and "Sin verificar: quien@correo.test" in r.content.decode()
