"""`make bench`: the portal measured against a minimal DRF baseline in the same run, at the issue's volumes.

    .venv/bin/python -m bench.correr [--escala 1] [--duracion 10] [--puerto 8150] [--solo clave,clave] [--reset]

1. Creates the PostgreSQL database (`senae_bench_vol`, or `senae_bench_vol_<escala>`), migrates it, seeds it
   once (manage.py sembrar_volumen; later runs reuse it) and collects static files.
2. Prepares the subjects: API tokens of an agency, an operator's session, a citizen, a desk analyst; a
   DAI with 1 and one with 12 items, a ticket with 1 and one with 10 messages (for the query counts).
3. Serves the portal with gunicorn on 127.0.0.1 (2 sync workers: the machine has 2 cores, shared with
   PostgreSQL and wrk) and drives each endpoint with wrk for a fixed time (1 thread, 4 connections), after a
   warm-up. The baseline list and create run first and again last; ratios use their mean.
4. Counts SQL queries per request in-process (Django test client + CaptureQueriesContext) on two volumes of
   each endpoint (page of 5 and of 50 rows, small and large subject).
5. Prints one table and saves it (bench/.resultados/ultimo.json and .md). Stops the server it started.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
RESULTADOS = RAIZ / "bench" / ".resultados"
LUA = RAIZ / "bench" / "lua" / "peticiones.lua"
SERVIDOR_PG = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
OBJETIVO_LECTURA = 0.8
OBJETIVO_ESCRITURA = 0.5
TRABAJADORES = 2
CONEXIONES = 4


@dataclass
class Peticion:
    metodo: str
    ruta: str
    cabeceras: dict[str, str] = field(default_factory=dict)
    cuerpo: str | None = None


@dataclass
class Endpoint:
    clave: str
    nombre: str
    tipo: str  # "base_lista", "base_alta", "lectura", "escritura"
    variantes: list[Peticion]
    esperado: int = 200
    consultas: list[tuple[str, Callable]] = field(default_factory=list)  # (label, fn(client) -> response)


def _paso(mensaje: str) -> None:
    print(f"\n== {mensaje}", flush=True)


def _ejecutar(*args: str, entorno: dict[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=RAIZ, env=entorno, check=True)


def preparar_base(nombre: str, escala: float, reset: bool, entorno: dict[str, str]) -> None:
    import psycopg

    with psycopg.connect(f"{SERVIDOR_PG}/postgres", autocommit=True) as c:
        existe = c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [nombre]).fetchone()
        if not existe:
            c.execute(f'CREATE DATABASE "{nombre}"')
            print(f"Base {nombre} creada.")
    _ejecutar("migrate", "--noinput", "-v0", entorno=entorno)
    _ejecutar("sembrar_volumen", "--escala", str(escala), *(["--reset"] if reset else []), entorno=entorno)
    _ejecutar("collectstatic", "--noinput", "-v0", entorno=entorno)


# --- Subjects and endpoints (in-process Django, bench settings) -------------------------------------------


def preparar_endpoints() -> list[Endpoint]:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from bench.models import Elemento
    from mesa_servicios.models import Motivo, Ticket
    from mesa_servicios.services.tickets import ticket_agregar_mensaje, ticket_registrar
    from perfeccionamiento.models import DAI, CodigoInsumo, Garantia, SolicitudAutorizacion
    from perfeccionamiento.services.dai import dai_crear
    from tramites.models import Delegacion, Distrito, Operador, TokenCliente, Usuario
    from tramites.services import token_crear

    TokenCliente.objects.filter(nombre__startswith="bench").delete()
    if Elemento.objects.count() < 10_000:
        Elemento.objects.bulk_create(Elemento(nombre=f"elemento {i}", valor=i) for i in range(10_000))

    def token(usuario: Usuario) -> dict[str, str]:
        return {"Authorization": f"Token {token_crear(usuario=usuario, nombre='bench')[1]}"}

    json_ = {"Content-Type": "application/json"}
    agente = Usuario.objects.get(username="agente-1")
    oce = Usuario.objects.get(username="oce-1")
    ciudadano = Usuario.objects.get(username="ciudadano-1")
    analista = Usuario.objects.get(username="mesa-1")
    t_agente, t_ciudadano, t_analista = token(agente), token(ciudadano), token(analista)

    sesion = SessionStore()
    sesion[SESSION_KEY] = str(oce.pk)
    sesion[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    sesion[HASH_SESSION_KEY] = oce.get_session_auth_hash()
    sesion.create()
    cookie = {"Cookie": f"sessionid={sesion.session_key}"}

    # DAI create: ten agencies, each filing for one of its operators (own guarantee, district and sequence). The
    # items use the last input codes, which no product consumes: what the runs add never grows the dry run's lots.
    def cuerpo_dai(operador: Operador, lineas: int = 4) -> dict:
        insumos = list(CodigoInsumo.objects.filter(operador=operador).order_by("-codigo")[:lineas])
        return {
            "operador_ruc": operador.ruc,
            "distrito": Distrito.objects.order_by("codigo")[operador.pk % 7].codigo,
            "autorizacion": SolicitudAutorizacion.objects.get(operador=operador).numero_autorizacion,
            "garantia": Garantia.objects.get(operador=operador).numero,
            "documento_transporte": "BENCH-BL",
            "transmitir": True,
            "lineas": [
                {"insumo": i.codigo, "subpartida": i.subpartida, "pais_origen": "CN", "cantidad": "500", "unidad": i.unidad,
                 "fob": "1250.00", "flete": "100.00"}
                for i in insumos
            ],
        }  # fmt: skip

    variantes_dai = []
    for n in range(1, 11):
        usuario = Usuario.objects.filter(username=f"agente-{n}").first()
        if usuario is None:
            break
        operador = Operador.objects.get(pk=Delegacion.objects.filter(agente_id=usuario.agente_id).order_by("pk")[0].operador_id)
        variantes_dai.append(
            Peticion("POST", "/api/v1/regimen21/dais/", {**token(usuario), **json_}, json.dumps(cuerpo_dai(operador)))
        )

    variantes_ticket = []
    for n in range(1, 11):
        usuario = Usuario.objects.get(username=f"ciudadano-{n}")
        cuerpo = {"asunto": "Consulta de prueba de carga", "motivo": "otros",
                  "descripcion": "¿Cómo actualizo el correo de notificaciones de mi usuario de ECUAPASS? Gracias."}  # fmt: skip
        variantes_ticket.append(Peticion("POST", "/api/v1/mesa/consultas/", {**token(usuario), **json_}, json.dumps(cuerpo)))

    # Subjects of the query counts: small and large details, an operator without records.
    operador_agente = oce.operador
    dai_grande = dai_crear(por=agente, **_cabecera(cuerpo_dai(operador_agente, lineas=12)))
    dai_chica = dai_crear(por=agente, **_cabecera(cuerpo_dai(operador_agente, lineas=1)))
    dai_lista = DAI.objects.filter(operador=operador_agente, estado=DAI.Estado.SALIDA_AUTORIZADA).order_by("pk").first()
    otros = Motivo.objects.get(codigo="otros")

    def ticket_con(mensajes: int) -> Ticket:
        t = ticket_registrar(tipo="consulta", solicitante=ciudadano, asunto="Para contar consultas", motivo=otros,
                             descripcion="Un ticket con varios mensajes del usuario para contar consultas.")  # fmt: skip
        for i in range(mensajes):
            ticket_agregar_mensaje(ticket_id=t.pk, autor=ciudadano, texto=f"Mensaje adicional {i}.")
        return t

    ticket_chico, ticket_grande = ticket_con(1), ticket_con(10)
    ticket_visto = Ticket.objects.filter(solicitante=ciudadano, seguimientos__isnull=False).order_by("-pk").first()
    vacio, _ = Operador.objects.get_or_create(
        ruc="1790000001001", defaults={"razon_social": "Operador sin registros", "email": "vacio@bench.test"}
    )
    usuario_vacio, _ = Usuario.objects.get_or_create(
        username="oce-vacio", defaults={"email": "oce-vacio@bench.test", "operador": vacio}
    )
    hoy = timezone.localdate().isoformat()

    def simulacion(cantidad: str) -> str:
        return json.dumps({"operador_ruc": oce.operador.ruc, "tipo": "exportacion", "fecha": hoy,
                           "lineas": [{"producto": "PRD-001", "cantidad": cantidad}]})  # fmt: skip

    def get(ruta: str, cab: dict):
        return lambda c: c.get(ruta, headers=cab)

    def post(ruta: str, cab: dict, cuerpo: str):
        return lambda c: c.post(ruta, data=cuerpo, content_type="application/json", headers=cab)

    def lista(ruta: str, cab: dict) -> list[tuple[str, Callable]]:
        separador = "&" if "?" in ruta else "?"
        return [("5 filas", get(f"{ruta}{separador}page_size=5", cab)), ("50 filas", get(ruta, cab))]

    base_lista = Peticion("GET", "/bench/base/", t_agente)
    base_alta = Peticion("POST", "/bench/base/", {**t_agente, **json_}, json.dumps({"nombre": "nuevo", "valor": 7}))
    dai_ruta = f"/api/v1/regimen21/dais/{dai_lista.pk}/"
    ticket_ruta = f"/api/v1/mesa/tickets/{ticket_visto.numero}/"
    return [
        Endpoint("base_lista", "base: lista DRF (50 filas)", "base_lista", [base_lista],
                 consultas=lista("/bench/base/", t_agente)),
        Endpoint("base_alta", "base: alta DRF", "base_alta", [base_alta], 201,
                 consultas=[("alta", post("/bench/base/", t_agente, base_alta.cuerpo))]),
        Endpoint("panel", "panel del operador (página)", "lectura", [Peticion("GET", "/panel/", cookie)],
                 consultas=[("operador sin registros", lambda c: (c.force_login(usuario_vacio), c.get("/panel/"))[1]),
                            ("operador con 50 DAI", lambda c: (c.force_login(oce), c.get("/panel/"))[1])]),
        Endpoint("dai_lista", "DAI: lista (API, agencia)", "lectura", [Peticion("GET", "/api/v1/regimen21/dais/", t_agente)],
                 consultas=lista("/api/v1/regimen21/dais/", t_agente)),
        Endpoint("dai_detalle", "DAI: detalle (API)", "lectura", [Peticion("GET", dai_ruta, t_agente)],
                 consultas=[("1 ítem", get(f"/api/v1/regimen21/dais/{dai_chica.pk}/", t_agente)),
                            ("12 ítems", get(f"/api/v1/regimen21/dais/{dai_grande.pk}/", t_agente))]),
        Endpoint("dai_lista_pagina", "DAI: control del régimen (página)", "lectura",
                 [Peticion("GET", "/regimen21/dai/", cookie)],
                 consultas=[("operador sin registros", lambda c: (c.force_login(usuario_vacio), c.get("/regimen21/dai/"))[1]),
                            ("operador con 50 DAI", lambda c: (c.force_login(oce), c.get("/regimen21/dai/"))[1])]),
        Endpoint("saldos", "saldos por ítem de DAI (API)", "lectura", [Peticion("GET", "/api/v1/regimen21/saldos/", t_agente)],
                 consultas=lista("/api/v1/regimen21/saldos/", t_agente)),
        Endpoint("existencias", "existencias por insumo (API)", "lectura",
                 [Peticion("GET", "/api/v1/regimen21/existencias/", t_agente)],
                 consultas=lista("/api/v1/regimen21/existencias/", t_agente)),
        Endpoint("simular", "anexo: simulación del descargo (API)", "lectura",
                 [Peticion("POST", "/api/v1/regimen21/anexos/simular/", {**t_agente, **json_}, simulacion("10"))],
                 consultas=[("10 camisas (1 ítem por insumo)", post("/api/v1/regimen21/anexos/simular/", t_agente,
                                                                   simulacion("10"))),
                            ("5000 camisas (muchos ítems)", post("/api/v1/regimen21/anexos/simular/", t_agente,
                                                                simulacion("5000")))]),
        Endpoint("tickets_usuario", "tickets: lista (API, usuario)", "lectura",
                 [Peticion("GET", "/api/v1/mesa/tickets/", t_ciudadano)],
                 consultas=lista("/api/v1/mesa/tickets/", t_ciudadano)),
        Endpoint("tickets_analista", "tickets: cola (API, analista)", "lectura",
                 [Peticion("GET", "/api/v1/mesa/tickets/", t_analista)],
                 consultas=lista("/api/v1/mesa/tickets/", t_analista)),
        Endpoint("ticket_detalle", "ticket: detalle (API)", "lectura", [Peticion("GET", ticket_ruta, t_ciudadano)],
                 consultas=[("1 mensaje", get(f"/api/v1/mesa/tickets/{ticket_chico.numero}/", t_ciudadano)),
                            ("10 mensajes", get(f"/api/v1/mesa/tickets/{ticket_grande.numero}/", t_ciudadano))]),
        Endpoint("ticket_alta", "ticket: alta de consulta (API)", "escritura", variantes_ticket, 201,
                 consultas=[("consulta", post("/api/v1/mesa/consultas/", variantes_ticket[0].cabeceras,
                                              variantes_ticket[0].cuerpo))]),
        Endpoint("dai_alta", "DAI: transmisión con salida automática (API)", "escritura", variantes_dai, 201,
                 consultas=[("1 ítem", post("/api/v1/regimen21/dais/", variantes_dai[0].cabeceras,
                                            json.dumps({**json.loads(variantes_dai[0].cuerpo),
                                                        "lineas": json.loads(variantes_dai[0].cuerpo)["lineas"][:1]}))),
                            ("4 ítems", post("/api/v1/regimen21/dais/", variantes_dai[0].cabeceras,
                                             variantes_dai[0].cuerpo))]),
    ]  # fmt: skip


def _cabecera(cuerpo: dict) -> dict:
    from perfeccionamiento.models import Garantia, SolicitudAutorizacion
    from tramites.models import Distrito, Operador

    return {
        "operador": Operador.objects.get(ruc=cuerpo["operador_ruc"]),
        "distrito": Distrito.objects.get(codigo=cuerpo["distrito"]),
        "autorizacion": SolicitudAutorizacion.objects.get(numero_autorizacion=cuerpo["autorizacion"]),
        "garantia": Garantia.objects.get(numero=cuerpo["garantia"]),
        "documento_transporte": cuerpo["documento_transporte"],
        "lineas": cuerpo["lineas"],
    }


def contar_consultas(endpoint: Endpoint) -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    resultado = {}
    for etiqueta, funcion in endpoint.consultas:
        cliente = Client(HTTP_HOST="127.0.0.1")
        funcion(cliente)  # warm-up: caches, the token's once-a-minute `ultimo_uso`
        with CaptureQueriesContext(connection) as capturadas:
            respuesta = funcion(cliente)
        if respuesta.status_code != endpoint.esperado:
            raise RuntimeError(f"{endpoint.clave} ({etiqueta}): {respuesta.status_code} {respuesta.content[:300]!r}")
        resultado[etiqueta] = len(capturadas)
    return resultado


# --- Server and load ------------------------------------------------------------------------------------------


def iniciar_servidor(puerto: int, entorno: dict[str, str]) -> subprocess.Popen:
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    proceso = subprocess.Popen(  # noqa: S603
        [gunicorn, "senae_portal.wsgi:application", "--bind", f"127.0.0.1:{puerto}", "--workers", str(TRABAJADORES),
         "--worker-class", "sync", "--log-level", "warning", "--timeout", "60"],
        cwd=RAIZ, env=entorno, start_new_session=True,
    )  # fmt: skip
    limite = time.monotonic() + 60
    while time.monotonic() < limite:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{puerto}/", timeout=10)  # noqa: S310
            return proceso
        except OSError:  # refused while booting, or the first request still loading the code
            if proceso.poll() is not None:
                raise RuntimeError("gunicorn terminó al arrancar") from None
            time.sleep(0.3)
    detener_servidor(proceso)
    raise RuntimeError("gunicorn no respondió en 60 s")


def detener_servidor(proceso: subprocess.Popen) -> None:
    if proceso.poll() is None:
        os.killpg(proceso.pid, signal.SIGTERM)
        try:
            proceso.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proceso.pid, signal.SIGKILL)


def comprobar(puerto: int, endpoint: Endpoint) -> None:
    """Each variant answers the expected status before it is loaded (wrk counts redirects as successes)."""
    for p in endpoint.variantes:
        peticion = urllib.request.Request(  # noqa: S310
            f"http://127.0.0.1:{puerto}{p.ruta}", method=p.metodo, headers=p.cabeceras,
            data=p.cuerpo.encode() if p.cuerpo else None,
        )  # fmt: skip
        try:
            with urllib.request.urlopen(peticion, timeout=30) as r:  # noqa: S310
                codigo, cuerpo = r.status, r.read()[:300]
        except urllib.error.HTTPError as e:
            codigo, cuerpo = e.code, e.read()[:300]
        if codigo != endpoint.esperado:
            raise RuntimeError(f"{endpoint.clave}: {p.metodo} {p.ruta} respondió {codigo}, no {endpoint.esperado}: {cuerpo!r}")


def _ms(valor: str, unidad: str) -> float:
    return float(valor) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unidad]


def cargar(puerto: int, endpoint: Endpoint, duracion: int, calentamiento: int) -> dict:
    archivo = RESULTADOS / "peticiones" / f"{endpoint.clave}.txt"
    archivo.parent.mkdir(parents=True, exist_ok=True)
    bloques = []
    for p in endpoint.variantes:
        lineas = [p.metodo, p.ruta, *(f"H {k}: {v}" for k, v in p.cabeceras.items())]
        if p.cuerpo:
            lineas.append(f"B {p.cuerpo}")
        bloques.append("\n".join(lineas))
    archivo.write_text("\n---\n".join(bloques) + "\n")
    entorno = {**os.environ, "BENCH_PETICIONES": str(archivo)}
    base = ["wrk", "-t1", f"-c{CONEXIONES}", "--timeout", "30s", "-s", str(LUA), f"http://127.0.0.1:{puerto}"]
    subprocess.run([*base[:1], f"-d{calentamiento}s", *base[1:]], env=entorno, check=True, capture_output=True)  # noqa: S603
    salida = subprocess.run(  # noqa: S603
        [*base[:1], f"-d{duracion}s", "--latency", *base[1:]], env=entorno, check=True, capture_output=True, text=True
    ).stdout
    (RESULTADOS / "wrk" / f"{endpoint.clave}.txt").parent.mkdir(exist_ok=True)
    (RESULTADOS / "wrk" / f"{endpoint.clave}.txt").write_text(salida)
    percentiles = {p: _ms(v, u) for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", salida, re.MULTILINE)}
    errores = re.search(r"Non-2xx or 3xx responses: (\d+)", salida)
    socket = re.search(r"Socket errors: (.*)", salida)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", salida).group(1)),
        "p50_ms": percentiles.get("50"),
        "p99_ms": percentiles.get("99"),
        "peticiones": int(re.search(r"(\d+) requests in", salida).group(1)),
        "errores_http": int(errores.group(1)) if errores else 0,
        "errores_socket": socket.group(1) if socket else "",
    }


# --- Report ---------------------------------------------------------------------------------------------------


def informe(filas: list[dict], base: dict, meta: dict) -> str:
    encabezado = "| endpoint | req/s | p50 ms | p99 ms | relación | objetivo | cumple | consultas SQL por petición |"
    lineas = [encabezado, "|---|---:|---:|---:|---:|---:|:---:|---|"]
    for f in filas:
        consultas = ", ".join(f"{k}: {v}" for k, v in f["consultas"].items())
        if f["tipo"].startswith("base"):
            relacion = objetivo = cumple = "—"
        else:
            relacion, objetivo = f"{f['relacion']:.2f}", f"≥ {f['objetivo']:.1f}"
            cumple = "sí" if f["cumple"] else "**no**"
        lineas.append(
            f"| {f['nombre']} | {f['rps']:.0f} | {f['p50_ms']:.1f} | {f['p99_ms']:.1f} | {relacion} | {objetivo} | {cumple} | "
            f"{consultas} |"
        )
    lineas.append("")
    lineas.append(
        f"Base (media de la primera y la última medición): lista {base['base_lista']:.0f} req/s "
        f"({' y '.join(f'{x:.0f}' for x in meta['base_mediciones']['base_lista'])}), alta {base['base_alta']:.0f} req/s "
        f"({' y '.join(f'{x:.0f}' for x in meta['base_mediciones']['base_alta'])})."
    )
    return "\n".join(lineas)


def main() -> int:
    argumentos = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    argumentos.add_argument("--escala", type=float, default=float(os.environ.get("BENCH_ESCALA", "1")))
    argumentos.add_argument("--duracion", type=int, default=int(os.environ.get("BENCH_DURACION", "10")))
    argumentos.add_argument("--calentamiento", type=int, default=2)
    argumentos.add_argument("--puerto", type=int, default=int(os.environ.get("BENCH_PUERTO", "8150")))
    argumentos.add_argument("--solo", default="", help="Claves de endpoints separadas por comas (las bases van siempre).")
    argumentos.add_argument("--reset", action="store_true", help="Vuelve a sembrar la base desde cero.")
    opciones = argumentos.parse_args()
    if not 8100 <= opciones.puerto <= 8199:
        argumentos.error("use un puerto entre 8100 y 8199")
    if shutil.which("wrk") is None:
        argumentos.error("falta wrk: bash scripts/paquetes_sistema.sh wrk (o apt-get install wrk)")

    inicio = time.monotonic()
    sufijo = "" if opciones.escala == 1 else "_" + re.sub(r"\W", "_", f"{opciones.escala:g}")
    nombre_base = f"senae_bench_vol{sufijo}"
    entorno = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": f"{SERVIDOR_PG}/{nombre_base}",
        "REDIS_URL": REDIS,
        "BENCH_STATIC_ROOT": str(RAIZ / "bench" / ".staticfiles"),
    }
    RESULTADOS.mkdir(exist_ok=True)
    _paso(f"Base de datos {nombre_base} (escala {opciones.escala:g})")
    preparar_base(nombre_base, opciones.escala, opciones.reset, entorno)

    os.environ.update({k: entorno[k] for k in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "BENCH_STATIC_ROOT")})
    import django

    django.setup()
    from bench.sembrar import semilla_actual

    _paso("Sujetos: tokens, sesión, DAI y tickets de referencia")
    endpoints = preparar_endpoints()
    elegidos = {c for c in opciones.solo.split(",") if c}
    if elegidos:
        endpoints = [e for e in endpoints if e.tipo.startswith("base") or e.clave in elegidos]
    _paso("Consultas SQL por petición (cliente de pruebas en el proceso)")
    consultas = {}
    for e in endpoints:
        consultas[e.clave] = contar_consultas(e)
        print(f"  {e.nombre}: {consultas[e.clave]}", flush=True)

    _paso(f"Carga con wrk: {opciones.duracion} s por endpoint, {CONEXIONES} conexiones, gunicorn con {TRABAJADORES} workers")
    servidor = iniciar_servidor(opciones.puerto, entorno)
    medidas: dict[str, dict] = {}
    base_mediciones: dict[str, list[float]] = {"base_lista": [], "base_alta": []}
    try:
        orden = [*endpoints, *(e for e in endpoints if e.tipo.startswith("base"))]
        for e in orden:
            comprobar(opciones.puerto, e)
            m = cargar(opciones.puerto, e, opciones.duracion, opciones.calentamiento)
            if e.tipo.startswith("base"):
                base_mediciones[e.clave].append(m["rps"])
            medidas.setdefault(e.clave, m)
            if m["errores_http"]:
                raise RuntimeError(f"{e.clave}: {m['errores_http']} respuestas que no son 2xx/3xx")
            print(f"  {e.nombre}: {m['rps']:.0f} req/s, p50 {m['p50_ms']:.1f} ms, p99 {m['p99_ms']:.1f} ms", flush=True)
    finally:
        detener_servidor(servidor)
        _vaciar_cola()

    base = {k: sum(v) / len(v) for k, v in base_mediciones.items()}
    filas = []
    for e in endpoints:
        m = medidas[e.clave]
        fila = {"clave": e.clave, "nombre": e.nombre, "tipo": e.tipo, **m, "consultas": consultas[e.clave]}
        if e.tipo == "lectura":
            fila.update(relacion=m["rps"] / base["base_lista"], objetivo=OBJETIVO_LECTURA)
        elif e.tipo == "escritura":
            fila.update(relacion=m["rps"] / base["base_alta"], objetivo=OBJETIVO_ESCRITURA)
        if "relacion" in fila:
            fila["cumple"] = fila["relacion"] >= fila["objetivo"]
        filas.append(fila)
    meta = {
        "fecha": datetime.now().astimezone().isoformat(timespec="seconds"),
        "maquina": f"{os.cpu_count()} núcleos, {os.uname().sysname} {os.uname().release}",
        "carga_promedio": os.getloadavg(),
        "semilla": semilla_actual(),
        "duracion_s": opciones.duracion,
        "conexiones": CONEXIONES,
        "workers": TRABAJADORES,
        "base_mediciones": base_mediciones,
        "segundos_totales": round(time.monotonic() - inicio),
    }
    tabla = informe(filas, base, meta)
    (RESULTADOS / "ultimo.json").write_text(json.dumps({"meta": meta, "filas": filas}, ensure_ascii=False, indent=2, default=str))
    (RESULTADOS / "ultimo.md").write_text(tabla + "\n")
    _paso(f"Resultados ({meta['fecha']}, {meta['maquina']}, carga {meta['carga_promedio'][0]:.1f})")
    print(tabla)
    print(f"\nTotal: {meta['segundos_totales']} s. Guardado en bench/.resultados/ultimo.md y ultimo.json.")
    return 0


def _vaciar_cola() -> None:
    """The server queued e-mail and webhook tasks on a queue of its own, with no worker: drop them."""
    try:
        import redis

        redis.Redis.from_url(REDIS).delete("bench")
    except Exception as e:  # noqa: BLE001 - cleanup only
        print(f"(no se pudo vaciar la cola de Celery en {REDIS}: {e})")


if __name__ == "__main__":
    sys.exit(main())
