"""Expiry alerts and expiry of the régimen 21 (SENAE-MEE-2-2-033 "alertas de vencimiento").

Alerts: DAI balances, authorizations and guarantees that reach a lead threshold before their end date
(`ALERTAS_DIAS_ANTICIPACION`, default 90/60/30/15/7/1 days) are told to the operator's users and its agents
with an active delegation, in the portal and by e-mail, once per record, operator and threshold. A record
whose threshold was skipped (the job did not run) gets only its current threshold. Guarantees whose exposure
exceeds their amount are told too.

Each job walks its candidates in batches: one query selects the next batch of records that still lack their
alert (NOT EXISTS), and the batch's alerts, notifications and proofs of delivery are written in one
transaction. A re-run, a second concurrent run or a worker that died mid-run therefore never alerts twice:
committed batches are excluded by the query and by the unique key; an interrupted batch left nothing.

Expiry: records whose end date passed move to their expired state through their audited transitions.
"""

from __future__ import annotations

import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import date, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from tramites.fsm import transicionar
from tramites.models import Delegacion, Notificacion, Usuario
from tramites.services import notificaciones_encolar_correos

from ..models import DAI, AlertaVencimiento, EntregaAlerta, Garantia, SaldoInsumo, SolicitudAutorizacion
from ..selectors import con_exposicion
from .comun import avisar_transicion, bloquear

T = AlertaVencimiento.Tipo


def umbrales() -> list[int]:
    """Lead days, largest first (90, 60, 30, 15, 7, 1 by default)."""
    return sorted({int(d) for d in settings.ALERTAS_DIAS_ANTICIPACION}, reverse=True)


def _umbral(campo: str, hoy: date) -> Case:
    """The threshold a date falls in: the smallest lead L with date ≤ today + L (1, 7, 15, … days)."""
    return Case(
        *[When(**{f"{campo}__lte": hoy + timedelta(days=d)}, then=Value(d)) for d in sorted(umbrales())],
        output_field=IntegerField(),
    )


def _ya_alertado(tipo: str, modelo, *, objeto: str, vence: str, umbral: str | None, operador: str = "operador_id") -> Exists:
    filtro = {
        "tipo": tipo,
        "content_type": ContentType.objects.get_for_model(modelo),
        "object_id": OuterRef(objeto),
        "operador_id": OuterRef(operador),
        "vence_el": OuterRef(vence),
    }
    if umbral:
        filtro["umbral_dias"] = OuterRef(umbral)
    return Exists(AlertaVencimiento.objects.filter(**filtro))


def _destinatarios(operador_ids: Iterable[int]) -> dict[int, list[Usuario]]:
    """Active users of each operator and of its agencies with an active delegation (two queries)."""
    operador_ids = set(operador_ids)
    agencias = defaultdict(set)
    for operador_id, agente_id in (
        Delegacion.objects.activas().filter(operador_id__in=operador_ids).values_list("operador_id", "agente_id")
    ):
        agencias[agente_id].add(operador_id)
    usuarios = Usuario.objects.filter(Q(operador_id__in=operador_ids) | Q(agente_id__in=list(agencias)), is_active=True)
    por_operador: dict[int, list[Usuario]] = defaultdict(list)
    for u in usuarios:
        for operador_id in {u.operador_id} if u.operador_id else agencias.get(u.agente_id, set()):
            por_operador[operador_id].append(u)
    return por_operador


def _escribir(alertas: list[AlertaVencimiento]) -> int:
    """Save a batch of alerts with their notifications and proofs of delivery, in one transaction."""
    destinatarios = _destinatarios(a.operador_id for a in alertas)
    with transaction.atomic():
        AlertaVencimiento.objects.bulk_create(alertas)
        pares = [(a, u) for a in alertas for u in destinatarios.get(a.operador_id, [])]
        notificaciones = Notificacion.objects.bulk_create(
            [Notificacion(usuario=u, asunto=a.asunto[:200], mensaje=a.mensaje, enlace=a.enlace) for a, u in pares]
        )
        EntregaAlerta.objects.bulk_create(
            [EntregaAlerta(alerta=a, usuario=u, notificacion=n) for (a, u), n in zip(pares, notificaciones, strict=True)]
        )
        notificaciones_encolar_correos(notificaciones=notificaciones)  # by the outbox, after commit
    return len(alertas)


