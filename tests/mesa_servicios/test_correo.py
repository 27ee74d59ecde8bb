"""E-mail channel: mail → ticket with its attachments, replies → follow-ups, idempotent on Message-ID, invalid
attachments rejected with a reply, loops ignored; the stdin command and the IMAP job use the same service.

Unless a test says otherwise, the mails carry the receiving MTA's Authentication-Results (DMARC pass for the
From: domain); forged senders and replies are in test_correo_seguridad.py."""

import io
from email.message import EmailMessage

import pytest
from django.core import mail
from django.core.management import call_command

from mesa_servicios.models import CorreoEntrante, Ticket
from mesa_servicios.services import correo, tickets
from tramites.models import Usuario

from .conftest import PDF, PNG

pytestmark = pytest.mark.django_db

AUTHSERV = "mx.aduana.test"


@pytest.fixture(autouse=True)
def mta_confiable(settings):
    settings.MESA_CORREO_AUTHSERV_ID = AUTHSERV


def mensaje(
    asunto="Error al transmitir",
    remitente="Ana Pérez <ana@correo.test>",
    cuerpo=None,
    adjuntos=(),
    mid="<m1@correo.test>",
    autenticacion="dmarc=pass",
    **cabeceras,
):
    """A mail as our MTA hands it over: its Authentication-Results on top (`autenticacion=None`: none)."""
    m = EmailMessage()
    if autenticacion:
        dominio = remitente.rsplit("@", 1)[-1].strip(">")
        m["Authentication-Results"] = f"{AUTHSERV}; {autenticacion} header.from={dominio}"
    m["From"] = remitente
    m["To"] = cabeceras.pop("To", "mesadeservicios@aduana.gob.ec")
    m["Subject"] = asunto
    if mid:
        m["Message-ID"] = mid
    for k, v in cabeceras.items():
        m[k.replace("_", "-")] = v
    m.set_content(cuerpo if cuerpo is not None else "Al transmitir la DAI, ECUAPASS responde con un error 500 desde esta mañana.")
    for nombre, datos, tipo in adjuntos:
        principal, sub = tipo.split("/")
        m.add_attachment(datos, maintype=principal, subtype=sub, filename=nombre)
    return m.as_bytes()


def test_correo_nuevo_crea_ticket_con_adjuntos_para_usuario_existente(usuario, django_capture_on_commit_callbacks):
    crudo = mensaje(
        remitente=f"Ana <{usuario.email.upper()}>",
        adjuntos=[("captura.png", PNG, "image/png"), ("dai.pdf", PDF, "application/pdf")],
    )
    with django_capture_on_commit_callbacks(execute=True):
        registro = correo.correo_procesar(crudo=crudo)
    assert registro.resultado == CorreoEntrante.Resultado.TICKET
    t = registro.ticket
    assert (t.solicitante, t.canal, t.tipo, t.motivo.codigo) == (usuario, "correo", "consulta", "otros")
    assert sorted(t.adjuntos.values_list("nombre", flat=True)) == ["captura.png", "dai.pdf"]
    (acuse,) = mail.outbox
    (responder_a,) = acuse.reply_to
    assert acuse.subject.startswith(f"[{t.numero} #") and responder_a.startswith(f"mesadeservicios+{t.numero.lower()}.")
    assert responder_a.endswith("@aduana.gob.ec")


def test_mismo_message_id_no_crea_otro_ticket_ni_otra_respuesta(usuario):
    crudo = mensaje(remitente=usuario.email)
    primero = correo.correo_procesar(crudo=crudo)
    segundo = correo.correo_procesar(crudo=crudo)
    assert primero.pk == segundo.pk
    assert Ticket.objects.count() == 1 and CorreoEntrante.objects.count() == 1


