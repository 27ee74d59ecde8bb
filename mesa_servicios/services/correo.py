"""The e-mail channel: one service turns an RFC 822 message into a ticket, or into a follow-up of the ticket
whose number is in the subject ("[MDS-2026-000123]"). Used by `manage.py recibir_correo` (an MTA pipes each
mail to it) and by the periodic IMAP job (`buzon_leer`).

- Idempotent: one CorreoEntrante row per Message-ID (unique hash), inserted first in the same transaction, so a
  re-delivered mail never creates a second ticket nor a second automatic reply.
- Attachments are validated (type by content, size) before anything is written; an invalid one rejects the
  whole mail with a reply that says which file and why.
- Follow-ups are accepted only from the ticket's own user; if the desk was waiting for that user, the ticket
  goes back to analysis (SLA clock resumes). A closed ticket is never reopened: the sender is told.
- Automatic mail (Auto-Submitted, bulk/list precedence, bounces, our own mailbox) is recorded and ignored,
  so two autoresponders can never loop.
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

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import strip_tags

from tramites.exceptions import DatosInvalidos, ErrorDeNegocio
from tramites.salidas import salida_encolar
from tramites.validators import verificar_archivo

from ..models import CorreoEntrante, Motivo, Ticket
from .cuentas import aviso_activacion, solicitante_por_correo
from .tickets import ticket_agregar_mensaje, ticket_registrar

log = logging.getLogger(__name__)

NUMERO_EN_ASUNTO = re.compile(r"\[\s*(MDS-\d{4}-\d{6,})\s*\]", re.IGNORECASE)
_INICIO_CITA = re.compile(
    r"^\s*(?:(?:El|On)\s.+(?:escribió|wrote)\s*:|-{2,}\s*(?:Mensaje original|Original Message)\s*-{2,}|_{10,})\s*$",
    re.IGNORECASE,
)
_REMITENTES_AUTOMATICOS = ("mailer-daemon@", "postmaster@", "no-reply@", "noreply@", "no-responder@")


@dataclass
class CorreoLeido:
    message_id: str
    huella: str
    remitente: str
    nombre: str
    asunto: str
    texto: str
    automatico: bool
    adjuntos: list[SimpleUploadedFile] = field(default_factory=list)


def _sin_cita(texto: str) -> str:
    """Drop the quoted previous message of a reply."""
    lineas = []
    for linea in texto.replace("\r\n", "\n").split("\n"):
        if _INICIO_CITA.match(linea):
            break
        if not linea.lstrip().startswith(">"):
            lineas.append(linea.rstrip())
    return "\n".join(lineas).strip()


def correo_interpretar(crudo: bytes) -> CorreoLeido:
    msg = email.message_from_bytes(crudo, policy=email.policy.default)
    message_id = str(msg.get("Message-ID", "")).strip() or f"<sin-id-{hashlib.sha256(crudo).hexdigest()}@portal>"
    nombre, remitente = email.utils.parseaddr(str(msg.get("From", "")))
    remitente = remitente.strip().lower()
    cuerpo = msg.get_body(preferencelist=("plain", "html"))
    texto = ""
    if cuerpo is not None:
        texto = cuerpo.get_content()
        if cuerpo.get_content_type() == "text/html":
            texto = strip_tags(texto)
    adjuntos = []
    for parte in msg.iter_attachments():
        contenido = parte.get_content()
        if isinstance(contenido, str):
            contenido = contenido.encode()
        elif not isinstance(contenido, bytes):  # e.g. an attached message/rfc822
            contenido = parte.as_bytes()
        adjuntos.append(SimpleUploadedFile(parte.get_filename() or "adjunto", contenido, parte.get_content_type()))
    automatico = (
        str(msg.get("Auto-Submitted", "no")).strip().lower() != "no"
        or str(msg.get("Precedence", "")).strip().lower() in {"bulk", "junk", "list"}
        or bool(msg.get("X-Autoreply") or msg.get("X-Autorespond"))
        or not remitente
        or remitente == settings.MESA_CORREO_BUZON.lower()
        or remitente.startswith(_REMITENTES_AUTOMATICOS)
    )
    return CorreoLeido(
        message_id=message_id,
        huella=hashlib.sha256(message_id.encode()).hexdigest(),
        remitente=remitente,
        nombre=nombre.strip(),
        asunto=" ".join(str(msg.get("Subject", "")).split())[:300],
        texto=_sin_cita(texto),
        automatico=automatico,
        adjuntos=adjuntos,
    )


def correo_procesar(*, crudo: bytes) -> CorreoEntrante:
    """Turn one message into a ticket or a follow-up (or a recorded rejection with a reply). Idempotent."""
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
    registro.resultado = CorreoEntrante.Resultado.RECHAZADO
    registro.detalle = motivo
    asunto = correo.asunto or "su mensaje"
    registro.respuesta_asunto = f"No pudimos registrar: {asunto}"[:300]
    registro.respuesta_texto = (
        f"Recibimos su correo «{asunto}» en la Mesa de Servicios de SENAE, pero no pudimos registrarlo:\n\n"
        f"{motivo}\n\nCorrija lo indicado y envíelo de nuevo, o registre su requerimiento en el portal "
        f"{settings.PORTAL_URL_BASE}/mesa/.\n\n— Mesa de Servicios, SENAE (respuesta automática)"
    )


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
    coincidencia = NUMERO_EN_ASUNTO.search(correo.asunto)
    ticket = (
        Ticket.objects.filter(numero=coincidencia.group(1).upper()).select_related("solicitante").first()
        if coincidencia
        else None
    )
    try:
        with transaction.atomic():
            if ticket is not None:
                _seguimiento_por_correo(correo, registro, ticket)
            else:
                _ticket_por_correo(correo, registro)
    except DatosInvalidos as e:
        _rechazar(registro, correo, "\n".join(m for mensajes in e.errores.values() for m in mensajes))
    except ErrorDeNegocio as e:
        _rechazar(registro, correo, str(e))


def _seguimiento_por_correo(correo: CorreoLeido, registro: CorreoEntrante, ticket: Ticket) -> None:
    if ticket.solicitante.email.lower() != correo.remitente:
        raise ErrorDeNegocio(
            f"Solo el usuario que registró el ticket {ticket.numero} puede agregarle información por correo, "
            "desde la dirección con la que lo registró."
        )
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


def _ticket_por_correo(correo: CorreoLeido, registro: CorreoEntrante) -> None:
    motivo = Motivo.objects.filter(codigo=settings.MESA_CORREO_MOTIVO).first()
    if not correo.texto.strip():
        raise DatosInvalidos({"descripcion": ["El correo no tiene texto: describa su incidente o consulta en el cuerpo."]})
    solicitante, creado = solicitante_por_correo(email=correo.remitente, nombre=correo.nombre)
    ticket = ticket_registrar(
        tipo=Ticket.Tipo.CONSULTA,
        solicitante=solicitante,
        asunto=correo.asunto or "(sin asunto)",
        descripcion=correo.texto,
        canal=Ticket.Canal.CORREO,
        archivos=correo.adjuntos,
        motivo=motivo,
        mensaje_adicional=aviso_activacion(solicitante),
    )
    registro.resultado = CorreoEntrante.Resultado.TICKET
    registro.ticket = ticket
    registro.detalle = f"Ticket {ticket.numero} creado" + (" (cuenta nueva, inactiva)." if creado else ".")


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
            except Exception:
                log.exception("No se pudo procesar el correo IMAP uid=%s; se reintentará.", uid)
                continue
            imap.uid("STORE", uid, "+FLAGS", "(\\Seen)")
            procesados += 1
    return procesados
