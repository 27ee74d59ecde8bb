"""Benchmark of the transparency statistics (issue 8): the portal's computation against the bare SQL GROUP BY.

    make bench-transparencia                      # or: .venv/bin/python bench/transparencia.py
    .venv/bin/python bench/transparencia.py --tickets 1000000 --repeticiones 3

What it does (a few minutes on 2 cores with the defaults):
1. (Re)creates a separate PostgreSQL database (BENCH_DATABASE_URL, by default
   postgres://postgres@127.0.0.1:5432/senae_bench_transp; its name must contain "bench") and migrates it.
2. Seeds it with bulk SQL (`INSERT … SELECT … FROM generate_series`, secondary indexes dropped during the load and
   rebuilt after, foreign-key triggers off for the loading session): 3 million desk tickets over 36 months
   (55 % consultations, 42 % incidents, 3 % complaints about régimen 21, the desk or other trámites; 90 % of
   incidents and consultations answered) and 1 million audited transitions (half of them régimen-21 attentions).
3. Times, best of N runs: the portal's `contar()` of each trámite over the 36 months (ONE statement: the UNION ALL
   of the two monthly GROUP BYs, built by the ORM, plus merging in Python) against the bare SQL a DBA would write
   (`SELECT date_trunc('month', … AT TIME ZONE …), count(*) … GROUP BY 1`, one per series, over the same rows),
   and, for reference, the naive way (one COUNT per month and series: 72 queries). Prints ratios to the bare SQL.
   Timings are never test assertions; the suite checks the query count instead.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ))

URL_POR_OMISION = "postgres://postgres@127.0.0.1:5432/senae_bench_transp"
DESDE, HASTA = (2023, 1), (2025, 12)  # 36 months
TABLAS = ["mesa_servicios_ticket", "tramites_transicion"]


def _paso(texto: str) -> Callable[[], None]:
    inicio = time.perf_counter()
    print(f"… {texto}", end="", flush=True)
    return lambda: print(f" ({time.perf_counter() - inicio:.0f} s)", flush=True)


def recrear_base(url: str) -> None:
    import psycopg

    partes = urlsplit(url)
    nombre = partes.path.lstrip("/")
    if "bench" not in nombre:
        sys.exit(f"La base de pruebas de rendimiento debe llamarse *bench* (se borra y se crea): {nombre!r}")
    mantenimiento = partes._replace(path="/postgres").geturl()
    with psycopg.connect(mantenimiento, autocommit=True) as conexion:
        conexion.execute(f'DROP DATABASE IF EXISTS "{nombre}" WITH (FORCE)')
        conexion.execute(f'CREATE DATABASE "{nombre}"')


def preparar_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "senae_portal.settings.local"
    os.environ["DJANGO_DEBUG"] = "false"  # no query log in memory
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()


def _indices_secundarios(cursor) -> list[tuple[str, str]]:
    """(name, definition) of the tables' indexes that back no constraint (primary key and UNIQUE stay)."""
    cursor.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        JOIN pg_class c ON c.relname = i.indexname
        WHERE i.tablename = ANY(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)
        """,
        [TABLAS],
    )
    return cursor.fetchall()


def sembrar(*, tickets: int, transiciones: int, lote: int = 500_000) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    from mesa_servicios.models import Area, Motivo
    from tramites.models import Distrito, Usuario
    from tramites.referencias import asegurar_distritos
    from transparencia.fuentes import APP_REGIMEN_21, ATENCIONES_REGIMEN_21
    from transparencia.registro import inicio_de_mes, siguiente

    asegurar_distritos()
    usuario = Usuario.objects.create_user("bench", "bench@bench.ec", "bench-no-usar-123")
    ids = {
        "usuario": usuario.pk,
        "area_inc": Area.objects.get(recibe_incidentes=True).pk,
        "area_que": Area.objects.get(recibe_quejas=True).pk,
        "area_con": Motivo.objects.filter(activo=True).first().area_id,
        "motivo": Motivo.objects.filter(activo=True).first().pk,
        "distrito": Distrito.objects.get(codigo="028").pk,
        "inicio": inicio_de_mes(DESDE),
        "segundos": (inicio_de_mes(siguiente(HASTA)) - inicio_de_mes(DESDE)).total_seconds(),
    }
    # Transitions: every declared attention (of existing and future models) and as many that are not attentions.
    pares: list[tuple[int, str]] = []
    for modelo, nombres in ATENCIONES_REGIMEN_21.items():
        tipo, _ = ContentType.objects.get_or_create(app_label=APP_REGIMEN_21, model=modelo)
        pares += [(tipo.pk, n) for n in nombres]
    otras = [
        ("solicitudautorizacion", "presentar"),
        ("solicitudautorizacion", "tomar"),
        ("solicitudautorizacion", "observar"),
        ("garantia", "solicitar_modificacion"),
        ("garantia", "notificar_cobro"),
        ("dai", "transmitir"),
        ("dai", "aceptar"),
        ("codigoinsumo", "inactivar"),
    ]
    pares += [(ContentType.objects.get(app_label=APP_REGIMEN_21, model=m).pk, n) for m, n in otras]
    ticket = ContentType.objects.get(app_label="mesa_servicios", model="ticket").pk
    pares += [(ticket, n) for n in ("registrar", "tomar", "responder", "aceptar")] * 2
    with connection.cursor() as cursor:
        indices = _indices_secundarios(cursor)
        fin = _paso(f"quitando {len(indices)} índices secundarios durante la carga")
        for nombre, _ in indices:
            cursor.execute(f'DROP INDEX "{nombre}"')
        fin()
        cursor.execute("SET session_replication_role = replica")  # no FK/trigger work per row while loading
        fin = _paso(f"insertando {tickets:_} tickets".replace("_", " "))
        for desde in range(1, tickets + 1, lote):
            with transaction.atomic():
                cursor.execute(
                    """
                    INSERT INTO mesa_servicios_ticket (
                        creado_en, actualizado_en, numero, tipo, canal, estado, asunto, descripcion, telefono_contacto,
                        pantalla_opcion, modulo, ocurrido_en, referencia, tramite, respuesta, respuesta_publica,
                        primera_respuesta_en, respondido_en, resultado, sla_horas, sla_porcentaje_aviso,
                        sla_consumido_seg, area_id, distrito_id, motivo_id, solicitante_id)
                    SELECT ts, ts, 'B-' || g, tipo, 'web', CASE WHEN resp IS NULL THEN 'registrado' ELSE 'respondido' END,
                        'Ticket de prueba', 'Descripción de prueba de rendimiento', '0991234567',
                        CASE WHEN tipo = 'incidente' THEN 'Trámites operativos > DAI' ELSE '' END,
                        CASE WHEN tipo = 'incidente' THEN 'portal_externo' ELSE '' END,
                        CASE WHEN tipo = 'incidente' THEN ts END, '',
                        CASE WHEN tipo = 'queja' THEN (ARRAY['mesa_servicios', 'regimen_21', 'otro'])[1 + g %% 3] ELSE '' END,
                        '', false, resp, resp, '', 8, 75, 0,
                        CASE tipo WHEN 'incidente' THEN %(area_inc)s WHEN 'consulta' THEN %(area_con)s ELSE %(area_que)s END,
                        CASE WHEN tipo = 'incidente' THEN %(distrito)s::bigint END,
                        CASE WHEN tipo = 'consulta' THEN %(motivo)s::bigint END,
                        %(usuario)s
                    FROM (
                        SELECT g, ts, tipo,
                            CASE WHEN tipo <> 'queja' AND random() < 0.9 THEN ts + random() * interval '72 hours' END AS resp
                        FROM (
                            SELECT g, %(inicio)s::timestamptz + (random() * %(segundos)s) * interval '1 second' AS ts,
                                CASE WHEN g %% 100 < 55 THEN 'consulta' WHEN g %% 100 < 97 THEN 'incidente' ELSE 'queja' END
                                    AS tipo
                            FROM generate_series(%(desde)s::bigint, %(hasta)s::bigint) AS g
                        ) base
                    ) filas
                    """,
                    {**ids, "desde": desde, "hasta": min(desde + lote - 1, tickets)},
                )
        fin()
        fin = _paso(f"insertando {transiciones:_} transiciones".replace("_", " "))
        with transaction.atomic():
            cursor.execute(
                """
                INSERT INTO tramites_transicion (content_type_id, object_id, transicion, desde, hacia, por_id, en, comentario)
                SELECT p.ct, g, p.nombre, 'a', 'b', NULL,
                    %(inicio)s::timestamptz + (random() * %(segundos)s) * interval '1 second', ''
                FROM generate_series(1, %(n)s) AS g
                JOIN unnest(%(cts)s::bigint[], %(nombres)s::text[]) WITH ORDINALITY AS p(ct, nombre, i)
                    ON p.i = 1 + g %% %(pares)s
                """,
                {
                    **ids,
                    "n": transiciones,
                    "cts": [c for c, _ in pares],
                    "nombres": [n for _, n in pares],
                    "pares": len(pares),
                },
            )
        fin()
        cursor.execute("SET session_replication_role = origin")
        fin = _paso("reconstruyendo los índices")
        for _, definicion in indices:
            cursor.execute(definicion)
        fin()
        fin = _paso("VACUUM ANALYZE")
        for tabla in TABLAS:
            cursor.execute(f"VACUUM ANALYZE {tabla}")
        fin()


def mejor(funcion: Callable[[], object], repeticiones: int) -> tuple[float, object]:
    tiempos, resultado = [], None
    for _ in range(repeticiones):
        inicio = time.perf_counter()
        resultado = funcion()
        tiempos.append(time.perf_counter() - inicio)
    return min(tiempos), resultado


def comparar(a: Callable[[], object], b: Callable[[], object], repeticiones: int) -> tuple[float, object, float, object]:
    """Best time of each of two functions, run alternately (a, b, b, a, …) so that a machine shared with other
    work disturbs both alike."""
    tiempos: dict[int, list[float]] = {0: [], 1: []}
    resultados: dict[int, object] = {}
    for vuelta in range(repeticiones):
        for i in (0, 1) if vuelta % 2 == 0 else (1, 0):
            inicio = time.perf_counter()
            resultados[i] = (a, b)[i]()
            tiempos[i].append(time.perf_counter() - inicio)
    return min(tiempos[0]), resultados[0], min(tiempos[1]), resultados[1]


def sql_desnudo(tramite: str, desde: tuple[int, int], hasta: tuple[int, int]) -> Callable[[], dict]:
    """The bare SQL over the same rows: one plain GROUP BY per series, run through the same connection."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from transparencia.fuentes import APP_REGIMEN_21, ATENCIONES_REGIMEN_21
    from transparencia.registro import inicio_de_mes, siguiente

    limites = [inicio_de_mes(desde), inicio_de_mes(siguiente(hasta))]
    mes = "date_trunc('month', {} AT TIME ZONE 'America/Guayaquil')"
    quejas = (
        f"SELECT {mes.format('creado_en')}, count(*) FROM mesa_servicios_ticket "
        "WHERE tipo = 'queja' AND tramite = %s AND creado_en >= %s AND creado_en < %s GROUP BY 1"
    )
    if tramite == "mesa_servicios":
        atenciones = (
            f"SELECT {mes.format('primera_respuesta_en')}, count(*) FROM mesa_servicios_ticket "
            "WHERE tipo IN ('incidente', 'consulta') AND primera_respuesta_en >= %s AND primera_respuesta_en < %s GROUP BY 1"
        )
        parametros = limites
    else:
        tipos = dict(ContentType.objects.filter(app_label=APP_REGIMEN_21).values_list("model", "pk"))
        pares = [(tipos[m], n) for m, nombres in ATENCIONES_REGIMEN_21.items() if m in tipos for n in nombres]
        atenciones = (
            f"SELECT {mes.format('en')}, count(*) FROM tramites_transicion "
            "WHERE (content_type_id, transicion) IN (SELECT * FROM unnest(%s::bigint[], %s::text[])) "
            "AND en >= %s AND en < %s GROUP BY 1"
        )
        parametros = [[c for c, _ in pares], [n for _, n in pares], *limites]

    def ejecutar() -> dict:
        resultado: dict = {}
        with connection.cursor() as cursor:
            cursor.execute(quejas, [tramite, *limites])
            for m, n in cursor.fetchall():
                resultado.setdefault((m.year, m.month), [0, 0])[0] = n
            cursor.execute(atenciones, parametros)
            for m, n in cursor.fetchall():
                resultado.setdefault((m.year, m.month), [0, 0])[1] = n
        return {k: tuple(v) for k, v in resultado.items()}

    return ejecutar


