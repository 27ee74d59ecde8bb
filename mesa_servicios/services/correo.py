"""The e-mail channel: one service turns an RFC 822 message into a ticket, or into a follow-up of the ticket it
answers. Used by `manage.py recibir_correo` (an MTA pipes each mail to it) and by the periodic IMAP job
(`buzon_leer`). ADR 0019.

- A mail is a follow-up ONLY when it carries the ticket's reply token (in the plus-extension of the desk's
  address or in the subject, see `correo_origen`), its From: is the ticket's requester, and the receiving MTA
  authenticated that From: (SPF/DKIM/DMARC aligned). Anything else that names a ticket is treated exactly like
  a mail naming no ticket (or a ticket that does not exist): a new ticket, so nobody learns whose ticket a
  number is.
- A sender the MTA did not authenticate never reaches an account: the mail becomes an UNVERIFIED ticket (no
  requester, invisible to every user, not counted in the transparency figures) and the From: address gets a
  fixed acknowledgement (number and confirmation link, no text of the mail). Confirming the link attaches it
  to the account of that address (or a new inactive one).
- Idempotent per sender: one CorreoEntrante row per (normalised From:, Message-ID) (unique hash), inserted
  first in the same transaction, so a re-delivered mail never creates a second ticket nor a second reply, and a
  squatted Message-ID from another sender does not drop the real mail.
- Attachments are validated (type by content, size) before anything is written; an invalid one rejects the
  whole mail with a reply (which names the file only to an authenticated sender).
- A closed ticket is never reopened: its requester is told.
- Automatic mail (Auto-Submitted, bulk/list precedence, List-Id, bounces, our own mailbox) is recorded and
  ignored, so two autoresponders can never loop.
- Oversized or unparseable mail, or one without a usable From:, raises `CorreoInvalido` (the command exits 65
  so the MTA bounces it); NUL bytes and undecodable text are cleaned, never stored.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import hashlib
import imaplib
import logging
import re
from dataclasses import dataclass, field
from email.message import EmailMessage as MensajeMime

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from tramites.exceptions import DatosInvalidos, ErrorDeNegocio
from tramites.models import Transicion
from tramites.salidas import salida_encolar
from tramites.validators import verificar_archivo

from ..models import CorreoEntrante, Motivo, Ticket
from .correo_origen import REFERENCIA_EN_ASUNTO, es_del_buzon, referencias, remitente_autenticado, token_valido
from .cuentas import aviso_activacion, solicitante_por_correo
from .tickets import _avisar_solicitante, ticket_agregar_mensaje, ticket_registrar

log = logging.getLogger(__name__)

_INICIO_CITA = re.compile(
    r"^\s*(?:(?:El|On)\s.+(?:escribió|wrote)\s*:|-{2,}\s*(?:Mensaje original|Original Message)\s*-{2,}|_{10,})\s*$",
    re.IGNORECASE,
)
_REMITENTES_AUTOMATICOS = ("mailer-daemon@", "postmaster@", "no-reply@", "noreply@", "no-responder@")
_CABECERAS_DESTINO = ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To")
_SAL_CONFIRMAR = "mesa_servicios.correo.confirmar"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class CorreoInvalido(Exception):
    """The input is not a mail the desk can handle (too big, unparseable, no usable sender): bounce it."""


@dataclass
class CorreoLeido:
    message_id: str
    huella: str
    remitente: str
    nombre: str
    asunto: str
    texto: str
    automatico: bool
    autenticado: bool = False
    referencias: list[tuple[str, str]] = field(default_factory=list)
    adjuntos: list[SimpleUploadedFile] = field(default_factory=list)


def _limpio(texto: str, *, una_linea: bool = False) -> str:
    """Text safe to store: no NUL or other control characters (PostgreSQL refuses NUL in text)."""
    texto = _CONTROL.sub("", texto.replace("\x00", ""))
    return " ".join(texto.split()) if una_linea else texto


def _cabecera(msg: MensajeMime, nombre: str) -> str:
    try:
        return _limpio(str(msg.get(nombre, "") or ""), una_linea=True)
    except (ValueError, LookupError, TypeError, IndexError, AttributeError):  # a malformed header the parser chokes on
        return ""


def _texto_de(parte) -> str:
    try:
        return parte.get_content()
    except (LookupError, ValueError, UnicodeError, KeyError):  # unknown charset, broken transfer encoding
        datos = parte.get_payload(decode=True) or b""
        return datos.decode("utf-8", errors="replace")


def _nombre_archivo(nombre: str) -> str:
    nombre = _limpio(nombre, una_linea=True).replace("/", "_").replace("\\", "_") or "adjunto"
    if len(nombre) > 150:
        base, punto, extension = nombre.rpartition(".")
        nombre = f"{base[:140]}.{extension[:8]}" if punto and len(extension) <= 8 else nombre[:150]
    return nombre


def huella_correo(remitente: str, message_id: str) -> str:
    return hashlib.sha256(f"{remitente.strip().lower()}\n{message_id.strip()}".encode()).hexdigest()


def correo_interpretar(crudo: bytes) -> CorreoLeido:
    if len(crudo) > settings.MESA_CORREO_TAMANO_MAXIMO:
        raise CorreoInvalido(f"El correo supera el tamaño máximo ({settings.MESA_CORREO_TAMANO_MAXIMO} bytes).")
    try:
        msg = email.message_from_bytes(crudo, policy=email.policy.default)
    except Exception as e:  # noqa: BLE001 - the parser is lenient; anything it still raises means "not a mail"
        raise CorreoInvalido(f"El mensaje no se puede interpretar: {e}") from None
    if not msg.keys():
        raise CorreoInvalido("El mensaje no tiene cabeceras.")
    nombre, remitente = email.utils.parseaddr(_cabecera(msg, "From"))
    remitente = _limpio(remitente, una_linea=True).lower()
    try:
        validate_email(remitente)
    except ValidationError:
        raise CorreoInvalido("El correo no tiene un remitente (From:) válido.") from None
    message_id = _cabecera(msg, "Message-ID") or f"<sin-id-{hashlib.sha256(crudo).hexdigest()}@portal>"
    try:
        cuerpo = msg.get_body(preferencelist=("plain", "html"))
        texto = ""
        if cuerpo is not None:
            texto = _texto_de(cuerpo)
            if cuerpo.get_content_type() == "text/html":
                texto = strip_tags(texto)
        adjuntos = []
        for parte in msg.iter_attachments():
            try:
                contenido = parte.get_content()
            except (LookupError, ValueError, UnicodeError, KeyError):
                contenido = parte.get_payload(decode=True) or b""
            if isinstance(contenido, str):
                contenido = contenido.encode()
            elif not isinstance(contenido, bytes):  # e.g. an attached message/rfc822
                contenido = parte.as_bytes()
            adjuntos.append(SimpleUploadedFile(_nombre_archivo(parte.get_filename() or ""), contenido, parte.get_content_type()))
    except CorreoInvalido:
        raise
    except Exception as e:  # noqa: BLE001 - a MIME structure the library cannot walk
        raise CorreoInvalido(f"La estructura MIME del mensaje no se puede interpretar: {e}") from None
    asunto = _cabecera(msg, "Subject")[:300]
    automatico = (
        _cabecera(msg, "Auto-Submitted").lower() not in {"", "no"}
        or _cabecera(msg, "Precedence").lower() in {"bulk", "junk", "list", "auto_reply"}
        or bool(_cabecera(msg, "X-Autoreply") or _cabecera(msg, "X-Autorespond") or _cabecera(msg, "List-Id"))
        or es_del_buzon(remitente)
        or remitente == email.utils.parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower()
        or remitente.startswith(_REMITENTES_AUTOMATICOS)
    )
    destinatarios = [_limpio(str(v)) for nombre_cab in _CABECERAS_DESTINO for v in (msg.get_all(nombre_cab) or [])]
    return CorreoLeido(
        message_id=message_id,
        huella=huella_correo(remitente, message_id),
        remitente=remitente,
        nombre=_limpio(nombre, una_linea=True),
        asunto=asunto,
        texto=_limpio(_sin_cita(texto)),
        automatico=automatico,
        autenticado=remitente_autenticado(msg, remitente),
        referencias=referencias(asunto, destinatarios),
        adjuntos=adjuntos,
    )


def _sin_cita(texto: str) -> str:
    """Drop the quoted previous message of a reply."""
    lineas = []
    for linea in texto.replace("\r\n", "\n").split("\n"):
        if _INICIO_CITA.match(linea):
            break
        if not linea.lstrip().startswith(">"):
            lineas.append(linea.rstrip())
    return "\n".join(lineas).strip()


def correo_procesar(*, crudo: bytes) -> CorreoEntrante:
    """Turn one message into a ticket or a follow-up (or a recorded rejection with a reply). Idempotent per
    (sender, Message-ID). Raises CorreoInvalido for input that is not a usable mail (nothing is written)."""
    correo = correo_interpretar(crudo)
    previo = CorreoEntrante.objects.filter(huella=correo.huella).first()
    if previo is not None:
        return previo
    with transaction.atomic():
        try:
            with transaction.atomic():
                registro = CorreoEntrante.objects.create(
                    huella=correo.huella,
                    message_id=correo.message_id,
                    remitente=correo.remitente[:254],
                    asunto=correo.asunto,
                    autenticado=correo.autenticado,
                    resultado=CorreoEntrante.Resultado.IGNORADO,
                )
        except IntegrityError:  # the same message delivered twice at the same time: the other one handles it
            return CorreoEntrante.objects.get(huella=correo.huella)
        _despachar(correo, registro)
        registro.save()
        if registro.respuesta_texto:  # the automatic reply leaves by the outbox after commit
            salida_encolar(
                manejador="mesa_servicios.responder_correo",
                argumentos={"correo_id": registro.pk},
                clave=f"respuesta-correo:{registro.pk}",
            )
    return registro


def _rechazar(registro: CorreoEntrante, correo: CorreoLeido, motivo: str) -> None:
    """Record the rejection; the reply repeats the mail's subject and the reason only to an authenticated sender.
    To an unauthenticated From: (possibly forged) it is a fixed text: nothing of the mail is echoed."""
    registro.resultado = CorreoEntrante.Resultado.RECHAZADO
    registro.detalle = motivo
    portal = f"{settings.PORTAL_URL_BASE}/mesa/"
    if not correo.autenticado:
        registro.respuesta_asunto = "Mesa de Servicios de SENAE: no pudimos registrar un correo"
        registro.respuesta_texto = (
            "Recibimos un correo enviado con esta dirección a la Mesa de Servicios de SENAE, pero no pudimos "
            "registrarlo (adjuntos no aceptados o mensaje sin texto). Si usted lo envió, registre su requerimiento "
            f"en el portal {portal}. Si no lo envió, ignore este mensaje.\n\n"
            "— Mesa de Servicios, SENAE (respuesta automática)"
        )
        return
    asunto = correo.asunto or "su mensaje"
    registro.respuesta_asunto = f"No pudimos registrar: {asunto}"[:300]
    registro.respuesta_texto = (
        f"Recibimos su correo «{asunto}» en la Mesa de Servicios de SENAE, pero no pudimos registrarlo:\n\n"
        f"{motivo}\n\nCorrija lo indicado y envíelo de nuevo, o registre su requerimiento en el portal "
        f"{portal}.\n\n— Mesa de Servicios, SENAE (respuesta automática)"
    )


def _ticket_respondido(correo: CorreoLeido) -> Ticket | None:
    """The ticket this mail is a reply to: a valid token for it, from its requester, authenticated. A token of a
    ticket that is not the sender's and a number that does not exist are the same: None."""
    if not correo.autenticado:
        return None
    for numero, token in correo.referencias:
        if not token:
            continue
        ticket = Ticket.objects.filter(numero=numero).select_related("solicitante").first()
        if (
            ticket is not None
            and ticket.solicitante_id is not None
            and token_valido(ticket, token)
            and ticket.solicitante.email.strip().lower() == correo.remitente
        ):
            return ticket
    return None