def _recorrer(qs: QuerySet) -> Iterator[list]:
    """The rows of ONE query, in batches of ALERTAS_TAMANO_LOTE. On PostgreSQL a cursor WITH HOLD keeps the
    result across the commit of each batch (memory stays flat); elsewhere (the embedded SQLite default) the rows
    are read at once."""
    tamano = settings.ALERTAS_TAMANO_LOTE
    if connection.vendor != "postgresql":
        filas = list(qs)
        for i in range(0, len(filas), tamano):
            yield filas[i : i + tamano]
        return
    sql, params = qs.query.sql_with_params()
    nombre = f"alertas_{uuid.uuid4().hex}"
    with connection.cursor() as cursor:
        cursor.execute(f"DECLARE {nombre} NO SCROLL CURSOR WITH HOLD FOR {sql}", params)
        try:
            while True:
                cursor.execute(f"FETCH {tamano} FROM {nombre}")
                columnas = [c.name for c in cursor.description]
                filas = [dict(zip(columnas, fila, strict=True)) for fila in cursor.fetchall()]
                if not filas:
                    return
                yield filas
        finally:
            cursor.execute(f"CLOSE {nombre}")


def _por_lotes(qs: QuerySet, construir: Callable[[object], AlertaVencimiento], *, modelo=None) -> int:
    """Alert every candidate row of `qs` (a `.values()` query), batch by batch, each batch in its own transaction.
    With `modelo`, rows are `{"pk", <annotations>}` and each batch's records are loaded with one more query,
    with the annotations set on them. A batch
    in which another run alerted some record first (unique key) is written record by record, skipping those."""
    creadas = 0
    for filas in _recorrer(qs):
        if modelo is not None:
            registros = modelo.objects.in_bulk([f["pk"] for f in filas])
            for f in filas:
                for campo, valor in f.items():
                    setattr(registros[f["pk"]], campo, valor)
            filas = [registros[f["pk"]] for f in filas]
        alertas = [construir(fila) for fila in filas]
        try:
            creadas += _escribir(alertas)
        except IntegrityError:
            for alerta in alertas:
                alerta.pk = None
                try:
                    creadas += _escribir([alerta])
                except IntegrityError:
                    continue
        if settings.ALERTAS_PAUSA_ENTRE_LOTES:
            time.sleep(settings.ALERTAS_PAUSA_ENTRE_LOTES)
    return creadas


def _dias(vence: date, hoy: date) -> str:
    dias = (vence - hoy).days
    return "hoy" if dias == 0 else "mañana" if dias == 1 else f"en {dias} días"


def candidatos_saldos(hoy: date) -> QuerySet:
    """Open balances ending within the largest lead, per DAI and holder, with their threshold, not yet alerted."""
    tributos = ExpressionWrapper(
        F("saldo") * F("impuestos_por_unidad"), output_field=DecimalField(max_digits=38, decimal_places=10)
    )
    return (
        SaldoInsumo.objects.filter(saldo__gt=0, vence_el__gte=hoy, vence_el__lte=hoy + timedelta(days=umbrales()[0]))
        .values("operador_id", "linea__dai_id", "vence_el")
        .annotate(
            umbral=_umbral("vence_el", hoy),
            items=Count("pk"),
            tributos=Sum(tributos),
            numero=Max("linea__dai__numero"),
            desperdicios=Count("pk", filter=Q(origen=SaldoInsumo.Origen.DESPERDICIO)),
        )  # fmt: skip
        .annotate(alertado=_ya_alertado(T.SALDO, DAI, objeto="linea__dai_id", vence="vence_el", umbral="umbral"))
        .filter(alertado=False)
        .order_by("vence_el", "linea__dai_id", "operador_id")
    )


