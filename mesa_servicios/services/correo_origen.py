"""Where an inbound mail comes from and which ticket it may answer: the per-ticket reply token and the receiving
MTA's verdict on the sender (`Authentication-Results`, RFC 8601).

Reply token: an HMAC of the ticket's id and number with the secret key (`salted_hmac`, own salt), 20 hex digits
(80 bits). Nothing is stored; the token travels in every desk e-mail to the requester, in the Reply-To
(`mesadeservicios+mds-2026-000123.<token>@aduana.gob.ec`) and in the subject (`[MDS-2026-000123 #<token>]`).
Tokens made with a key of `SECRET_KEY_FALLBACKS` are still accepted, so rotating the key does not orphan replies.

Sender authentication: only the TOPMOST `Authentication-Results` header counts, and only when its authserv-id is
`MESA_CORREO_AUTHSERV_ID` (our boundary MTA prepends it above whatever the sender wrote; any header lower down
could have been written by the sender). The sender is authenticated when that header says `dmarc=pass` for the
From: domain, or `dkim=pass` with a signing domain aligned with it, or `spf=pass` with an envelope domain aligned
with it (relaxed alignment: the same domain or one a subdomain of the other). With no authserv-id configured,
no mail is authenticated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from email.message import Message

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

from ..models import Ticket

_SAL = "mesa_servicios.correo.respuesta"
LONGITUD_TOKEN = 20
REFERENCIA_EN_ASUNTO = re.compile(rf"\[\s*(MDS-\d{{4}}-\d{{6,}})\s*(?:#\s*([0-9a-f]{{{LONGITUD_TOKEN}}}))?\s*\]", re.I)
_COMENTARIO = re.compile(r"\([^()]*\)")


# --- Reply token ---------------------------------------------------------------------------------------------


def _token(ticket_id: int, numero: str, secreto: str) -> str:
    return salted_hmac(_SAL, f"{ticket_id}:{numero.upper()}", secret=secreto, algorithm="sha256").hexdigest()[:LONGITUD_TOKEN]


def token_respuesta(ticket: Ticket) -> str:
    return _token(ticket.pk, ticket.numero, settings.SECRET_KEY)


def token_valido(ticket: Ticket, token: str) -> bool:
    token = (token or "").lower()
    secretos = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(constant_time_compare(_token(ticket.pk, ticket.numero, s), token) for s in secretos)


def _buzon() -> tuple[str, str]:
    local, _, dominio = settings.MESA_CORREO_BUZON.lower().partition("@")
    return local, dominio


def direccion_respuesta(ticket: Ticket) -> str:
    """Reply-To of the desk's e-mails about `ticket`: the mailbox with the number and token as plus-extension."""
    local, dominio = _buzon()
    return f"{local}+{ticket.numero.lower()}.{token_respuesta(ticket)}@{dominio}"


def asunto_con_referencia(ticket: Ticket, asunto: str) -> str:
    return f"[{ticket.numero} #{token_respuesta(ticket)}] {asunto}"


def es_del_buzon(direccion: str) -> bool:
    """The desk's own mailbox, with or without a plus-extension (our own mail coming back: a loop)."""
    local, _, dominio = direccion.lower().partition("@")
    buzon_local, buzon_dominio = _buzon()
    return dominio == buzon_dominio and local.split("+", 1)[0] == buzon_local


def referencias(asunto: str, destinatarios: Iterable[str]) -> list[tuple[str, str]]:
    """Every (number, token) a mail carries, from its subject and from the plus-extension of the desk's address
    among its recipients. The token is "" when only the number is there."""
    encontradas = [(m.group(1).upper(), (m.group(2) or "").lower()) for m in REFERENCIA_EN_ASUNTO.finditer(asunto)]
    local, dominio = _buzon()
    patron = re.compile(rf"{re.escape(local)}\+(mds-\d{{4}}-\d{{6,}})\.([0-9a-f]{{{LONGITUD_TOKEN}}})@{re.escape(dominio)}", re.I)
    for destinatario in destinatarios:
        encontradas.extend((m.group(1).upper(), m.group(2).lower()) for m in patron.finditer(destinatario))
    return encontradas


# --- Authentication-Results --------------------------------------------------------------------------------


def _alineado(dominio: str, dominio_from: str) -> bool:
    dominio, dominio_from = dominio.lower().strip(". "), dominio_from.lower().strip(". ")
    if not dominio or not dominio_from:
        return False
    return dominio == dominio_from or dominio.endswith("." + dominio_from) or dominio_from.endswith("." + dominio)


def _dominio(valor: str) -> str:
    return valor.rsplit("@", 1)[-1].strip().strip('"<>').lower()


def resultados_autenticacion(cabecera: str) -> tuple[str, list[tuple[str, str, dict[str, str]]]]:
    """Parse one Authentication-Results value into (authserv-id, [(method, result, {property: value})])."""
    limpio = _COMENTARIO.sub(" ", _COMENTARIO.sub(" ", cabecera))
    partes = [p.strip() for p in limpio.split(";")]
    authserv = partes[0].split()[0].lower() if partes and partes[0].split() else ""
    resultados = []
    for parte in partes[1:]:
        palabras = parte.split()
        if not palabras or "=" not in palabras[0]:
            continue
        metodo, _, resultado = palabras[0].partition("=")
        propiedades = {}
        for palabra in palabras[1:]:
            clave, igual, valor = palabra.partition("=")
            if igual:
                propiedades[clave.lower()] = valor.strip('"')
        resultados.append((metodo.lower(), resultado.lower(), propiedades))
    return authserv, resultados


def remitente_autenticado(msg: Message, remitente: str) -> bool:
    """True when our MTA's topmost Authentication-Results header vouches for the From: domain (see module doc)."""
    confiable = settings.MESA_CORREO_AUTHSERV_ID.strip().lower()
    cabeceras = msg.get_all("Authentication-Results") or []
    if not confiable or not cabeceras or "@" not in remitente:
        return False
    authserv, resultados = resultados_autenticacion(str(cabeceras[0]))
    if authserv != confiable:
        return False
    dominio_from = _dominio(remitente)
    for metodo, resultado, propiedades in resultados:
        if resultado != "pass":
            continue
        if metodo == "dmarc" and _dominio(propiedades.get("header.from", "")) == dominio_from:
            return True
        firmante = propiedades.get("header.d") or _dominio(propiedades.get("header.i", ""))
        if metodo == "dkim" and _alineado(firmante, dominio_from):
            return True
        if metodo == "spf" and _alineado(_dominio(propiedades.get("smtp.mailfrom", "")), dominio_from):
            return True
    return False