def _despachar(correo: CorreoLeido, registro: CorreoEntrante) -> None:
    if correo.automatico:
        registro.detalle = "Respuesta automática, rebote o bucle: no se procesa."
        return
    errores = []
    for archivo in correo.adjuntos:
        try:
            verificar_archivo(archivo)
        except ValidationError as e:
            errores.extend(e.messages)
    if errores:
        _rechazar(registro, correo, "Adjuntos no aceptados:\n- " + "\n- ".join(errores))
        return
    ticket = _ticket_respondido(correo)
    try:
        with transaction.atomic():
            if ticket is not None:
                _seguimiento_por_correo(correo, registro, ticket)
            elif correo.autenticado:
                _ticket_por_correo(correo, registro)
            else:
                _ticket_sin_verificar(correo, registro)
    except DatosInvalidos as e:
        _rechazar(registro, correo, "\n".join(m for mensajes in e.errores.values() for m in mensajes))
    except ErrorDeNegocio as e:
        _rechazar(registro, correo, str(e))


def _seguimiento_por_correo(correo: CorreoLeido, registro: CorreoEntrante, ticket: Ticket) -> None:
    ticket_agregar_mensaje(
        ticket_id=ticket.pk,
        autor=ticket.solicitante,
        texto=correo.texto,
        archivos=correo.adjuntos,
        canal=Ticket.Canal.CORREO,
    )
    registro.resultado = CorreoEntrante.Resultado.SEGUIMIENTO
    registro.ticket = ticket
    registro.detalle = f"Seguimiento agregado a {ticket.numero}."