def alertar_saldos(*, hoy: date | None = None) -> int:
    """Open balances of a DAI (per DAI and holder) nearing the end of the regime term."""
    hoy = hoy or timezone.localdate()
    ct = ContentType.objects.get_for_model(DAI)

    def alerta(f) -> AlertaVencimiento:
        a = AlertaVencimiento(
            tipo=T.SALDO, content_type=ct, object_id=f["linea__dai_id"], operador_id=f["operador_id"],
            clave=f"{f['vence_el']}:{f['umbral']}", umbral_dias=f["umbral"], vence_el=f["vence_el"],
            enlace=f"/regimen21/dai/{f['linea__dai_id']}/",
            asunto=f"La DAI {f['numero']} vence {_dias(f['vence_el'], hoy)} con saldo por compensar",
            mensaje=(
                f"{f['items']} ítem(s) de la DAI {f['numero']} tienen saldo y su plazo del régimen 21 termina el "
                f"{f['vence_el']:%d/%m/%Y}. Tributos suspendidos del saldo: USD {f['tributos'] or 0:,.2f}. Compénselo "
                "(exportación, reexportación, nacionalización…) antes de esa fecha."
                + (
                    f" {f['desperdicios']} de esos saldos son desperdicio recuperable de la producción: destrúyalo "
                    "(DAI 86), nacionalícelo (DAI 10) o reexpórtelo (DAE 61)."
                    if f.get("desperdicios")
                    else ""
                )
            ),
        )  # fmt: skip
        return a

    return _por_lotes(candidatos_saldos(hoy), alerta)


def _alertar_fin(tipo: str, modelo, qs, *, hoy: date, campo: str, asunto: Callable, mensaje: Callable) -> int:
    ct = ContentType.objects.get_for_model(modelo)
    candidatos = (
        qs.filter(**{f"{campo}__gte": hoy, f"{campo}__lte": hoy + timedelta(days=umbrales()[0])})
        .annotate(umbral=_umbral(campo, hoy))
        .annotate(alertado=_ya_alertado(tipo, modelo, objeto="pk", vence=campo, umbral="umbral"))
        .filter(alertado=False)
        .order_by(campo, "pk")
        .values("pk", "umbral")
    )

    def alerta(obj) -> AlertaVencimiento:
        vence = getattr(obj, campo)
        a = AlertaVencimiento(
            tipo=tipo, content_type=ct, object_id=obj.pk, operador_id=obj.operador_id, clave=f"{vence}:{obj.umbral}",
            umbral_dias=obj.umbral, vence_el=vence, asunto=asunto(obj, _dias(vence, hoy)), mensaje=mensaje(obj),
            enlace=obj.get_absolute_url(),
        )  # fmt: skip
        return a

    return _por_lotes(candidatos, alerta, modelo=modelo)


def alertar_autorizaciones(*, hoy: date | None = None) -> int:
    hoy = hoy or timezone.localdate()
    en_vigor = [*SolicitudAutorizacion.VIGENTES, SolicitudAutorizacion.Estado.SUSPENDIDA]
    return _alertar_fin(
        T.AUTORIZACION, SolicitudAutorizacion, SolicitudAutorizacion.objects.filter(estado__in=en_vigor),
        hoy=hoy, campo="vigencia_hasta",
        asunto=lambda s, cuando: f"La autorización {s} vence {cuando}",
        mensaje=lambda s: (
            f"La autorización de régimen 21 {s} rige hasta el {s.vigencia_hasta:%d/%m/%Y}. "
            + ("Puede solicitar su única prórroga antes de esa fecha." if s.prorroga_meses is None else "Ya usó su prórroga.")
        ),
    )  # fmt: skip


def alertar_garantias(*, hoy: date | None = None) -> int:
    hoy = hoy or timezone.localdate()
    por_vencer = _alertar_fin(
        T.GARANTIA, Garantia, Garantia.objects.filter(estado__in=Garantia.QUE_CUBREN), hoy=hoy, campo="vigencia_hasta",
        asunto=lambda g, cuando: f"La garantía {g} vence {cuando}",
        mensaje=lambda g: (
            f"La garantía {g} ({g.entidad_emisora}, {g.numero_documento}) vence el {g.vigencia_hasta:%d/%m/%Y}. "
            "Renuévela (solicite la modificación de su fecha final): al vencer no cubre nuevas DAI 21 y sus saldos "
            "quedan sin respaldo."
        ),
    )  # fmt: skip
    return por_vencer + alertar_garantias_excedidas(hoy=hoy)


