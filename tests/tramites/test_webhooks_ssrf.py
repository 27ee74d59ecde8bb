"""Webhook SSRF (issue 15.4): refused at registration and again at delivery, no redirects, bounded attempts.

DNS is simulated by replacing `socket.getaddrinfo` for the test's own names (other names resolve normally).
Every connection made here goes to 127.0.0.1, which only the test settings allow (`WEBHOOK_REDES_PERMITIDAS`);
the fixture `reglas_de_produccion` takes that exception away for the tests of refusals.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.db import transaction

from tests.factories import AgenteFactory, DelegacionFactory, OperadorFactory
from tramites import red
from tramites.fsm import transicionar
from tramites.models import AgenteAduana, EntregaWebhook, Operador
from tramites.services import agente_configurar_webhook
from tramites.tasks import WEBHOOK_MAX_REINTENTOS
from tramites.webhooks import WebhookFallido, entrega_enviar

pytestmark = pytest.mark.django_db

PUBLICA = "190.152.10.20"


@pytest.fixture
def dns(monkeypatch):
    """Names of the test → list of addresses, an exception, or a function giving either; calls are counted."""
    tabla: dict = {}
    llamadas: list[str] = []
    original = socket.getaddrinfo

    def resolver(host, puerto, *args, **kwargs):
        if host not in tabla:
            return original(host, puerto, *args, **kwargs)
        llamadas.append(host)
        respuesta = tabla[host]() if callable(tabla[host]) else tabla[host]
        if isinstance(respuesta, Exception):
            raise respuesta
        familia = {4: socket.AF_INET, 6: socket.AF_INET6}
        return [(familia[ipaddress.ip_address(ip).version], socket.SOCK_STREAM, 6, "", (ip, puerto)) for ip in respuesta]

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    resolver.tabla, resolver.llamadas = tabla, llamadas
    return resolver


@pytest.fixture
def reglas_de_produccion(settings):
    settings.WEBHOOK_REDES_PERMITIDAS = []
    settings.WEBHOOK_PUERTOS_PERMITIDOS = [443]
    settings.WEBHOOK_PERMITIR_HTTP = False
    return settings


class _Receptor(BaseHTTPRequestHandler):
    """Answers each POST with the next (status, headers) of `respuestas` (200 when empty) and records it."""

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        self._responder()

    def do_GET(self):
        self._responder()

    def _responder(self):
        type(self).recibidas.append((self.command, self.path))
        codigo, cabeceras = type(self).respuestas.pop(0) if type(self).respuestas else (200, {})
        self.send_response(codigo)
        for nombre, valor in cabeceras.items():
            self.send_header(nombre, valor)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receptor():
    manejador = type("Receptor", (_Receptor,), {"respuestas": [], "recibidas": []})
    servidor = HTTPServer(("127.0.0.1", 0), manejador)
    hilo = threading.Thread(target=servidor.serve_forever, daemon=True)
    hilo.start()
    yield servidor, manejador
    servidor.shutdown()
    servidor.server_close()


@pytest.fixture
def tcp_crudo():
    """A raw TCP listener on 127.0.0.1 that runs `comportamiento(conexion)` for each connection."""
    servidores, conexiones = [], []

    def _iniciar(comportamiento):
        escucha = socket.create_server(("127.0.0.1", 0))

        def atender():
            while True:
                try:
                    conexion, _ = escucha.accept()
                except OSError:
                    return
                conexiones.append(conexion)
                threading.Thread(target=comportamiento, args=(conexion,), daemon=True).start()

        threading.Thread(target=atender, daemon=True).start()
        servidores.append(escucha)
        return escucha

    yield _iniciar
    for abierto in servidores + conexiones:
        abierto.close()


def _entrega_hacia(url: str) -> EntregaWebhook:
    """A state change of an operator delegating to an agency whose webhook URL is `url` (stored as is)."""
    op = OperadorFactory(estado=Operador.Estado.REGISTRADO)
    DelegacionFactory(operador=op, agente=AgenteFactory(webhook_url=url))
    with transaction.atomic():
        transicionar(Operador.objects.get(pk=op.pk), "habilitar", por=None)
    return EntregaWebhook.objects.get()


# --- registration ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "motivo"),
    [
        ("http://127.0.0.1:6379", "loopback"),
        ("http://localhost:5432", "loopback"),
        ("http://169.254.169.254/latest/meta-data", "enlace local"),
        ("https://10.0.0.1", "privada"),
        ("https://[::1]", "loopback"),
        ("https://0.0.0.0", "no especificada"),
        ("https://[::ffff:127.0.0.1]/hook", "loopback"),
        ("https://100.64.0.1/hook", "privada"),
        ("https://interno.agencia.test/hook", "loopback"),
        ("https://mixto.agencia.test/hook", "privada"),
        ("https://user:pw@sistema.agencia.test/hook", "usuario ni contraseña"),
        ("https://no-existe.agencia.test/hook", "No se pudo resolver"),
    ],
)
def test_registro_rechaza_destinos_internos(client, usuario_agente, dns, reglas_de_produccion, url, motivo):
    reglas_de_produccion.WEBHOOK_PERMITIR_HTTP = True
    reglas_de_produccion.WEBHOOK_PUERTOS_PERMITIDOS = None  # any port: the address itself must be refused
    dns.tabla.update(
        {
            "interno.agencia.test": ["127.0.0.1"],
            "mixto.agencia.test": [PUBLICA, "192.168.1.10"],  # every address is checked, not only the first
            "sistema.agencia.test": [PUBLICA],
            "no-existe.agencia.test": socket.gaierror(socket.EAI_NONAME, "Name or service not known"),
        }
    )
    client.force_login(usuario_agente)
    r = client.post("/cuenta/tokens/", {"webhook_url": url})
    assert r.status_code == 200
    assert motivo in r.content.decode()
    assert AgenteAduana.objects.get(pk=usuario_agente.agente_id).webhook_url == ""


def test_registro_en_produccion_solo_https_y_puerto_443(usuario_agente, dns, reglas_de_produccion):
    from tramites.exceptions import DatosInvalidos

    dns.tabla["sistema.agencia.test"] = [PUBLICA]
    for url, motivo in [
        ("http://sistema.agencia.test/hook", "https://"),
        ("https://sistema.agencia.test:8443/hook", "puerto 8443"),
    ]:
        with pytest.raises(DatosInvalidos) as e:
            agente_configurar_webhook(usuario=usuario_agente, url=url)
        assert motivo in e.value.errores["webhook_url"][0]
    assert AgenteAduana.objects.get(pk=usuario_agente.agente_id).webhook_url == ""
    agente_configurar_webhook(usuario=usuario_agente, url="https://sistema.agencia.test/hook")
    assert AgenteAduana.objects.get(pk=usuario_agente.agente_id).webhook_url == "https://sistema.agencia.test/hook"


def test_admin_rechaza_metadatos_de_la_nube(admin_client, dns, reglas_de_produccion):
    agente = AgenteFactory()
    datos = {"ruc": agente.ruc, "nombre": agente.nombre, "licencia": agente.licencia, "email": agente.email}
    r = admin_client.post(
        f"/admin/tramites/agenteaduana/{agente.pk}/change/",
        {**datos, "activo": "on", "webhook_url": "https://169.254.169.254/latest/meta-data"},
    )
    assert r.status_code == 200
    assert "enlace local" in r.content.decode()
    agente.refresh_from_db()
    assert agente.webhook_url == ""


@pytest.mark.parametrize(
    "direccion",
    ["::ffff:10.0.0.1", "::7f00:1", "64:ff9b::a9fe:a9fe", "2002:a00:1::1", "fe80::1", "fc00::1", "fec0::1",
     "224.0.0.1", "192.0.0.8", "198.18.0.1", "255.255.255.255", "2001:db8::1"],
)  # fmt: skip
def test_direcciones_no_publicas_en_cualquier_forma(direccion):
    assert red.motivo_prohibida(ipaddress.ip_address(direccion)) is not None


@pytest.mark.parametrize("direccion", [PUBLICA, "2800:370::1"])
def test_direcciones_publicas_se_aceptan(direccion, reglas_de_produccion):
    assert red.motivo_prohibida(ipaddress.ip_address(direccion)) is None


# --- delivery ----------------------------------------------------------------------------------------------


def test_entrega_vuelve_a_resolver_y_rechaza_dns_rebinding(usuario_agente, dns, receptor, settings):
    """Registered while the name pointed to a public address; at delivery it points to 127.0.0.1."""
    servidor, manejador = receptor
    settings.WEBHOOK_REDES_PERMITIDAS = []
    url = f"http://rebind.agencia.test:{servidor.server_port}/hook"
    dns.tabla["rebind.agencia.test"] = [PUBLICA]
    agente_configurar_webhook(usuario=usuario_agente, url=url)
    dns.tabla["rebind.agencia.test"] = ["127.0.0.1"]
    op = OperadorFactory(estado=Operador.Estado.REGISTRADO)
    DelegacionFactory(operador=op, agente=usuario_agente.agente)
    with transaction.atomic():
        transicionar(Operador.objects.get(pk=op.pk), "habilitar", por=None)
    entrega = EntregaWebhook.objects.get()
    with pytest.raises(WebhookFallido):
        entrega_enviar(entrega_id=entrega.pk)
    entrega.refresh_from_db()
    assert (entrega.estado, entrega.intentos, entrega.ultimo_codigo_http) == ("pendiente", 1, None)
    assert "Destino no permitido" in entrega.ultimo_error and "loopback" in entrega.ultimo_error
    assert manejador.recibidas == []


def test_conecta_a_la_direccion_validada_sin_resolver_otra_vez(dns, receptor):
    """Resolve once: a second answer (the name gone, or pointing elsewhere) cannot change the target."""
    servidor, manejador = receptor
    respuestas = iter([["127.0.0.1"]])
    dns.tabla["cambia.agencia.test"] = lambda: next(respuestas, socket.gaierror(socket.EAI_NONAME, "ya no existe"))
    codigo = red.post(f"http://cambia.agencia.test:{servidor.server_port}/hook", b"{}", {"X-Prueba": "1"})
    assert codigo == 200
    assert manejador.recibidas == [("POST", "/hook")]
    assert dns.llamadas.count("cambia.agencia.test") == 1


def test_no_sigue_redirecciones(receptor):
    servidor, manejador = receptor
    manejador.respuestas = [(302, {"Location": f"http://127.0.0.1:{servidor.server_port}/otro"})]
    entrega = _entrega_hacia(f"http://127.0.0.1:{servidor.server_port}/hook")
    with pytest.raises(WebhookFallido):
        entrega_enviar(entrega_id=entrega.pk)
    entrega.refresh_from_db()
    assert (entrega.estado, entrega.intentos, entrega.ultimo_codigo_http) == ("pendiente", 1, 302)
    assert "redirección no seguida" in entrega.ultimo_error
    assert manejador.recibidas == [("POST", "/hook")]


def _responde_basura(conexion):
    conexion.recv(65536)
    conexion.sendall(b"-ERR unknown command 'POST'\r\n")
    time.sleep(5)  # and keeps the connection open, as a Redis or a database would


def test_servidor_no_http_es_un_intento_fallido_que_se_reintenta_hasta_fallar(tcp_crudo):
    escucha = tcp_crudo(_responde_basura)
    entrega = _entrega_hacia(f"http://127.0.0.1:{escucha.getsockname()[1]}/hook")
    for intento in range(1, WEBHOOK_MAX_REINTENTOS + 2):
        ultimo = intento == WEBHOOK_MAX_REINTENTOS + 1
        if ultimo:
            assert entrega_enviar(entrega_id=entrega.pk, ultimo_intento=True) is False
        else:
            with pytest.raises(WebhookFallido):
                entrega_enviar(entrega_id=entrega.pk)
        entrega.refresh_from_db()
        assert entrega.intentos == intento
        assert entrega.ultimo_error == "La respuesta no es HTTP."
        assert entrega.estado == ("fallida" if ultimo else "pendiente")


def test_sin_broker_el_reenvio_periodico_termina_en_fallida(tcp_crudo, django_capture_on_commit_callbacks, settings):
    """Eager mode: each failure stays pending in the outbox; its sweep stops after SALIDAS_MAX_INTENTOS attempts."""
    from django.utils import timezone

    from tramites.models import Salida
    from tramites.salidas import salidas_barrer

    settings.SALIDAS_MAX_INTENTOS = 3
    escucha = tcp_crudo(_responde_basura)
    op = OperadorFactory(estado=Operador.Estado.REGISTRADO)
    DelegacionFactory(operador=op, agente=AgenteFactory(webhook_url=f"http://127.0.0.1:{escucha.getsockname()[1]}/"))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        transicionar(Operador.objects.get(pk=op.pk), "habilitar", por=None)
    for _ in range(5):
        Salida.objects.update(proximo_intento=timezone.now())  # every retry is due now
        salidas_barrer()
    entrega = EntregaWebhook.objects.get()
    assert (entrega.estado, entrega.intentos) == ("fallida", 3)
    assert entrega.ultimo_error == "La respuesta no es HTTP."


def test_respuesta_goteada_corta_por_el_plazo_total(tcp_crudo, settings):
    """A server that sends a valid answer one byte at a time never holds the worker past the deadline."""
    settings.WEBHOOK_TIEMPO_TOTAL = 0.5

    def gotear(conexion):
        conexion.recv(65536)
        try:
            for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n":
                conexion.sendall(bytes([byte]))
                time.sleep(0.1)
        except OSError:
            pass

    escucha = tcp_crudo(gotear)
    entrega = _entrega_hacia(f"http://127.0.0.1:{escucha.getsockname()[1]}/hook")
    with pytest.raises(WebhookFallido):
        entrega_enviar(entrega_id=entrega.pk)
    entrega.refresh_from_db()
    assert (entrega.estado, entrega.intentos) == ("pendiente", 1)
    assert entrega.ultimo_error.startswith("Tiempo de espera agotado")


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_worker_real_reintenta_un_destino_no_http_y_lo_marca_fallido(tcp_crudo, settings):
    from celery.contrib.testing.worker import start_worker

    from senae_portal.celery import app

    if not app.conf.broker_url.startswith("redis://"):
        pytest.skip("REDIS_URL no está configurado")
    settings.SALIDAS_REINTENTO_BASE_SEGUNDOS = 0  # the outbox re-publishes each failed attempt at once
    settings.SALIDAS_MAX_INTENTOS = 4
    escucha = tcp_crudo(_responde_basura)
    op = OperadorFactory(estado=Operador.Estado.REGISTRADO)
    DelegacionFactory(operador=op, agente=AgenteFactory(webhook_url=f"http://127.0.0.1:{escucha.getsockname()[1]}/"))
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            with transaction.atomic():
                transicionar(Operador.objects.get(pk=op.pk), "habilitar", por=None)
            limite = time.monotonic() + 60
            while time.monotonic() < limite and EntregaWebhook.objects.get().estado == "pendiente":
                time.sleep(0.2)
    finally:
        app.conf.task_always_eager = True
    entrega = EntregaWebhook.objects.get()
    assert (entrega.estado, entrega.intentos) == ("fallida", 4)
    assert entrega.ultimo_error == "La respuesta no es HTTP."


def test_https_verifica_el_certificado_del_nombre_y_envia_su_host(dns, receptor, tmp_path, monkeypatch):
    """TLS to the validated address with the original name as SNI and Host; a certificate for another name fails."""
    import ssl
    import subprocess

    servidor, manejador = receptor
    cert, clave = tmp_path / "cert.pem", tmp_path / "clave.pem"
    subprocess.run(  # noqa: S603 - fixed arguments, a throw-away certificate for the test
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-keyout",
            str(clave),
            "-out",
            str(cert),
            "-subj",
            "/CN=webhook.agencia.test",
            "-addext",
            "subjectAltName=DNS:webhook.agencia.test",
        ],  # fmt: skip
        check=True,
        capture_output=True,
    )
    contexto_servidor = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    contexto_servidor.load_cert_chain(cert, clave)
    servidor.socket = contexto_servidor.wrap_socket(servidor.socket, server_side=True)
    original = ssl.create_default_context
    monkeypatch.setattr(ssl, "create_default_context", lambda *a, **k: original(cafile=str(cert)))
    hosts = []
    manejador.respuestas = []
    monkeypatch.setattr(manejador, "do_POST", lambda self: (hosts.append(self.headers["Host"]), _Receptor.do_POST(self)))
    dns.tabla.update({"webhook.agencia.test": ["127.0.0.1"], "otro.agencia.test": ["127.0.0.1"]})
    puerto = servidor.server_port
    assert red.post(f"https://webhook.agencia.test:{puerto}/hook", b"{}", {}) == 200
    assert hosts == [f"webhook.agencia.test:{puerto}"]
    with pytest.raises(red.FalloDeRed, match="TLS"):
        red.post(f"https://otro.agencia.test:{puerto}/hook", b"{}", {})
    assert manejador.recibidas == [("POST", "/hook")]