def _asunto_nuevo(correo: CorreoLeido) -> str:
    """The subject of a new ticket, without references to other tickets (or their tokens)."""
    return " ".join(REFERENCIA_EN_ASUNTO.sub(" ", correo.asunto).split()) or "(sin asunto)"


def _registrar(correo: CorreoLeido, solicitante, **extra) -> Ticket:
    if not correo.texto.strip():
        raise DatosInvalidos({"descripcion": ["El correo no tiene texto: describa su incidente o consulta en el cuerpo."]})
    return ticket_registrar(
        tipo=Ticket.Tipo.CONSULTA,
        solicitante=solicitante,
        asunto=_asunto_nuevo(correo),
        descripcion=correo.texto,
        canal=Ticket.Canal.CORREO,
        archivos=correo.adjuntos,
        motivo=Motivo.objects.filter(codigo=settings.MESA_CORREO_MOTIVO).first(),
        **extra,
    )


def _ticket_por_correo(correo: CorreoLeido, registro: CorreoEntrante) -> None:
    solicitante, creado = solicitante_por_correo(email=correo.remitente, nombre=correo.nombre)
    ticket = _registrar(correo, solicitante, mensaje_adicional=aviso_activacion(solicitante))
    registro.resultado = CorreoEntrante.Resultado.TICKET
    registro.ticket = ticket
    registro.detalle = f"Ticket {ticket.numero} creado" + (" (cuenta nueva, inactiva)." if creado else ".")