def ingenuo(tramite: str) -> Callable[[], dict]:
    """One COUNT per month and series (what calling volumen_quejas/volumen_atenciones in a loop costs)."""
    from mesa_servicios import selectors
    from transparencia.registro import meses

    def ejecutar() -> dict:
        return {
            (a, m): (selectors.volumen_quejas(tramite=tramite, anio=a, mes=m), selectors.volumen_atenciones(anio=a, mes=m))
            for a, m in meses(DESDE, HASTA)
        }

    return ejecutar


def planes() -> None:
    """Which indexes the portal's statements use (EXPLAIN of the SQL the ORM sent)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from transparencia import registro

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname IN ('mesa_ticket_tipo_tramite', 'mesa_ticket_primera_resp')"
        )
        print("Índices de la Mesa:", ", ".join(sorted(r[0] for r in cursor.fetchall())) or "¡FALTAN!")
        for fuente in registro.todas():
            with CaptureQueriesContext(connection) as consultas:
                fuente.contar(DESDE, HASTA)
            cursor.execute("EXPLAIN " + consultas[0]["sql"])
            nodos: dict[str, int] = {}
            for (linea,) in cursor.fetchall():
                if "Scan" in linea:
                    nodo = re.sub(r"\s*\(cost=.*", "", linea.strip().lstrip("-> "))
                    nodo = re.sub(r"^(.* on \w+) \w+$", r"\1", nodo)  # without the table's alias
                    nodos[nodo] = nodos.get(nodo, 0) + 1
            print(
                f"  {fuente.codigo} ({len(consultas)} consulta): "
                + " | ".join(f"{n} ×{v}" if v > 1 else n for n, v in nodos.items())
            )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--tickets", type=int, default=3_000_000)
    p.add_argument("--transiciones", type=int, default=1_000_000)
    p.add_argument("--repeticiones", type=int, default=7, help="se informa el mejor tiempo de N corridas")
    p.add_argument("--reusar", action="store_true", help="no recrear ni sembrar la base (ya sembrada)")
    p.add_argument("--url", default=os.environ.get("BENCH_DATABASE_URL", URL_POR_OMISION))
    args = p.parse_args()

    total = time.perf_counter()
    if not args.reusar:
        fin = _paso(f"creando {urlsplit(args.url).path.lstrip('/')} y migrando")
        recrear_base(args.url)
        preparar_django(args.url)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        fin()
        sembrar(tickets=args.tickets, transiciones=args.transiciones)
    else:
        preparar_django(args.url)

    from django.db import connection

    from transparencia import registro
    from transparencia.registro import meses

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM mesa_servicios_ticket")
        n_tickets = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM tramites_transicion")
        n_transiciones = cursor.fetchone()[0]
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(",")[0]

    def n(valor: int) -> str:
        return f"{valor:,}".replace(",", " ")

    print(f"\n{version}; {n(n_tickets)} tickets, {n(n_transiciones)} transiciones; 36 meses (2023-01 a 2025-12)")
    planes()
    print(f"\nMejor de {args.repeticiones} corridas alternadas (segundos) y razón al SQL desnudo:")
    print(f"{'trámite':<16}{'meses':>6}{'SQL desnudo':>13}{'portal':>9}{'razón':>7}{'72 COUNT':>10}{'razón':>7}  conteos")
    # The whole seeded range, and one month: what the monthly job asks for.
    for desde, hasta in [(DESDE, HASTA), (HASTA, HASTA)]:
        for fuente in registro.todas():
            fuente.contar(desde, hasta)  # warm the cache of pages, like the other runs
            desnudo, esperado, portal, obtenido = comparar(
                sql_desnudo(fuente.codigo, desde, hasta), lambda f=fuente, d=desde, h=hasta: f.contar(d, h), args.repeticiones
            )
            fila = f"{fuente.codigo:<16}{len(list(meses(desde, hasta))):>6}{desnudo:>13.3f}{portal:>9.3f}{portal / desnudo:>7.2f}"
            if fuente.codigo == "mesa_servicios" and desde != hasta:
                lento, _ = mejor(ingenuo(fuente.codigo), max(1, args.repeticiones // 2))
                fila += f"{lento:>10.3f}{lento / desnudo:>7.2f}"
            else:
                fila += f"{'—':>10}{'—':>7}"
            print(fila + ("  iguales" if obtenido == esperado else "  ¡DISTINTOS!"))
    print(f"\nTiempo total: {time.perf_counter() - total:.0f} s")


if __name__ == "__main__":
    main()