def alertar_garantias_excedidas(*, hoy: date | None = None) -> int:
    """Guarantees whose exposure (taxes of DAI in clearance and of open balances) exceeds their amount — once
    per guarantee and end date."""
    ct = ContentType.objects.get_for_model(Garantia)
    estados = [*Garantia.QUE_CUBREN, Garantia.Estado.VENCIDA]
    candidatos = (
        con_exposicion(Garantia.objects.filter(estado__in=estados))
        .filter(exposicion__gt=F("monto"))
        .annotate(alertado=_ya_alertado(T.GARANTIA_EXCEDIDA, Garantia, objeto="pk", vence="vigencia_hasta", umbral=None))
        .filter(alertado=False)
        .order_by("pk")
        .values("pk", "exposicion")
    )

    def alerta(g) -> AlertaVencimiento:
        a = AlertaVencimiento(
            tipo=T.GARANTIA_EXCEDIDA, content_type=ct, object_id=g.pk, operador_id=g.operador_id,
            clave=f"excedida:{g.vigencia_hasta}", vence_el=g.vigencia_hasta, enlace=g.get_absolute_url(),
            asunto=f"La garantía {g} no cubre sus tributos suspendidos",
            mensaje=(
                f"La garantía {g} ({g.get_estado_display().lower()}) respalda USD {g.exposicion:,.2f} en tributos suspendidos "
                f"y su monto es USD {g.monto:,.2f}. Aumente el monto o compense saldos."
            ),
        )  # fmt: skip
        return a

    return _por_lotes(candidatos, alerta, modelo=Garantia)


def alertar_vencimientos(*, hoy: date | None = None) -> dict[str, int]:
    hoy = hoy or timezone.localdate()
    return {
        "saldos": alertar_saldos(hoy=hoy),
        "autorizaciones": alertar_autorizaciones(hoy=hoy),
        "garantias": alertar_garantias(hoy=hoy),
    }


# --- Expiry ------------------------------------------------------------------------------------------------------


def _vencer(modelo, ids_vencidos: Callable[[], list[int]], accion: str, comentario: Callable) -> int:
    """Move each due record to its expired state through its transition, one short transaction each."""
    n = 0
    while ids := ids_vencidos():
        for pk in ids:
            with transaction.atomic():
                obj = bloquear(modelo, pk)
                t = transicionar(obj, accion, por=None, comentario=comentario(obj))
                avisar_transicion(obj, t)
                n += 1
    return n


def vencer_registros(*, hoy: date | None = None) -> dict[str, int]:
    """Authorizations and guarantees past their end date expire; DAI past their regime term with balance become
    'vencida con saldo' (SENAE's control queue; the suspended taxes of the balance are owed)."""
    hoy = hoy or timezone.localdate()
    lote = settings.ALERTAS_TAMANO_LOTE

    def primeros(qs) -> Callable[[], list[int]]:
        return lambda: list(qs.values_list("pk", flat=True)[:lote])

    autorizaciones = SolicitudAutorizacion.objects.filter(estado__in=["aprobada", "suspendida"], vigencia_hasta__lt=hoy)
    garantias = Garantia.objects.filter(estado__in=Garantia.QUE_CUBREN, vigencia_hasta__lt=hoy)
    con_saldo = Exists(SaldoInsumo.objects.filter(linea__dai=OuterRef("pk"), saldo__gt=0))
    dais = DAI.objects.filter(estado=DAI.Estado.SALIDA_AUTORIZADA, vence_el__lt=hoy).filter(con_saldo)
    return {
        "autorizaciones": _vencer(
            SolicitudAutorizacion,
            primeros(autorizaciones),
            "vencer",
            lambda s: f"Vigencia cumplida el {s.vigencia_hasta:%d/%m/%Y}.",
        ),
        "garantias": _vencer(
            Garantia, primeros(garantias), "vencer", lambda g: f"Vigencia de la garantía cumplida el {g.vigencia_hasta:%d/%m/%Y}."
        ),
        "dai": _vencer(
            DAI,
            primeros(dais),
            "vencer",
            lambda d: f"Plazo del régimen cumplido el {d.vence_el:%d/%m/%Y} con saldo por compensar.",
        ),
    }