def enlace_confirmacion(ticket: Ticket) -> str:
    """Path of the link that confirms an unverified e-mail ticket (signed: ticket and From: address; expires
    with PASSWORD_RESET_TIMEOUT)."""
    token = signing.dumps({"t": ticket.pk, "c": ticket.correo_sin_verificar}, salt=_SAL_CONFIRMAR, compress=True)
    return reverse("mesa_servicios:confirmar_correo", args=[token])


def _ticket_sin_verificar(correo: CorreoLeido, registro: CorreoEntrante) -> None:
    ticket = _registrar(correo, None, correo_sin_verificar=correo.remitente)
    registro.resultado = CorreoEntrante.Resultado.SIN_VERIFICAR
    registro.ticket = ticket
    registro.detalle = (
        f"Ticket {ticket.numero} creado sin verificar: el MTA no autenticó al remitente (SPF/DKIM/DMARC); "
        "espera la confirmación del remitente."
    )
    # Fixed text: the number and our own link only; nothing the (possibly forged) sender wrote
    registro.respuesta_asunto = f"[{ticket.numero}] Confirme su correo a la Mesa de Servicios"
    registro.respuesta_texto = (
        f"Recibimos un correo enviado con esta dirección a la Mesa de Servicios de SENAE y lo registramos con el "
        f"número {ticket.numero}, pendiente de confirmación.\n\nSi usted lo envió, confírmelo en este enlace: "
        f"{settings.PORTAL_URL_BASE}{enlace_confirmacion(ticket)}\n\n"
        "Si no lo envió, ignore este mensaje: el ticket no se atenderá a su nombre.\n\n"
        "— Mesa de Servicios, SENAE (respuesta automática)"
    )


