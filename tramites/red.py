"""Outgoing HTTP to addresses chosen by users (agencies' webhooks), safe against SSRF.

`validar_url(url)` parses the URL, resolves its host once with `socket.getaddrinfo` and refuses it unless the
scheme, the port and EVERY resolved address are allowed: no loopback, private, link-local, multicast, reserved,
unspecified, shared (CGNAT) or documentation address, in IPv4 or IPv6, nor an IPv6 address that embeds one
(IPv4-mapped, IPv4-compatible, NAT64, 6to4). It returns a `Destino` with the validated addresses.

`post(url, cuerpo, cabeceras)` validates again and connects to one of those validated addresses (never resolving
the name a second time, so a DNS answer that changes between the check and the connection cannot switch the
target), sends the original `Host` header and TLS SNI/certificate check for the name, follows no redirect, and
reads only the status line of the answer within a total deadline. It returns the HTTP status code, or raises
`DestinoNoPermitido` (refused before connecting) or `FalloDeRed` (no connection, timeout, TLS error, an answer
that is not HTTP).

Settings: WEBHOOK_PERMITIR_HTTP (plain http:// allowed, off in production), WEBHOOK_PUERTOS_PERMITIDOS (ports for
https, plus 80 for http when allowed; None means any, for tests), WEBHOOK_REDES_PERMITIDAS (CIDR networks exempt
from the address check: test receivers on 127.0.0.1, a lab), WEBHOOK_TIEMPO_CONEXION and WEBHOOK_TIEMPO_TOTAL
(seconds).
"""

from __future__ import annotations

import ipaddress
import re
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

IP = ipaddress.IPv4Address | ipaddress.IPv6Address

# Non-global ranges that Python 3.11's `is_global` misses or that must never be reached whatever it says.
_REDES_PROHIBIDAS = [
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.0.2.0/24",
        "192.168.0.0/16",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",
        "240.0.0.0/4",
        "::/96",  # unspecified, loopback and the deprecated IPv4-compatible addresses
        "64:ff9b:1::/48",
        "100::/64",
        "2001::/23",
        "2001:db8::/32",
        "fc00::/7",
        "fe80::/10",
        "fec0::/10",
        "ff00::/8",
    )
]
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_MAXIMO_LINEA_ESTADO = 1024
_LINEA_ESTADO = re.compile(rb"HTTP/1\.[01] ([1-5][0-9]{2})(?: [^\r\n]*)?\r\n")


class DestinoNoPermitido(Exception):
    """The URL may not be called. The message is Spanish and names the reason."""


class FalloDeRed(Exception):
    """The call was allowed but did not produce an HTTP answer (connection, timeout, TLS, not HTTP)."""


@dataclass(frozen=True)
class Destino:
    esquema: str
    host: str  # lower-case name or IP literal, without brackets
    puerto: int
    ruta: str  # path and query, never empty
    direcciones: tuple[str, ...]  # validated addresses, in resolver order

    @property
    def cabecera_host(self) -> str:
        nombre = f"[{self.host}]" if ":" in self.host else self.host
        por_omision = 443 if self.esquema == "https" else 80
        return nombre if self.puerto == por_omision else f"{nombre}:{self.puerto}"