def test_remitente_desconocido_recibe_cuenta_inactiva_y_enlace(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        registro = correo.correo_procesar(crudo=mensaje(remitente="Marco Andrade <marco@nuevo.test>"))
    u = Usuario.objects.get(email="marco@nuevo.test")
    assert not u.is_active and not u.has_usable_password() and (u.first_name, u.last_name) == ("Marco", "Andrade")
    assert registro.ticket.solicitante == u
    assert "/mesa/activar/" in mail.outbox[0].body


def test_adjunto_invalido_rechaza_el_correo_y_explica(usuario, django_capture_on_commit_callbacks):
    crudo = mensaje(remitente=usuario.email, adjuntos=[("factura.pdf", b"no soy un pdf", "application/pdf")])
    with django_capture_on_commit_callbacks(execute=True):
        registro = correo.correo_procesar(crudo=crudo)
        correo.correo_procesar(crudo=crudo)  # re-delivery: no second reply
    assert registro.resultado == CorreoEntrante.Resultado.RECHAZADO
    assert not Ticket.objects.exists()
    (respuesta,) = mail.outbox
    assert respuesta.to == [usuario.email]
    assert "«factura.pdf» no es un documento aceptado" in respuesta.body
    assert respuesta.extra_headers["Auto-Submitted"] == "auto-replied"


def acuse_de(ticket):
    """The last desk e-mail about `ticket` (its subject and Reply-To carry the reply token)."""
    return [m for m in mail.outbox if ticket.numero in m.subject][-1]


def test_respuesta_al_correo_de_la_mesa_es_seguimiento_y_reanuda(consulta, mesa, usuario, django_capture_on_commit_callbacks):
    tickets.ticket_tomar(ticket_id=consulta.pk, por=mesa)
    with django_capture_on_commit_callbacks(execute=True):
        tickets.ticket_solicitar_informacion(ticket_id=consulta.pk, por=mesa, mensaje="¿Cuál es su RUC?")
    pedido = acuse_de(consulta)
    cuerpo = "Mi RUC es 1790085783001.\n\nEl lun, 23 nov 2026, Mesa escribió:\n> ¿Cuál es su RUC?\n"
    crudo = mensaje(asunto=f"RE: {pedido.subject}", remitente=usuario.email, cuerpo=cuerpo, mid="<r1@x>")
    registro = correo.correo_procesar(crudo=crudo)
    consulta.refresh_from_db()
    assert registro.resultado == CorreoEntrante.Resultado.SEGUIMIENTO
    assert consulta.estado == Ticket.Estado.EN_ANALISIS
    ultimo = consulta.seguimientos.last()
    assert (ultimo.texto, ultimo.canal, ultimo.autor) == ("Mi RUC es 1790085783001.", "correo", usuario)


def test_respuesta_a_ticket_cerrado_se_rechaza(respondido, usuario):
    from mesa_servicios.services.correo_origen import direccion_respuesta

    tickets.ticket_aceptar(ticket_id=respondido.pk, usuario=usuario)
    cerrado = correo.correo_procesar(
        crudo=mensaje(asunto="Re: consulta", remitente=usuario.email, mid="<b@x>", To=direccion_respuesta(respondido))
    )
    assert cerrado.resultado == CorreoEntrante.Resultado.RECHAZADO and "no se reabre" in cerrado.respuesta_texto
    assert not respondido.seguimientos.filter(canal="correo").exists()


def test_respuestas_automaticas_y_bucles_se_ignoran(usuario):
    for n, extra in enumerate([{"Auto_Submitted": "auto-replied"}, {"Precedence": "bulk"}]):
        r = correo.correo_procesar(crudo=mensaje(remitente=usuario.email, mid=f"<auto{n}@x>", **extra))
        assert r.resultado == CorreoEntrante.Resultado.IGNORADO and not r.respuesta_texto
    r = correo.correo_procesar(crudo=mensaje(remitente="mesadeservicios@aduana.gob.ec", mid="<loop@x>"))
    assert r.resultado == CorreoEntrante.Resultado.IGNORADO
    assert not Ticket.objects.exists()


def test_correo_sin_texto_o_sin_message_id(usuario):
    vacio = correo.correo_procesar(crudo=mensaje(remitente=usuario.email, cuerpo="", mid="<v@x>"))
    assert vacio.resultado == CorreoEntrante.Resultado.RECHAZADO and "no tiene texto" in vacio.detalle
    sin_id = mensaje(remitente=usuario.email, mid=None)
    assert correo.correo_procesar(crudo=sin_id).pk == correo.correo_procesar(crudo=sin_id).pk


def test_comando_lee_de_la_entrada_estandar(usuario, monkeypatch):
    entrada = io.TextIOWrapper(io.BytesIO(mensaje(remitente=usuario.email)))
    monkeypatch.setattr("sys.stdin", entrada)
    salida = io.StringIO()
    call_command("recibir_correo", stdout=salida)
    assert "Ticket creado: MDS-" in salida.getvalue()
    assert Ticket.objects.get().canal == "correo"


class ImapFalso:
    """Minimal IMAP4 server double: UID SEARCH UNSEEN, FETCH, STORE \\Seen."""

    buzon: dict = {}
    vistos: set = set()

    def __init__(self, host, port):
        self.host = host

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def login(self, usuario, clave):
        return "OK", [b"Logged in"]

    def select(self, carpeta):
        return "OK", [str(len(self.buzon)).encode()]

    def uid(self, comando, *args):
        if comando == "SEARCH":
            return "OK", [b" ".join(uid for uid in self.buzon if uid not in self.vistos)]
        if comando == "FETCH":
            return "OK", [(args[0] + b" (UID BODY[] {n})", self.buzon[args[0]]), b")"]
        if comando == "STORE":
            self.vistos.add(args[0])
            return "OK", []
        raise AssertionError(comando)


def test_buzon_imap_procesa_no_leidos_y_los_marca(usuario, settings, monkeypatch):
    settings.MESA_IMAP_HOST = "imap.aduana.test"
    ImapFalso.buzon = {b"7": mensaje(remitente=usuario.email, mid="<i7@x>"), b"8": mensaje(remitente=usuario.email, mid="<i8@x>")}
    ImapFalso.vistos = set()
    monkeypatch.setattr("imaplib.IMAP4_SSL", ImapFalso)
    assert correo.buzon_leer() == 2
    assert ImapFalso.vistos == {b"7", b"8"} and Ticket.objects.count() == 2
    assert correo.buzon_leer() == 0


def test_buzon_sin_configurar_no_hace_nada(settings):
    settings.MESA_IMAP_HOST = ""
    assert correo.buzon_leer() == 0
