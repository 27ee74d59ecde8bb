"""Realistic volumes for the benchmarks, loaded with set-based SQL (INSERT … SELECT over generate_series).

Default volumes are the issue's: 1,000 operators, 200,000 DAI-21 lines, 500,000 ledger movements, 1,000,000
tickets. What gets written is consistent with the models and their constraints:

- each operator (enabled, with one user) has an approved authorization, an approved general guarantee, 20 input
  codes, 5 product codes with an approved input-product table, and an active delegation to one of the agencies;
- DAI 21 were transmitted by that agency over the last 360 days and released through the automatic channel:
  4 lines each, taxes liquidated with the tariff and general rates seeded here, one lot per line;
- the ledger: one credit per lot at release; debits (reexportation anexos that name their lots, applied) take 40 %
  and then the remaining 60 % of the oldest lots, so the oldest half of the declarations is compensated.
  Every lot's `saldo` equals the sum of its movements and each movement's `saldo_resultante` its running sum;
- tickets over the last two years (consultations 50 %, incidents 30 %, complaints 20 %) routed like the service
  does, numbered per year, in a state that fits their age (older than 15 days: closed), with the desk's answer
  as a message and the full-text vector the suggestions read;
- every state change has its transition-log row (DAI, anexos, tickets), and the numbering sequences continue
  after the seeded numbers, so the services keep numbering without gaps or collisions.

Approximations (documented in bench/README.md): SLA deadlines of open tickets use calendar hours scaled by
the business-week ratio instead of Ecuador's business calendar; seeded users have unusable passwords (the
benchmarks authenticate with tokens and sessions they create).

Only databases whose name starts with `senae_bench` (or a `test_` database, which pytest throws away) are
accepted, so nobody loads millions of rows into real data.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.db import connection, transaction

VOLUMENES = {"operadores": 1000, "lineas": 200_000, "movimientos": 500_000, "tickets": 1_000_000}
LINEAS_POR_DAI = 4
INSUMOS_POR_OPERADOR = 20
PRODUCTOS_POR_OPERADOR = 5
ANALISTAS_POR_GRUPO = 10
# Tariff subheadings of the seeded input codes: (subpartida, unit, ad valorem %).
SUBPARTIDAS = [
    ("5208120000", "m", 10), ("5209110000", "m", 10), ("5407610000", "m", 15), ("5512110000", "m", 15),
    ("9606220000", "u", 20), ("9607110000", "u", 20), ("5806200000", "m", 5), ("3923210000", "u", 5),
    ("4819100000", "u", 5), ("5204110000", "kg", 5), ("3204160000", "kg", 0), ("3809910000", "kg", 0),
    ("7318150000", "u", 5), ("8308200000", "u", 10), ("4811410000", "kg", 5), ("5903100000", "m2", 10),
    ("3920100000", "kg", 5), ("6217100000", "u", 25), ("5607500000", "kg", 5), ("4016990000", "u", 10),
]  # fmt: skip
TABLAS = [
    "tramites_usuario", "tramites_operador", "tramites_agenteaduana", "tramites_delegacion", "tramites_transicion",
    "tramites_secuencia", "perfeccionamiento_solicitudautorizacion", "perfeccionamiento_garantia",
    "perfeccionamiento_codigoinsumo", "perfeccionamiento_codigoproducto", "perfeccionamiento_versioncoeficientes",
    "perfeccionamiento_coeficiente", "perfeccionamiento_tarifaarancelaria", "perfeccionamiento_tasasgenerales",
    "perfeccionamiento_dai", "perfeccionamiento_lineadai", "perfeccionamiento_saldoinsumo",
    "perfeccionamiento_movimientoinsumo", "perfeccionamiento_declaracioncompensatoria",
    "perfeccionamiento_anexocompensatorio", "perfeccionamiento_lineaanexo", "mesa_servicios_ticket",
    "mesa_servicios_seguimiento",
]  # fmt: skip
MARCA = "bench_semilla"
# Subject, description and answer of the seeded tickets (their search vectors are computed once each).
TEXTOS_TICKETS = [
    (
        "No puedo ingresar a ECUAPASS",
        "Al ingresar con mi usuario el sistema indica que la clave expiró y no llega el correo de recuperación.",
        "Restablecimos su clave; el correo de recuperación se envía a la dirección registrada en su perfil.",
    ),
    (
        "Error al transmitir la DAI",
        "La transmisión de la declaración devuelve un error de validación en el campo de la subpartida arancelaria.",
        "La subpartida debe tener diez dígitos sin puntos; corríjala y vuelva a transmitir la declaración.",
    ),
    (
        "Consulta sobre el régimen 21",
        "Quisiera saber cuánto tiempo tengo para compensar los insumos importados bajo admisión temporal.",
        "El plazo es de un año desde la salida autorizada de la DAI, prorrogable según la autorización vigente.",
    ),
    (
        "Demora en la atención",
        "Presenté mi trámite hace dos semanas y no he recibido respuesta del área correspondiente.",
        "Revisamos su trámite; fue atendido y la respuesta se encuentra en el portal.",
    ),
    (
        "Firma electrónica no reconocida",
        "El sistema no reconoce el certificado de firma electrónica al firmar la declaración.",
        "Actualice el componente de firma y verifique que el certificado esté vigente.",
    ),
    (
        "Registro de operador pendiente",
        "Registré mi empresa como operador y aún aparece pendiente de verificación.",
        "La verificación toma hasta tres días hábiles; su registro ya fue habilitado.",
    ),
]


class BaseNoPermitida(Exception):
    pass


@dataclass(frozen=True)
class Volumenes:
    operadores: int
    lineas: int
    movimientos: int
    tickets: int

    @classmethod
    def con_escala(cls, escala: float = 1.0, **fijos: int | None) -> Volumenes:
        valores = {k: max(1, round(v * escala)) for k, v in VOLUMENES.items()}
        valores.update({k: v for k, v in fijos.items() if v is not None})
        valores["operadores"] = max(2, valores["operadores"])
        return cls(**valores)

    @property
    def dais_por_operador(self) -> int:
        return max(1, round(self.lineas / (LINEAS_POR_DAI * self.operadores)))

    @property
    def dais(self) -> int:
        return self.dais_por_operador * self.operadores

    @property
    def lotes(self) -> int:
        return self.dais * LINEAS_POR_DAI

    @property
    def debitos(self) -> int:
        """Debits beyond the one credit per lot: at most two per lot (40 % and then the rest)."""
        return min(max(self.movimientos - self.lotes, 0), 2 * self.lotes)

    @property
    def agentes(self) -> int:
        return max(1, self.operadores // 20)

    @property
    def ciudadanos(self) -> int:
        return max(10, self.tickets // 100)


def nombre_base() -> str:
    return connection.settings_dict["NAME"]


def exigir_base_de_bench() -> None:
    nombre = nombre_base()
    if connection.vendor != "postgresql" or not (nombre.startswith("senae_bench") or nombre.startswith("test_")):
        raise BaseNoPermitida(
            f"La base «{nombre}» no es de benchmarks: sembrar_volumen solo escribe en PostgreSQL, en bases cuyo nombre "
            "empieza por «senae_bench» (o en una base de pruebas «test_…»)."
        )


def semilla_actual() -> dict | None:
    with connection.cursor() as c:
        c.execute("SELECT to_regclass(%s)", [MARCA])
        if c.fetchone()[0] is None:
            return None
        c.execute(f"SELECT parametros FROM {MARCA} ORDER BY sembrada_en DESC LIMIT 1")  # noqa: S608
        fila = c.fetchone()
    if fila is None:
        return None
    return fila[0] if isinstance(fila[0], dict) else json.loads(fila[0])


def vaciar() -> None:
    """Remove everything a seed (or a benchmark run) wrote; catalogues created after `migrate` stay."""
    exigir_base_de_bench()
    with connection.cursor() as c:
        c.execute(f"DROP TABLE IF EXISTS {MARCA}")
        tablas = ", ".join(
            [*TABLAS, "tramites_tokencliente", "tramites_solicitudidempotente", "tramites_notificacion", "tramites_adjunto"]
        )
        c.execute(f"TRUNCATE {tablas} RESTART IDENTITY CASCADE")


def _max_id(c, tabla: str) -> int:
    c.execute(f"SELECT COALESCE(MAX(id), 0) FROM {tabla}")  # noqa: S608
    return c.fetchone()[0]


def sembrar(volumenes: Volumenes, *, informar: Callable[[str], None] = print) -> dict:
    """Load the volumes in one transaction (all or nothing). Returns the seed's parameters and timings."""
    from django.contrib.contenttypes.models import ContentType

    from mesa_servicios.catalogo import asegurar_catalogo
    from mesa_servicios.models import Ticket
    from perfeccionamiento.models import DAI, AnexoCompensatorio
    from tramites import roles
    from tramites.demo import ruc_sociedad
    from tramites.referencias import asegurar_distritos

    exigir_base_de_bench()
    v = volumenes
    inicio = time.monotonic()
    tiempos: dict[str, float] = {}
    roles.configurar_grupos()
    asegurar_distritos()
    asegurar_catalogo()
    ct = {m: ContentType.objects.get_for_model(m).pk for m in (DAI, AnexoCompensatorio, Ticket)}
    rucs_oce = _rucs(ruc_sociedad, 200_000, v.operadores)
    rucs_agentes = _rucs(ruc_sociedad, 880_000, v.agentes)

    with transaction.atomic(), connection.cursor() as c:
        c.execute("SET LOCAL synchronous_commit = off")
        c.execute("SET LOCAL work_mem = '64MB'")
        base = {t: _max_id(c, t) for t in TABLAS}
        p = {
            "hoy": None,
            "n_oce": v.operadores,
            "n_agentes": v.agentes,
            "n_ciudadanos": v.ciudadanos,
            "n_analistas": ANALISTAS_POR_GRUPO,
            "dpo": v.dais_por_operador,
            "n_dai": v.dais,
            "n_lotes": v.lotes,
            "n_debitos": v.debitos,
            "n_tickets": v.tickets,
            "ct_dai": ct[DAI],
            "ct_anexo": ct[AnexoCompensatorio],
            "ct_ticket": ct[Ticket],
            "rucs_oce": rucs_oce,
            "rucs_agentes": rucs_agentes,
            "subpartidas": [s for s, _, _ in SUBPARTIDAS],
            "unidades": [u for _, u, _ in SUBPARTIDAS],
            "advalorem": [a for _, _, a in SUBPARTIDAS],
            "asuntos": [a for a, _, _ in TEXTOS_TICKETS],
            "descripciones": [d for _, d, _ in TEXTOS_TICKETS],
            "respuestas": [r for _, _, r in TEXTOS_TICKETS],
            **{f"b_{t.rsplit('_', 1)[1]}": n for t, n in base.items()},
        }
        c.execute("SELECT (now() AT TIME ZONE 'America/Guayaquil')::date")
        p["hoy"] = c.fetchone()[0]
        c.execute("SELECT array_agg(id ORDER BY codigo), array_agg(codigo ORDER BY codigo) FROM tramites_distrito WHERE activo")
        p["distritos"], p["codigos_distrito"] = c.fetchone()
        funcionarios = base["tramites_usuario"] + v.operadores + v.agentes + v.ciudadanos
        p["u_mesa"] = funcionarios + 1
        p["u_analisis"] = funcionarios + ANALISTAS_POR_GRUPO + 1
        p["u_regimenes"] = funcionarios + 2 * ANALISTAS_POR_GRUPO + 1

        def paso(nombre: str, sql: str) -> None:
            t0 = time.monotonic()
            c.execute(sql, p)
            tiempos[nombre] = round(time.monotonic() - t0, 1)
            informar(f"  {nombre}: {c.rowcount if c.rowcount >= 0 else ''} filas, {tiempos[nombre]} s")

        for nombre, sql in _PASOS:
            paso(nombre, sql)
            if nombre in _ANALIZAR_DESPUES:  # fresh statistics, or the next joins are planned for empty tables
                c.execute(f"ANALYZE {', '.join(_ANALIZAR_DESPUES[nombre])}")
        for tabla in TABLAS:
            c.execute(f"SELECT setval(pg_get_serial_sequence('{tabla}', 'id'), GREATEST((SELECT MAX(id) FROM {tabla}), 1))")  # noqa: S608
        c.execute(f"CREATE TABLE IF NOT EXISTS {MARCA} (sembrada_en timestamptz NOT NULL DEFAULT now(), parametros jsonb)")
        resultado = {**asdict(v), "dais": v.dais, "lotes": v.lotes, "debitos": v.debitos, "segundos": 0.0}
        resultado["segundos"] = round(time.monotonic() - inicio, 1)
        c.execute(f"INSERT INTO {MARCA} (parametros) VALUES (%s)", [json.dumps(resultado)])  # noqa: S608
    t0 = time.monotonic()
    # VACUUM sets the visibility maps (index-only scans) and spares the runs an autovacuum of millions of fresh
    # rows; inside a transaction (the seeding test) only ANALYZE is possible.
    orden = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as c:
        c.execute(orden)
    informar(f"  {orden}: {time.monotonic() - t0:.1f} s")
    resultado["segundos"] = round(time.monotonic() - inicio, 1)  # with the commit's deferred foreign-key checks
    with connection.cursor() as c:
        c.execute(f"UPDATE {MARCA} SET parametros = %s", [json.dumps(resultado)])  # noqa: S608
    resultado["pasos"] = tiempos
    return resultado


