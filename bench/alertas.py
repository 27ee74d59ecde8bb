"""Benchmark of the expiry-alert job over one million DAI lines in PostgreSQL.

    .venv/bin/python bench/alertas.py                 # 1,000,000 DAI lines (about 3–5 minutes here)
    .venv/bin/python bench/alertas.py --lineas 100000 # a quicker run

It creates (or recreates) the database `senae_bench_alertas` on the local PostgreSQL, migrates it, loads
1,000 operators and their DAI 21 with one lot (SaldoInsumo) per line by set-based SQL, spreads the regime ends
over 400 days, and then times, best of several runs:

  * bare SQL      — the GROUP BY that selects the same rows the job alerts (open balances ending within the
                    largest lead, per DAI and holder);
  * job query     — the job's own candidate query (ORM, with its threshold CASE and NOT EXISTS);
  * job, full run — `alertar_saldos()`: every batch selected, alerts + notifications + proofs written, e-mails
                    queued on Redis (the real broker, as in production);
  * job, re-run   — the same job again, with everything already alerted (what a retry costs).

Times are printed as ratios to the bare SQL, with the job's peak Python memory (tracemalloc): it stays flat
because the job works in batches of ALERTAS_TAMANO_LOTE records.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ))
BD = "senae_bench_alertas"
URL = f"postgres://postgres@127.0.0.1:5432/{BD}"
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")


def preparar_entorno() -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="senae_portal.settings.local",
        DATABASE_URL=URL,
        REDIS_URL=REDIS,
        CELERY_TASK_ALWAYS_EAGER="false",
        DJANGO_DEBUG="false",
        LOG_LEVEL="WARNING",
    )


def recrear_bd() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{BD}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{BD}"')
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=RAIZ, check=True, env=os.environ.copy()
    )


def sembrar(lineas: int, operadores: int = 1000, por_dai: int = 10) -> None:
    from datetime import timedelta
    from decimal import Decimal

    from django.db import connection, transaction
    from django.utils import timezone

    from perfeccionamiento.models import CodigoInsumo, Garantia, SolicitudAutorizacion
    from tramites.demo import ruc_sociedad
    from tramites.models import AgenteAduana, Distrito, Operador, Usuario

    hoy = timezone.localdate()
    with transaction.atomic():
        admin = Usuario.objects.create_user("bench", "bench@senae.test", None, is_staff=True)
        agencia = AgenteAduana.objects.create(
            ruc=ruc_sociedad(900001), nombre="Agencia bench", licencia="B-1", email="agencia@bench.test"
        )
        ops = Operador.objects.bulk_create(
            Operador(
                ruc=ruc_sociedad(10000 + i * 3), razon_social=f"Operador {i}", email=f"op{i}@bench.test", estado="habilitado"
            )
            for i in range(operadores)
        )
        Usuario.objects.bulk_create(
            Usuario(username=f"u{o.pk}", email=f"u{o.pk}@bench.test", operador=o, password="!")
            for o in ops  # noqa: S106
        )
        auts = SolicitudAutorizacion.objects.bulk_create(
            SolicitudAutorizacion(
                operador=o, creada_por=admin, modalidad="maquila", operacion="elaboracion", descripcion_proceso="x" * 40,
                mercancias="x", productos="x", plazo_solicitado_meses=12, estado="aprobada", numero=f"SOL-{o.pk}",
                numero_autorizacion=f"AUT-{o.pk}", vigencia_desde=hoy, vigencia_hasta=hoy + timedelta(days=300),
            )
            for o in ops
        )  # fmt: skip
        Garantia.objects.bulk_create(
            Garantia(
                operador=o, autorizacion=a, creada_por=admin, numero=f"GAR-{o.pk}", tipo="general", forma="poliza",
                entidad_emisora="Seguros", numero_documento=str(o.pk), monto=Decimal("1e9"), vigencia_desde=hoy,
                vigencia_hasta=hoy + timedelta(days=500), estado="aprobada",
            )
            for o, a in zip(ops, auts, strict=True)
        )  # fmt: skip
        CodigoInsumo.objects.bulk_create(
            CodigoInsumo(operador=o, creado_por=admin, codigo="TELA", descripcion="Tela", subpartida="5208120000", unidad="m",
                         estado="vigente")
            for o in ops
        )  # fmt: skip
        distrito = Distrito.objects.get(codigo="028")
    dais = lineas // por_dai
    sql = [
        (
            """INSERT INTO perfeccionamiento_dai (creado_en, actualizado_en, operador_id, numero, agente_id, distrito_id,
               autorizacion_id, garantia_id, documento_transporte, canal, total_fob, total_cif, total_suspendido,
               transmitida_en, salida_en, vence_el, creada_por_id, estado)
               SELECT now(), now(), o.id, '028-2026-21-' || lpad(g::text, 8, '0'), %(agente)s, %(distrito)s, a.id, ga.id,
                      'BL' || g, 'automatico', 1000, 1100, 300, now(), now(), current_date + (g %% 400) - 5, %(admin)s,
                      'salida_autorizada'
               FROM generate_series(1, %(dais)s) g
               JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM tramites_operador) o ON o.k = g %% %(ops)s
               JOIN perfeccionamiento_solicitudautorizacion a ON a.operador_id = o.id
               JOIN perfeccionamiento_garantia ga ON ga.operador_id = o.id"""
        ),
        (
            """INSERT INTO perfeccionamiento_lineadai (dai_id, numero, insumo_id, subpartida, descripcion, pais_origen,
               cantidad, unidad, fob, flete, seguro, seguro_liquidado, cif, tasa_ad_valorem, ad_valorem, fodinfa, ice, iva,
               total_suspendido)
               SELECT d.id, n, i.id, '5208120000', 'Tela', 'CN', 100, 'm', 100, 10, 0, 1, 111, 10, 11.1, 0.56, 0, 18.4, 30.06
               FROM perfeccionamiento_dai d CROSS JOIN generate_series(1, %(por_dai)s) n
               JOIN perfeccionamiento_codigoinsumo i ON i.operador_id = d.operador_id"""
        ),
        (
            """INSERT INTO perfeccionamiento_saldoinsumo (operador_id, insumo_id, linea_id, origen, garantia_id, cantidad_inicial,
               saldo, impuestos_por_unidad, fecha_ingreso, vence_el, creado_en)
               SELECT d.operador_id, l.insumo_id, l.id, 'dai', d.garantia_id, 100,
                      CASE WHEN l.id %% 5 = 0 THEN 0 ELSE 100 - l.id %% 37 END, 0.3006, current_date - 30, d.vence_el, now()
               FROM perfeccionamiento_lineadai l JOIN perfeccionamiento_dai d ON d.id = l.dai_id"""
        ),
        "ANALYZE",
    ]
    params = {
        "agente": agencia.pk,
        "distrito": distrito.pk,
        "admin": admin.pk,
        "dais": dais,
        "ops": operadores,
        "por_dai": por_dai,
    }
    with connection.cursor() as c:
        for consulta in sql:
            inicio = time.perf_counter()
            c.execute(consulta, None if consulta == "ANALYZE" else params)
            tabla = consulta.split()[2] if consulta != "ANALYZE" else "(estadísticas)"
            print(f"  {consulta.split()[0]} {tabla}: {time.perf_counter() - inicio:.1f} s")


def medir(funcion, veces: int) -> float:
    tiempos = []
    for _ in range(veces):
        inicio = time.perf_counter()
        funcion()
        tiempos.append(time.perf_counter() - inicio)
    return min(tiempos)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lineas", type=int, default=1_000_000)
    parser.add_argument("--veces", type=int, default=3, help="repeticiones de cada medición (se toma la mejor)")
    args = parser.parse_args()
    preparar_entorno()
    print(f"Base {BD}: migrando y cargando {args.lineas:,} ítems de DAI…")
    recrear_bd()
    import django

    django.setup()
    inicio = time.perf_counter()
    sembrar(args.lineas)
    print(f"  carga: {time.perf_counter() - inicio:.1f} s")

    from datetime import timedelta

    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone

    from perfeccionamiento.models import AlertaVencimiento, EntregaAlerta
    from perfeccionamiento.services import vencimientos
    from senae_portal.celery import app
    from tramites.models import Notificacion

    hoy = timezone.localdate()
    limite = hoy + timedelta(days=vencimientos.umbrales()[0])
    desnudo = """SELECT s.operador_id, l.dai_id, s.vence_el, count(*), sum(s.saldo * s.impuestos_por_unidad)
                 FROM perfeccionamiento_saldoinsumo s JOIN perfeccionamiento_lineadai l ON l.id = s.linea_id
                 WHERE s.saldo > 0 AND s.vence_el BETWEEN %s AND %s GROUP BY 1, 2, 3"""

    def sql_desnudo():
        with connection.cursor() as c:
            c.execute(desnudo, [hoy, limite])
            return len(c.fetchall())

    filas = sql_desnudo()
    t_sql = medir(sql_desnudo, args.veces)

    def consulta_del_trabajo():  # the job's query (threshold CASE, NOT EXISTS), read whole, nothing written
        return len(list(vencimientos.candidatos_saldos(hoy)))

    assert consulta_del_trabajo() == filas, "el trabajo y el SQL desnudo deben seleccionar las mismas filas"
    t_consulta = medir(consulta_del_trabajo, args.veces)

    tiempos, picos = [], []
    for _ in range(args.veces):
        with transaction.atomic():
            EntregaAlerta.objects.all().delete()
            AlertaVencimiento.objects.all().delete()
            Notificacion.objects.all().delete()
        app.control.purge()
        tracemalloc.start()
        inicio = time.perf_counter()
        creadas = vencimientos.alertar_saldos(hoy=hoy)
        tiempos.append(time.perf_counter() - inicio)
        picos.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert creadas == filas
    t_trabajo = min(tiempos)
    t_repeticion = medir(lambda: vencimientos.alertar_saldos(hoy=hoy), args.veces)
    app.control.purge()

    print()
    horizonte = vencimientos.umbrales()[0]
    print(f"Ítems de DAI: {args.lineas:,} · alertas por emitir (DAI y titular que vencen en {horizonte} días): {filas:,}")
    print(f"Lote del trabajo: {settings.ALERTAS_TAMANO_LOTE} registros · mejor de {args.veces}")
    print(f"{'medición':<40}{'segundos':>10}{'× SQL desnudo':>16}")
    for nombre, t in [
        ("SQL desnudo (GROUP BY)", t_sql),
        ("consulta del trabajo (ORM, sin escribir)", t_consulta),
        ("trabajo completo (selecciona y escribe)", t_trabajo),
        ("trabajo repetido (nada nuevo)", t_repeticion),
    ]:
        print(f"{nombre:<40}{t:>10.3f}{t / t_sql:>16.2f}")
    print(f"Memoria pico de Python durante el trabajo: {statistics.median(picos) / 2**20:.1f} MiB (mediana de {len(picos)})")


if __name__ == "__main__":
    main()