def _embebidas(ip: IP) -> list[IP]:
    """The IPv4 addresses an IPv6 address stands for (mapped, NAT64, 6to4), which must pass the check too."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return []
    encontradas = [a for a in (ip.ipv4_mapped, ip.sixtofour) if a is not None]
    if ip in _NAT64:
        encontradas.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return encontradas


def _redes_permitidas() -> list:
    return [ipaddress.ip_network(n, strict=False) for n in getattr(settings, "WEBHOOK_REDES_PERMITIDAS", [])]


def motivo_prohibida(ip: IP) -> str | None:
    """Why this address may not be called, or None when it is a public unicast address (or explicitly allowed)."""
    if any(ip.version == red.version and ip in red for red in _redes_permitidas()):
        return None
    for a in [*_embebidas(ip), ip]:  # the embedded IPv4 first: its reason is the precise one
        if a.is_loopback:
            return "es una dirección de loopback (este mismo servidor)"
        if a.is_unspecified:
            return "es una dirección no especificada"
        if a.is_link_local:
            return "es una dirección de enlace local (incluye metadatos de la nube)"
        if a.is_multicast:
            return "es una dirección de multidifusión"
        if a.is_private or not a.is_global or a.is_reserved or any(a.version == r.version and a in r for r in _REDES_PROHIBIDAS):
            return "es una dirección privada, reservada o no pública"
    return None


def _puertos_permitidos(esquema: str) -> set[int] | None:
    puertos = getattr(settings, "WEBHOOK_PUERTOS_PERMITIDOS", [443])
    if puertos is None:
        return None
    permitidos = {int(p) for p in puertos}
    if esquema == "http":
        permitidos.add(80)
    return permitidos


def validar_url(url: str) -> Destino:
    """Parse, resolve and check an outgoing URL; raise DestinoNoPermitido with a Spanish reason."""
    if not url or len(url) > 200 or any(ord(c) <= 0x20 or ord(c) == 0x7F for c in url):
        raise DestinoNoPermitido("La URL está vacía, es demasiado larga o contiene espacios o caracteres de control.")
    try:
        partes = urlsplit(url)
        puerto_escrito = partes.port
    except ValueError as e:
        raise DestinoNoPermitido("La URL no es válida.") from e
    esquema = partes.scheme.lower()
    permitir_http = getattr(settings, "WEBHOOK_PERMITIR_HTTP", False)
    if esquema != "https" and not (esquema == "http" and permitir_http):
        raise DestinoNoPermitido(
            "La URL debe empezar con https://." if not permitir_http else "La URL debe empezar con https:// o http://."
        )
    if "@" in partes.netloc:
        raise DestinoNoPermitido("La URL no puede llevar usuario ni contraseña; el portal firma cada envío con el secreto.")
    host = (partes.hostname or "").rstrip(".")
    if not host:
        raise DestinoNoPermitido("La URL no tiene nombre de servidor.")
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError as e:
        raise DestinoNoPermitido("El nombre de servidor no es válido.") from e
    puerto = puerto_escrito or (443 if esquema == "https" else 80)
    permitidos = _puertos_permitidos(esquema)
    if permitidos is not None and puerto not in permitidos:
        lista = ", ".join(str(p) for p in sorted(permitidos))
        raise DestinoNoPermitido(f"El puerto {puerto} no está permitido (permitidos: {lista}).")
    try:
        respuestas = socket.getaddrinfo(host, puerto, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as e:
        raise DestinoNoPermitido(f"No se pudo resolver el nombre «{host}».") from e
    direcciones: list[str] = []
    for *_, sockaddr in respuestas:
        texto = str(sockaddr[0]).split("%", 1)[0]  # drop an IPv6 zone id
        ip = ipaddress.ip_address(texto)
        motivo = motivo_prohibida(ip)
        if motivo:
            raise DestinoNoPermitido(f"«{host}» apunta a {ip}, que {motivo}: el portal no envía avisos allí.")
        if texto not in direcciones:
            direcciones.append(texto)
    if not direcciones:
        raise DestinoNoPermitido(f"No se pudo resolver el nombre «{host}».")
    ruta = (partes.path or "/") + (f"?{partes.query}" if partes.query else "")
    return Destino(esquema=esquema, host=host, puerto=puerto, ruta=ruta, direcciones=tuple(direcciones))


def _conectar(destino: Destino, limite: float) -> socket.socket:
    tiempo_conexion = float(getattr(settings, "WEBHOOK_TIEMPO_CONEXION", 3))
    ultimo: OSError | None = None
    for direccion in destino.direcciones:
        restante = limite - time.monotonic()
        if restante <= 0:
            break
        try:
            # An IP literal: create_connection does no DNS lookup, so the validated address is the one reached.
            return socket.create_connection((direccion, destino.puerto), timeout=min(tiempo_conexion, restante))
        except OSError as e:
            ultimo = e
    if isinstance(ultimo, TimeoutError) or ultimo is None:
        raise FalloDeRed(f"Tiempo de espera agotado al conectar con {destino.host}:{destino.puerto}.")
    raise FalloDeRed(f"Sin conexión con {destino.host}:{destino.puerto}: {ultimo.strerror or ultimo}.")


def _leer_estado(conexion: socket.socket, limite: float) -> int:
    datos = b""
    while b"\r\n" not in datos and len(datos) < _MAXIMO_LINEA_ESTADO:
        restante = limite - time.monotonic()
        if restante <= 0:
            raise TimeoutError
        conexion.settimeout(restante)
        trozo = conexion.recv(_MAXIMO_LINEA_ESTADO - len(datos))
        if not trozo:
            break
        datos += trozo
        prefijo = datos[:7]
        if prefijo != b"HTTP/1."[: len(prefijo)]:
            break  # not an HTTP answer: no need to wait for more
    coincidencia = _LINEA_ESTADO.match(datos)
    if coincidencia is None:
        if not datos:
            raise FalloDeRed("El servidor cerró la conexión sin responder.")
        raise FalloDeRed("La respuesta no es HTTP.")
    return int(coincidencia.group(1))


def post(url: str, cuerpo: bytes, cabeceras: dict[str, str]) -> int:
    """POST `cuerpo` to a validated address of `url`; return the status code (a redirect is returned, not followed)."""
    destino = validar_url(url)
    limite = time.monotonic() + float(getattr(settings, "WEBHOOK_TIEMPO_TOTAL", 10))
    lineas = [f"POST {destino.ruta} HTTP/1.1", f"Host: {destino.cabecera_host}"]
    for nombre, valor in cabeceras.items():
        if any(c in f"{nombre}{valor}" for c in "\r\n\0"):
            raise ValueError("cabecera con saltos de línea")
        lineas.append(f"{nombre}: {valor}")
    lineas += [f"Content-Length: {len(cuerpo)}", "Connection: close", "", ""]
    peticion = "\r\n".join(lineas).encode("latin-1") + cuerpo
    conexion = _conectar(destino, limite)
    try:
        if destino.esquema == "https":
            contexto = ssl.create_default_context()
            conexion.settimeout(max(limite - time.monotonic(), 0.001))
            conexion = contexto.wrap_socket(conexion, server_hostname=destino.host)
        conexion.settimeout(max(limite - time.monotonic(), 0.001))
        conexion.sendall(peticion)
        return _leer_estado(conexion, limite)
    except TimeoutError as e:
        raise FalloDeRed(f"Tiempo de espera agotado esperando la respuesta de {destino.host}.") from e
    except ssl.SSLError as e:
        raise FalloDeRed(f"Error de TLS con {destino.host}: {e.reason or e}.") from e
    except OSError as e:
        raise FalloDeRed(f"Conexión interrumpida con {destino.host}: {e.strerror or e}.") from e
    finally:
        conexion.close()