def _rucs(generar, desde: int, cuantos: int) -> list[str]:
    vistos: dict[str, None] = {}
    n = desde
    while len(vistos) < cuantos:
        vistos.setdefault(generar(n))
        n += 3
    return list(vistos)


_ANALIZAR_DESPUES = {
    "DAI": ["perfeccionamiento_dai"],
    "ítems de DAI": ["perfeccionamiento_lineadai"],
    "anexos": ["perfeccionamiento_declaracioncompensatoria", "perfeccionamiento_anexocompensatorio"],
    "lotes (saldos)": ["perfeccionamiento_saldoinsumo"],
    "líneas de anexo": ["perfeccionamiento_lineaanexo"],
    "movimientos (kárdex)": ["perfeccionamiento_movimientoinsumo"],
    "tickets": ["mesa_servicios_ticket"],
    "seguimientos (respuestas)": ["mesa_servicios_seguimiento"],
}

# Ids are the table's previous maximum (`b_<table>`) plus a 1-based index, so every step can compute the ids of
# what the previous steps inserted. Operator o (1..n_oce): user b_usuario+o, operator b_operador+o, authorization
# and guarantee b_…+o, input codes b_codigoinsumo+(o-1)*20+k, products b_codigoproducto+(o-1)*5+k.
# DAI d (0-based, in time order) belongs to operator d % n_oce + 1; its line n (1..4) is lot/line
# b_…+d*4+n, so lot ids follow release dates and the oldest lots are the first ones.
_PASOS: list[tuple[str, str]] = [
    (
        "operadores",
        """
INSERT INTO tramites_operador (id, creado_en, actualizado_en, ruc, razon_social, tipo, domiciliado_ecuador, direccion,
    email, telefono, estado, distrito_id)
SELECT %(b_operador)s + o, now() - interval '800 days', now() - interval '800 days', (%(rucs_oce)s::text[])[o],
    'Industria de prueba ' || o || ' S.A.', (ARRAY['maquila','importador','instalacion_industrial'])[1 + o %% 3], true,
    'Av. de prueba ' || o, 'oce' || o || '@bench.test', '0990000000', 'habilitado',
    (%(distritos)s::bigint[])[1 + o %% 5]
FROM generate_series(1, %(n_oce)s) o""",
    ),
    (
        "agencias",
        """
INSERT INTO tramites_agenteaduana (id, ruc, nombre, licencia, email, activo, webhook_secreto, webhook_url)
SELECT %(b_agenteaduana)s + a, (%(rucs_agentes)s::text[])[a], 'Agencia de prueba ' || a, 'BENCH-' || lpad(a::text, 5, '0'),
    'agencia' || a || '@bench.test', true, md5('bench' || a) || md5('secreto' || a), ''
FROM generate_series(1, %(n_agentes)s) a""",
    ),
    (
        "usuarios",
        """
INSERT INTO tramites_usuario (id, password, is_superuser, username, first_name, last_name, is_staff, is_active,
    date_joined, email, cedula, telefono, operador_id, agente_id)
SELECT %(b_usuario)s + u, '!bench', false, k || '-' || n, 'Usuario', k || ' ' || n,
    k IN ('mesa', 'analisis', 'regimenes'), true, now() - interval '800 days', k || '-' || n || '@bench.test', '', '',
    CASE WHEN k = 'oce' THEN %(b_operador)s + n END, CASE WHEN k = 'agente' THEN %(b_agenteaduana)s + n END
FROM (
    SELECT o AS u, 'oce' AS k, o AS n FROM generate_series(1, %(n_oce)s) o
    UNION ALL SELECT %(n_oce)s + a, 'agente', a FROM generate_series(1, %(n_agentes)s) a
    UNION ALL SELECT %(n_oce)s + %(n_agentes)s + x, 'ciudadano', x FROM generate_series(1, %(n_ciudadanos)s) x
    UNION ALL SELECT %(n_oce)s + %(n_agentes)s + %(n_ciudadanos)s + x, 'mesa', x FROM generate_series(1, %(n_analistas)s) x
    UNION ALL SELECT %(n_oce)s + %(n_agentes)s + %(n_ciudadanos)s + %(n_analistas)s + x, 'analisis', x
        FROM generate_series(1, %(n_analistas)s) x
    UNION ALL SELECT %(n_oce)s + %(n_agentes)s + %(n_ciudadanos)s + 2 * %(n_analistas)s + 1, 'regimenes', 1
) t""",
    ),
    (
        "grupos de funcionarios",
        """
INSERT INTO tramites_usuario_groups (usuario_id, group_id)
SELECT u.id, g.id FROM tramites_usuario u JOIN auth_group g ON g.name = CASE split_part(u.username, '-', 1)
    WHEN 'mesa' THEN 'Mesa de servicios' WHEN 'analisis' THEN 'Jefatura de Análisis Funcional'
    WHEN 'regimenes' THEN 'Regímenes especiales' END
WHERE u.id > %(b_usuario)s AND u.is_staff""",
    ),
    (
        "delegaciones",
        """
INSERT INTO tramites_delegacion (id, desde, hasta, revocada_en, creada_en, agente_id, creada_por_id, operador_id)
SELECT %(b_delegacion)s + o, %(hoy)s::date - 800, NULL, NULL, now() - interval '800 days',
    %(b_agenteaduana)s + 1 + (o - 1) %% %(n_agentes)s, %(b_usuario)s + o, %(b_operador)s + o
FROM generate_series(1, %(n_oce)s) o""",
    ),
    (
        "tarifas y tasas",
        """
WITH t AS (
    INSERT INTO perfeccionamiento_tarifaarancelaria (subpartida, descripcion, ad_valorem, ice)
    SELECT s, 'Subpartida de prueba ' || s, a, 0 FROM unnest(%(subpartidas)s::text[], %(advalorem)s::numeric[]) AS x(s, a)
    ON CONFLICT (subpartida) DO NOTHING RETURNING 1
)
INSERT INTO perfeccionamiento_tasasgenerales (vigente_desde, fodinfa, iva, seguro_presuntivo)
SELECT DATE '2000-01-01', 0.5, 15, 1 WHERE NOT EXISTS (SELECT 1 FROM perfeccionamiento_tasasgenerales)""",
    ),
    (
        "autorizaciones",
        """
INSERT INTO perfeccionamiento_solicitudautorizacion (id, creado_en, actualizado_en, numero, numero_autorizacion, modalidad,
    operacion, descripcion_proceso, mercancias, productos, plazo_solicitado_meses, vigencia_desde, vigencia_hasta,
    prorroga_meses, prorroga_resuelta, presentada_en, aprobada_en, estado, aprobada_por_id, creada_por_id, operador_id)
SELECT %(b_solicitudautorizacion)s + o, now() - interval '400 days', now() - interval '400 days',
    'SOL21-B' || lpad(o::text, 6, '0'), 'AUT21-B' || lpad(o::text, 6, '0'), 'maquila', 'elaboracion',
    'Confección de prendas con tela importada: corte automático, costura industrial y acabado en planta propia.',
    'Telas, hilos, botones y etiquetas', 'Prendas de vestir', 12, %(hoy)s::date - 380, %(hoy)s::date + 350, 12, true,
    now() - interval '395 days', now() - interval '381 days', 'aprobada', NULL, %(b_usuario)s + o, %(b_operador)s + o
FROM generate_series(1, %(n_oce)s) o""",
    ),
    (
        "garantías",
        """
INSERT INTO perfeccionamiento_garantia (id, creado_en, actualizado_en, numero, tipo, forma, operacion, entidad_emisora,
    numero_documento, monto, vigencia_desde, vigencia_hasta, cobro_oficio, estado, creada_por_id, operador_id,
    autorizacion_id)
SELECT %(b_garantia)s + o, now() - interval '390 days', now() - interval '390 days', 'GAR21-B' || lpad(o::text, 6, '0'),
    'general', 'poliza', '', 'Aseguradora de prueba', 'POL-' || o, 1000000000, %(hoy)s::date - 380, %(hoy)s::date + 350,
    '', 'aprobada', %(b_usuario)s + o, %(b_operador)s + o, %(b_solicitudautorizacion)s + o
FROM generate_series(1, %(n_oce)s) o""",
    ),
    (
        "códigos de insumo",
        """
INSERT INTO perfeccionamiento_codigoinsumo (id, creado_en, actualizado_en, codigo, descripcion, subpartida, unidad, estado,
    creado_por_id, operador_id)
SELECT %(b_codigoinsumo)s + (o - 1) * 20 + k, now() - interval '390 days', now() - interval '390 days',
    'INS-' || lpad(k::text, 3, '0'), 'Insumo de prueba ' || k, (%(subpartidas)s::text[])[k], (%(unidades)s::text[])[k],
    'vigente', %(b_usuario)s + o, %(b_operador)s + o
FROM generate_series(1, %(n_oce)s) o, generate_series(1, 20) k""",
    ),
    (
        "códigos de producto",
        """
INSERT INTO perfeccionamiento_codigoproducto (id, creado_en, actualizado_en, codigo, descripcion, subpartida, unidad, estado,
    creado_por_id, operador_id)
SELECT %(b_codigoproducto)s + (o - 1) * 5 + k, now() - interval '390 days', now() - interval '390 days',
    'PRD-' || lpad(k::text, 3, '0'), 'Prenda de prueba ' || k, '620520000' || k, 'u', 'vigente', %(b_usuario)s + o,
    %(b_operador)s + o
FROM generate_series(1, %(n_oce)s) o, generate_series(1, 5) k""",
    ),
    (
        "cuadros insumo-producto",
        """
INSERT INTO perfeccionamiento_versioncoeficientes (id, creado_en, actualizado_en, numero, vigente_desde, justificacion,
    estado, creada_por_id, operador_id, producto_id)
SELECT %(b_versioncoeficientes)s + (o - 1) * 5 + k, now() - interval '385 days', now() - interval '385 days', 1,
    %(hoy)s::date - 385, 'Pruebas de corte y consumo en planta', 'aprobada', %(b_usuario)s + o, %(b_operador)s + o,
    %(b_codigoproducto)s + (o - 1) * 5 + k
FROM generate_series(1, %(n_oce)s) o, generate_series(1, 5) k""",
    ),
    (
        "coeficientes",
        """
INSERT INTO perfeccionamiento_coeficiente (id, coeficiente, desperdicio, insumo_id, version_id)
SELECT %(b_coeficiente)s + ((o - 1) * 5 + k - 1) * 3 + j, (ARRAY[1.5, 2, 0.5])[j], (ARRAY[0.05, 0, 0.01])[j],
    %(b_codigoinsumo)s + (o - 1) * 20 + (k - 1) * 3 + j, %(b_versioncoeficientes)s + (o - 1) * 5 + k
FROM generate_series(1, %(n_oce)s) o, generate_series(1, 5) k, generate_series(1, 3) j""",
    ),
    (
        "DAI",
        """
INSERT INTO perfeccionamiento_dai (id, creado_en, actualizado_en, numero, documento_transporte, canal, total_fob, total_cif,
    total_suspendido, transmitida_en, salida_en, vence_el, estado, agente_id, autorizacion_id, creada_por_id,
    distrito_id, garantia_id, operador_id, regla_canal_id)
SELECT %(b_dai)s + d + 1, x.ts, x.ts,
    (%(codigos_distrito)s::text[])[1 + d %% 7] || '-' || extract(year FROM x.ts AT TIME ZONE 'America/Guayaquil') || '-21-'
        || lpad(row_number() OVER (PARTITION BY d %% 7, extract(year FROM x.ts AT TIME ZONE 'America/Guayaquil')
                                   ORDER BY d)::text, 8, '0'),
    'BL' || lpad(d::text, 9, '0'), 'automatico', 0, 0, 0, x.ts, x.ts + interval '5 minutes',
    (x.dia + interval '12 months' - interval '1 day')::date, 'salida_autorizada',
    %(b_agenteaduana)s + 1 + (x.o - 1) %% %(n_agentes)s, %(b_solicitudautorizacion)s + x.o,
    %(b_usuario)s + %(n_oce)s + 1 + (x.o - 1) %% %(n_agentes)s,
    (%(distritos)s::bigint[])[1 + d %% 7], %(b_garantia)s + x.o, %(b_operador)s + x.o, NULL
FROM generate_series(0, %(n_dai)s - 1) d
CROSS JOIN LATERAL (
    SELECT d %% %(n_oce)s + 1 AS o, %(hoy)s::date - 360 + (359 * d / %(n_dai)s) AS dia,
        ((%(hoy)s::date - 360 + (359 * d / %(n_dai)s)) + time '10:00') AT TIME ZONE 'America/Guayaquil'
        + (d %% 97) * interval '1 minute' AS ts
) x""",
    ),
    (
        "ítems de DAI",
        """
INSERT INTO perfeccionamiento_lineadai (id, numero, subpartida, descripcion, pais_origen, cantidad, unidad, fob, flete, seguro,
    seguro_liquidado, cif, tasa_ad_valorem, ad_valorem, fodinfa, ice, iva, total_suspendido, dai_id, insumo_id)
SELECT %(b_lineadai)s + l.d * 4 + l.n, l.n, i.subpartida, i.descripcion, (ARRAY['CN','CO','US','PE','IN'])[1 + l.n %% 5],
    l.cantidad, i.unidad, v.fob, v.flete, NULL, v.seguro, v.cif, t.ad_valorem, v.adv, v.fodinfa, 0, v.iva,
    v.adv + v.fodinfa + v.iva, %(b_dai)s + l.d + 1, i.id
FROM (
    SELECT d, n, d %% %(n_oce)s + 1 AS o, (1000 + ((d * 4 + n) * 37) %% 5000)::numeric AS cantidad,
        1 + ((d / %(n_oce)s) * 4 + n) %% 20 AS k
    FROM generate_series(0, %(n_dai)s - 1) d, generate_series(1, 4) n
) l
JOIN perfeccionamiento_codigoinsumo i ON i.id = %(b_codigoinsumo)s + (l.o - 1) * 20 + l.k
JOIN perfeccionamiento_tarifaarancelaria t ON t.subpartida = i.subpartida
CROSS JOIN LATERAL (SELECT round(l.cantidad * 2.5, 2) AS fob) f
CROSS JOIN LATERAL (SELECT f.fob, round(f.fob * 0.08, 2) AS flete, round(f.fob * 0.01, 2) AS seguro) a
CROSS JOIN LATERAL (SELECT a.fob, a.flete, a.seguro, a.fob + a.flete + a.seguro AS cif) b
CROSS JOIN LATERAL (SELECT b.*, round(b.cif * t.ad_valorem / 100, 2) AS adv, round(b.cif * 0.005, 2) AS fodinfa) e
CROSS JOIN LATERAL (SELECT e.*, round((e.cif + e.adv + e.fodinfa) * 0.15, 2) AS iva) v""",
    ),
    (
        "totales de DAI",
        """
UPDATE perfeccionamiento_dai d SET total_fob = s.fob, total_cif = s.cif, total_suspendido = s.ts
FROM (SELECT dai_id, sum(fob) AS fob, sum(cif) AS cif, sum(total_suspendido) AS ts FROM perfeccionamiento_lineadai
      WHERE id > %(b_lineadai)s GROUP BY dai_id) s
WHERE d.id = s.dai_id""",
    ),
    (
        "anexos (declaraciones)",
        """
INSERT INTO perfeccionamiento_declaracioncompensatoria (id, tipo, numero, fecha, operador_id)
SELECT %(b_declaracioncompensatoria)s + r.k * %(n_dai)s + r.d + 1, '61',
    '028-' || extract(year FROM r.en AT TIME ZONE 'America/Guayaquil') || '-61-'
        || lpad((r.k * %(n_dai)s + r.d + 1)::text, 8, '0'),
    (r.en AT TIME ZONE 'America/Guayaquil')::date, %(b_operador)s + r.d %% %(n_oce)s + 1
FROM (
    SELECT d, k, dai.salida_en + (now() - dai.salida_en) * (k + 1) / 3 AS en
    FROM generate_series(0, %(n_dai)s - 1) d CROSS JOIN generate_series(0, 1) k
    JOIN perfeccionamiento_dai dai ON dai.id = %(b_dai)s + d + 1
    WHERE d * 4 + k * %(n_lotes)s < %(n_debitos)s
) r""",
    ),
    (
        "anexos",
        """
INSERT INTO perfeccionamiento_anexocompensatorio (id, creado_en, actualizado_en, numero, tipo, fecha, observaciones,
    total_tributos, registrado_en, aplicado_en, estado, creado_por_id, operador_id, declaracion_id, cesionario_id,
    aceptar_hasta, garantia_cesionario_id)
SELECT %(b_anexocompensatorio)s + x.n, x.registrado, x.en, NULL, 'reexportacion', dc.fecha, '', 0, x.registrado, x.en,
    'aplicado', %(b_usuario)s + dc.operador_id - %(b_operador)s, dc.operador_id, dc.id, NULL, NULL, NULL
FROM perfeccionamiento_declaracioncompensatoria dc
CROSS JOIN LATERAL (SELECT dc.id - %(b_declaracioncompensatoria)s AS n) i
JOIN perfeccionamiento_dai dai ON dai.id = %(b_dai)s + (i.n - 1) %% %(n_dai)s + 1
CROSS JOIN LATERAL (
    SELECT i.n, dai.salida_en + (now() - dai.salida_en) * ((i.n - 1) / %(n_dai)s + 1) / 3 AS en,
        dai.salida_en + (now() - dai.salida_en) * ((i.n - 1) / %(n_dai)s + 1) / 3
        - (now() - dai.salida_en) / 12 AS registrado
) x
WHERE dc.id > %(b_declaracioncompensatoria)s""",
    ),
    (
        "números de anexo",
        """
UPDATE perfeccionamiento_anexocompensatorio a SET numero = n.numero
FROM (
    SELECT id, 'AC21-B' || extract(year FROM aplicado_en AT TIME ZONE 'America/Guayaquil') || '-'
        || lpad(row_number() OVER (PARTITION BY extract(year FROM aplicado_en AT TIME ZONE 'America/Guayaquil')
                                   ORDER BY id)::text, 6, '0') AS numero
    FROM perfeccionamiento_anexocompensatorio WHERE id > %(b_anexocompensatorio)s
) n
WHERE a.id = n.id""",
    ),
    (
        "lotes (saldos)",
        """
INSERT INTO perfeccionamiento_saldoinsumo (id, origen, cantidad_inicial, saldo, impuestos_por_unidad, fecha_ingreso,
    vence_el, creado_en, garantia_id, insumo_id, linea_id, operador_id)
SELECT %(b_saldoinsumo)s + (l.id - %(b_lineadai)s), 'dai', l.cantidad,
    CASE WHEN r + %(n_lotes)s < %(n_debitos)s THEN 0 WHEN r < %(n_debitos)s THEN l.cantidad - round(l.cantidad * 0.4, 6)
         ELSE l.cantidad END,
    round(l.total_suspendido / l.cantidad, 10), (d.salida_en AT TIME ZONE 'America/Guayaquil')::date, d.vence_el,
    d.salida_en, d.garantia_id, l.insumo_id, l.id, d.operador_id
FROM perfeccionamiento_lineadai l JOIN perfeccionamiento_dai d ON d.id = l.dai_id
CROSS JOIN LATERAL (SELECT l.id - %(b_lineadai)s - 1 AS r) x
WHERE l.id > %(b_lineadai)s""",
    ),
    (
        "líneas de anexo",
        """
INSERT INTO perfeccionamiento_lineaanexo (id, numero, cantidad, lotes, anexo_id, correccion_id, insumo_id, producto_id,
    version_id)
SELECT %(b_lineaanexo)s + r + k * %(n_lotes)s + 1, 1 + r %% 4,
    CASE WHEN k = 0 THEN round(s.cantidad_inicial * 0.4, 6) ELSE s.cantidad_inicial - round(s.cantidad_inicial * 0.4, 6) END,
    jsonb_build_array(s.id), %(b_anexocompensatorio)s + k * %(n_dai)s + r / 4 + 1, NULL, s.insumo_id, NULL, NULL
FROM perfeccionamiento_saldoinsumo s CROSS JOIN generate_series(0, 1) k
CROSS JOIN LATERAL (SELECT s.id - %(b_saldoinsumo)s - 1 AS r) x
WHERE s.id > %(b_saldoinsumo)s AND r + k * %(n_lotes)s < %(n_debitos)s""",
    ),
    (
        "movimientos (kárdex)",
        """
INSERT INTO perfeccionamiento_movimientoinsumo (id, tipo, cantidad, saldo_resultante, descripcion, en, dai_id, por_id,
    saldo_id, revierte_id, anexo_id, correccion_id, linea_anexo_id)
SELECT %(b_movimientoinsumo)s + m.orden, m.tipo, m.cantidad, m.resultante, m.descripcion, m.en, m.dai_id, m.por_id, m.saldo_id,
    NULL, m.anexo_id, NULL, m.linea_anexo_id
FROM (
    SELECT s.id - %(b_saldoinsumo)s AS orden, 'ingreso' AS tipo, s.cantidad_inicial AS cantidad,
        s.cantidad_inicial AS resultante, 'Salida autorizada de la DAI ' || d.numero || ', ítem ' || l.numero AS descripcion,
        d.salida_en AS en, d.id AS dai_id, NULL::bigint AS por_id, s.id AS saldo_id, NULL::bigint AS anexo_id,
        NULL::bigint AS linea_anexo_id
    FROM perfeccionamiento_saldoinsumo s JOIN perfeccionamiento_lineadai l ON l.id = s.linea_id
    JOIN perfeccionamiento_dai d ON d.id = l.dai_id
    WHERE s.id > %(b_saldoinsumo)s
    UNION ALL
    SELECT %(n_lotes)s + la.id - %(b_lineaanexo)s, 'descargo', -la.cantidad,
        CASE WHEN la.id - %(b_lineaanexo)s > %(n_lotes)s THEN 0
             ELSE s.cantidad_inicial - la.cantidad END,
        'Descargo por el anexo ' || a.numero, a.aplicado_en, NULL, NULL, s.id, a.id, la.id
    FROM perfeccionamiento_lineaanexo la JOIN perfeccionamiento_anexocompensatorio a ON a.id = la.anexo_id
    JOIN perfeccionamiento_saldoinsumo s ON s.id = (la.lotes ->> 0)::bigint
    WHERE la.id > %(b_lineaanexo)s
) m""",
    ),
    (
        "DAI compensadas",
        """
UPDATE perfeccionamiento_dai d SET estado = 'compensada', actualizado_en = now()
WHERE d.id > %(b_dai)s AND NOT EXISTS (
    SELECT 1 FROM perfeccionamiento_lineadai l JOIN perfeccionamiento_saldoinsumo s ON s.linea_id = l.id
    WHERE l.dai_id = d.id AND s.saldo > 0)""",
    ),
    (
        "transiciones de DAI y anexos",
        """
INSERT INTO tramites_transicion (object_id, transicion, desde, hacia, en, comentario, content_type_id, por_id)
SELECT d.id, t.transicion, t.desde, t.hacia, d.transmitida_en + t.despues, t.comentario, %(ct_dai)s, t.por
FROM perfeccionamiento_dai d
CROSS JOIN LATERAL (VALUES
    ('transmitir', 'borrador', 'aceptada', interval '0', 'Canal Automático', d.creada_por_id),
    ('autorizar_salida_automatica', 'aceptada', 'salida_autorizada', interval '5 minutes', '', NULL::bigint)
) t(transicion, desde, hacia, despues, comentario, por)
WHERE d.id > %(b_dai)s
UNION ALL
SELECT l.dai_id, 'cerrar_compensada', 'salida_autorizada', 'compensada', max(m.en), 'Todos sus saldos quedaron en cero.',
    %(ct_dai)s, NULL
FROM perfeccionamiento_dai d JOIN perfeccionamiento_lineadai l ON l.dai_id = d.id
JOIN perfeccionamiento_saldoinsumo s ON s.linea_id = l.id JOIN perfeccionamiento_movimientoinsumo m ON m.saldo_id = s.id
WHERE d.id > %(b_dai)s AND d.estado = 'compensada'
GROUP BY l.dai_id
UNION ALL
SELECT a.id, t.transicion, t.desde, t.hacia, t.en, '', %(ct_anexo)s, t.por
FROM perfeccionamiento_anexocompensatorio a
CROSS JOIN LATERAL (VALUES
    ('registrar', 'borrador', 'registrado', a.registrado_en, a.creado_por_id),
    ('aceptar', 'registrado', 'aceptado', a.aplicado_en - interval '1 minute', %(u_regimenes)s::bigint),
    ('aplicar', 'aceptado', 'aplicado', a.aplicado_en, NULL::bigint)
) t(transicion, desde, hacia, en, por)
WHERE a.id > %(b_anexocompensatorio)s""",
    ),
    (
        "tickets",
        """
INSERT INTO mesa_servicios_ticket (id, creado_en, actualizado_en, numero, tipo, canal, estado, asunto, descripcion,
    telefono_contacto, pantalla_opcion, modulo, ocurrido_en, referencia, tramite, respuesta, respuesta_publica,
    primera_respuesta_en, respondido_en, cierre_automatico_en, cerrado_en, resultado, sla_horas, sla_porcentaje_aviso,
    sla_consumido_seg, sla_desde, sla_vence_en, sla_aviso_en, sla_cumplido, busqueda, area_id, asignado_a_id, distrito_id,
    motivo_id, origen_id, padre_id, registrado_por_id, solicitante_id)
WITH motivos AS (
    SELECT row_number() OVER (ORDER BY id) AS n, id, area_id FROM mesa_servicios_motivo WHERE activo AND NOT requiere_adjunto
), textos AS (
    SELECT (x.orden - 1)::int AS n, x.asunto, x.descripcion, x.respuesta
    FROM unnest(%(asuntos)s::text[], %(descripciones)s::text[], %(respuestas)s::text[])
        WITH ORDINALITY AS x(asunto, descripcion, respuesta, orden)
), vectores AS (
    SELECT n, asunto, descripcion, respuesta,
        setweight(to_tsvector('spanish', asunto), 'A') || setweight(to_tsvector('spanish', descripcion), 'B') AS sin_respuesta,
        setweight(to_tsvector('spanish', asunto), 'A') || setweight(to_tsvector('spanish', descripcion), 'B')
            || setweight(to_tsvector('spanish', respuesta), 'C') AS con_respuesta
    FROM textos
), base AS (
    SELECT i, now() - (interval '730 days') * (%(n_tickets)s - i) / %(n_tickets)s - (i %% 53) * interval '1 minute' AS creado,
        CASE WHEN i %% 10 < 5 THEN 'consulta' WHEN i %% 10 < 8 THEN 'incidente' ELSE 'queja' END AS tipo, i %% 20 AS fase
    FROM generate_series(1, %(n_tickets)s) i
), t AS (
    SELECT b.*, CASE WHEN b.creado < now() - interval '15 days' OR b.fase >= 11 THEN 'cerrado'
                     WHEN b.fase >= 6 THEN 'respondido' WHEN b.fase >= 3 THEN 'en_analisis' ELSE 'registrado' END AS estado,
        o.horas_habiles AS sla, m.id AS motivo_id,
        CASE b.tipo WHEN 'consulta' THEN m.area_id
             WHEN 'incidente' THEN (SELECT id FROM mesa_servicios_area WHERE recibe_incidentes)
             ELSE (SELECT id FROM mesa_servicios_area WHERE recibe_quejas) END AS area_id
    FROM base b
    JOIN mesa_servicios_objetivosla o ON o.tipo = b.tipo
    JOIN motivos m ON m.n = 1 + b.i %% (SELECT count(*) FROM motivos)
)
SELECT %(b_ticket)s + t.i, t.creado, t.creado, 'MDS-' || extract(year FROM t.creado AT TIME ZONE 'America/Guayaquil') || '-'
        || lpad(row_number() OVER (PARTITION BY extract(year FROM t.creado AT TIME ZONE 'America/Guayaquil') ORDER BY t.i)::text,
                6, '0'),
    t.tipo, (ARRAY['web','web','web','correo','telefono','api'])[1 + t.i %% 6], t.estado, v.asunto, v.descripcion,
    CASE WHEN t.tipo = 'incidente' THEN '0991234567' ELSE '' END,
    CASE WHEN t.tipo = 'incidente' THEN 'Declaraciones > DAI > Transmitir' ELSE '' END,
    CASE WHEN t.tipo = 'incidente' THEN 'portal_externo' ELSE '' END,
    CASE WHEN t.tipo = 'incidente' THEN t.creado - interval '1 hour' END, '',
    CASE WHEN t.tipo = 'queja' THEN (ARRAY['mesa_servicios','regimen_21','otro'])[1 + t.i %% 3] ELSE '' END,
    CASE WHEN r.respondido THEN v.respuesta ELSE '' END,
    r.respondido AND t.tipo = 'consulta' AND t.i %% 20 = 11,
    CASE WHEN r.respondido THEN r.resp_en END, CASE WHEN r.respondido THEN r.resp_en END,
    CASE WHEN t.estado = 'respondido' THEN r.resp_en + interval '7 days' END,
    CASE WHEN t.estado = 'cerrado' THEN LEAST(r.resp_en + interval '2 days', r.resp_en + (now() - r.resp_en) / 2) END,
    CASE WHEN t.estado = 'cerrado' THEN 'conforme' ELSE '' END,
    t.sla, 75, CASE WHEN r.respondido THEN r.consumido ELSE 0 END,
    CASE WHEN NOT r.respondido THEN t.creado END,
    CASE WHEN NOT r.respondido THEN t.creado + t.sla * interval '224 minutes' END,
    CASE WHEN NOT r.respondido THEN t.creado + t.sla * interval '168 minutes' END,
    CASE WHEN r.respondido THEN r.consumido <= t.sla * 3600 END,
    CASE WHEN r.respondido THEN v.con_respuesta ELSE v.sin_respuesta END,
    t.area_id, CASE WHEN t.estado <> 'registrado' THEN r.analista END,
    CASE WHEN t.tipo = 'incidente' THEN (%(distritos)s::bigint[])[1 + t.i %% cardinality(%(distritos)s::bigint[])] END,
    CASE WHEN t.tipo = 'consulta' THEN t.motivo_id END, NULL, NULL, NULL,
    %(b_usuario)s + %(n_oce)s + %(n_agentes)s + 1 + t.i %% %(n_ciudadanos)s
FROM t
JOIN vectores v ON v.n = t.i %% 6
CROSS JOIN LATERAL (
    SELECT t.estado IN ('respondido', 'cerrado') AS respondido,
        LEAST(t.creado + t.sla * (CASE WHEN t.i %% 10 = 0 THEN 270 ELSE 112 END) * interval '1 minute',
              t.creado + (now() - t.creado) / 2) AS resp_en,
        t.sla * (CASE WHEN t.i %% 10 = 0 THEN 4320 ELSE 1800 END) AS consumido,
        CASE WHEN t.area_id = (SELECT id FROM mesa_servicios_area WHERE recibe_incidentes) THEN %(u_analisis)s
             ELSE %(u_mesa)s END + t.i %% %(n_analistas)s AS analista
) r""",
    ),
    (
        "seguimientos (respuestas)",
        """
INSERT INTO mesa_servicios_seguimiento (id, tipo, canal, texto, creado_en, autor_id, ticket_id)
SELECT %(b_seguimiento)s + (t.id - %(b_ticket)s), 'respuesta', 'web', t.respuesta, t.respondido_en, t.asignado_a_id, t.id
FROM mesa_servicios_ticket t WHERE t.id > %(b_ticket)s AND t.respondido_en IS NOT NULL""",
    ),
    (
        "transiciones de tickets",
        """
INSERT INTO tramites_transicion (object_id, transicion, desde, hacia, en, comentario, content_type_id, por_id)
SELECT t.id, x.transicion, x.desde, x.hacia, x.en, x.comentario, %(ct_ticket)s, x.por
FROM mesa_servicios_ticket t
CROSS JOIN LATERAL (VALUES
    ('registrar', '', 'registrado', t.creado_en, 'Registrado por el portal.', t.solicitante_id, true),
    ('tomar', 'registrado', 'en_analisis', t.creado_en + (COALESCE(t.respondido_en, now()) - t.creado_en) / 4, '',
        t.asignado_a_id, t.estado <> 'registrado'),
    ('responder', 'en_analisis', 'respondido', t.respondido_en, '', t.asignado_a_id, t.respondido_en IS NOT NULL),
    ('aceptar', 'respondido', 'cerrado', t.cerrado_en, '', t.solicitante_id, t.estado = 'cerrado')
) x(transicion, desde, hacia, en, comentario, por, aplica)
WHERE t.id > %(b_ticket)s AND x.aplica""",
    ),
    (
        "secuencias de numeración",
        """
INSERT INTO tramites_secuencia (clave, ultimo)
SELECT clave, max(n) FROM (
    SELECT 'DAI-' || split_part(numero, '-', 1) || '-' || split_part(numero, '-', 2) || '-21' AS clave,
        split_part(numero, '-', 4)::bigint AS n
    FROM perfeccionamiento_dai WHERE id > %(b_dai)s
    UNION ALL
    SELECT 'MDS-' || split_part(numero, '-', 2), split_part(numero, '-', 3)::bigint
    FROM mesa_servicios_ticket WHERE id > %(b_ticket)s
) s GROUP BY clave
ON CONFLICT (clave) DO UPDATE SET ultimo = GREATEST(tramites_secuencia.ultimo, EXCLUDED.ultimo)""",
    ),
]