def ticket_sin_verificar_obtener(*, token: str) -> Ticket | None:
    """The unverified ticket a confirmation link names, or None (bad, expired or already used link)."""
    try:
        datos = signing.loads(token, salt=_SAL_CONFIRMAR, max_age=settings.PASSWORD_RESET_TIMEOUT)
    except signing.BadSignature:
        return None
    if not isinstance(datos, dict):
        return None
    return Ticket.objects.filter(pk=datos.get("t"), verificado=False, correo_sin_verificar=str(datos.get("c", ""))).first()


@transaction.atomic
def ticket_confirmar_correo(*, token: str) -> Ticket:
    """The From: address of an unverified e-mail ticket confirmed it (it holds the link): the ticket joins the
    account of that address (or a new inactive one), becomes visible to it and counts; audited; acknowledged."""
    encontrado = ticket_sin_verificar_obtener(token=token)
    ticket = Ticket.objects.select_for_update().filter(pk=encontrado.pk, verificado=False).first() if encontrado else None
    if ticket is None:
        raise DatosInvalidos({"token": ["El enlace de confirmación no es válido, venció o ya se usó."]})
    solicitante, _ = solicitante_por_correo(email=ticket.correo_sin_verificar)
    ticket.solicitante = solicitante
    ticket.verificado = True
    ticket.save(update_fields=["solicitante", "verificado", "actualizado_en"])
    Transicion.objects.create(
        objeto=ticket,
        transicion="confirmar_correo",
        desde=ticket.estado,
        hacia=ticket.estado,
        por=solicitante,
        comentario=f"El remitente {ticket.correo_sin_verificar} confirmó el correo.",
    )
    _avisar_solicitante(
        ticket,
        f"Ticket confirmado: {ticket.asunto}",
        f"Confirmó su correo: su {ticket.get_tipo_display().lower()} {ticket.numero} queda registrada y la atiende "
        f"{ticket.area.nombre}. Para agregar información, responda a este correo sin cambiar el asunto."
        + aviso_activacion(solicitante),
    )
    return ticket


def correo_enviar_respuesta(*, correo_id: int) -> bool:
    """Send the automatic reply of a rejected mail exactly once (row lock + sent timestamp)."""
    with transaction.atomic():
        registro = CorreoEntrante.objects.select_for_update().filter(pk=correo_id).first()
        if registro is None or not registro.respuesta_texto or registro.respuesta_enviada_en or not registro.remitente:
            return False
        EmailMessage(
            registro.respuesta_asunto,
            registro.respuesta_texto,
            to=[registro.remitente],
            reply_to=[settings.MESA_CORREO_BUZON],
            headers={"Auto-Submitted": "auto-replied", "In-Reply-To": registro.message_id, "References": registro.message_id},
        ).send()
        registro.respuesta_enviada_en = timezone.now()
        registro.save(update_fields=["respuesta_enviada_en"])
    return True


def buzon_leer() -> int:
    """Fetch unseen messages from the IMAP mailbox (MESA_IMAP_* settings) and process each one; mark it seen
    only once processed, so a crash leaves it for the next run (and Message-ID idempotency makes that safe).
    Does nothing when MESA_IMAP_HOST is empty. Returns the number of messages processed."""
    if not settings.MESA_IMAP_HOST:
        return 0
    clase = imaplib.IMAP4_SSL if settings.MESA_IMAP_SSL else imaplib.IMAP4
    procesados = 0
    with clase(settings.MESA_IMAP_HOST, settings.MESA_IMAP_PORT) as imap:
        imap.login(settings.MESA_IMAP_USUARIO, settings.MESA_IMAP_CLAVE)
        imap.select(settings.MESA_IMAP_CARPETA)
        _, datos = imap.uid("SEARCH", None, "UNSEEN")
        for uid in (datos[0] or b"").split():
            _, partes = imap.uid("FETCH", uid, "(BODY.PEEK[])")
            crudo = next((p[1] for p in partes if isinstance(p, tuple)), None)
            if crudo is None:
                continue
            try:
                correo_procesar(crudo=crudo)
            except CorreoInvalido as e:  # permanent: retrying would fail forever, so it is logged and set aside
                log.warning("Correo IMAP uid=%s descartado: %s", uid, e)
            except Exception:
                log.exception("No se pudo procesar el correo IMAP uid=%s; se reintentará.", uid)
                continue
            imap.uid("STORE", uid, "+FLAGS", "(\\Seen)")
            procesados += 1
    return procesados
