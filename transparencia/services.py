"""Writes of the transparency statistics: computing a month (upsert of the same values, logged) and the monthly job.

Rules (README «Transparencia», docs/decisions/0009):
- A historical month (published by SENAE, `origen=historico`) is never rewritten, by anybody.
- The portal computes the months after the last historical month of each trámite. The monthly job computes the
  previous month (always: recomputing gives the same row) and the months that are missing, from the first
  month in which the portal has records of the trámite: a month before it would be a false zero (the portal did
  not exist yet), so it is left empty unless an official explicitly computes it.
- An official may compute any non-historical month up to the current one (the month in progress is shown as
  partial). Every computation is logged in `Recalculo` (who, how, when, what it gave, what it replaced).
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from tramites.exceptions import DatosInvalidos, ErrorDeNegocio
from tramites.models import Usuario

from . import registro
from .models import EstadisticaMensual, Recalculo
from .registro import Conteo, Fuente, Mes, anterior, mes_de, meses, siguiente, texto_mes

# The published series start in January 2020; a trámite without historical figures is computed from here.
INICIO_SERIES: Mes = (2020, 1)


class MesHistorico(ErrorDeNegocio):
    code = "mes_historico"
    http_status = 409
    plantilla = (
        "Las cifras de {mes} son las publicadas por SENAE (histórico) y no se recalculan: el portal no tiene los "
        "registros de ese mes."
    )


class MesFuturo(ErrorDeNegocio):
    code = "mes_futuro"
    plantilla = "No se puede calcular {mes}: el mes aún no empieza."


def _validar_mes(anio: int, mes: int, hoy: date) -> Mes:
    if not 1 <= mes <= 12 or not 2000 <= anio <= 2100:
        raise DatosInvalidos({"mes": ["Indique un año entre 2000 y 2100 y un mes entre 1 y 12."]})
    periodo = (anio, mes)
    if periodo > mes_de(hoy):
        raise MesFuturo(mes=texto_mes(periodo), campo="mes")
    return periodo


def _guardar(fuente: Fuente, periodo: Mes, cifras: tuple[int, int], *, por: Usuario | None, via: str) -> EstadisticaMensual:
    """Upsert the month's row under a row lock and log the computation. Refuses historical rows."""
    anio, mes = periodo
    quejas, atenciones = cifras
    filtro = {"tramite": fuente.codigo, "anio": anio, "mes": mes}
    fila = EstadisticaMensual.objects.select_for_update().filter(**filtro).first()
    if fila is None:
        try:
            with transaction.atomic():
                fila = EstadisticaMensual.objects.create(
                    **filtro,
                    quejas=quejas,
                    atenciones=atenciones,
                    origen=EstadisticaMensual.Origen.PORTAL,
                    calculado_en=timezone.now(),
                )
        except IntegrityError:  # created meanwhile by a concurrent computation: update it like any other row
            fila = EstadisticaMensual.objects.select_for_update().get(**filtro)
        else:
            Recalculo.objects.create(**filtro, quejas=quejas, atenciones=atenciones, via=via, por=por)
            return fila
    if fila.origen == EstadisticaMensual.Origen.HISTORICO:
        raise MesHistorico(mes=texto_mes(periodo))
    antes = (fila.quejas, fila.atenciones)
    fila.quejas, fila.atenciones, fila.calculado_en = quejas, atenciones, timezone.now()
    fila.save(update_fields=["quejas", "atenciones", "calculado_en"])
    Recalculo.objects.create(
        **filtro, quejas=quejas, atenciones=atenciones, quejas_antes=antes[0], atenciones_antes=antes[1], via=via, por=por
    )
    return fila


def estadistica_recalcular(
    *, tramite: str, anio: int, mes: int, por: Usuario | None, via: str, hoy: date | None = None
) -> EstadisticaMensual:
    """Compute one month of a trámite from the portal's records and publish it (an official's explicit request,
    the command line or the demo). Raises TramiteDesconocido (404), DatosInvalidos or MesFuturo (400) and
    MesHistorico (409)."""
    fuente = registro.obtener(tramite)
    periodo = _validar_mes(anio, mes, hoy or timezone.localdate())
    with transaction.atomic():
        existente = EstadisticaMensual.objects.filter(tramite=tramite, anio=anio, mes=mes).values_list("origen", flat=True)
        if EstadisticaMensual.Origen.HISTORICO in existente:
            raise MesHistorico(mes=texto_mes(periodo))
        cifras = fuente.contar(periodo, periodo).get(periodo, (0, 0))
        return _guardar(fuente, periodo, cifras, por=por, via=via)


def meses_pendientes(*, fuente: Fuente, previo: Mes) -> tuple[list[Mes], bool]:
    """Months the monthly job computes for `fuente` up to `previo` (the last complete month), and whether the
    portal already publishes the trámite (if not, the job starts at the first month with records)."""
    filas = {
        (a, m): origen
        for a, m, origen in EstadisticaMensual.objects.filter(tramite=fuente.codigo).values_list("anio", "mes", "origen")
    }
    historicos = [m for m, o in filas.items() if o == EstadisticaMensual.Origen.HISTORICO]
    calculados = [m for m, o in filas.items() if o == EstadisticaMensual.Origen.PORTAL]
    inicio = siguiente(max(historicos)) if historicos else INICIO_SERIES
    if calculados:
        inicio = max(inicio, min(calculados))
    pendientes = [m for m in meses(inicio, previo) if m not in filas or m == previo]
    return pendientes, bool(calculados)


def estadisticas_calcular_pendientes(*, hoy: date | None = None) -> dict[str, list[str]]:
    """The monthly job: for each trámite, the previous month and the missing ones, with ONE aggregate query per
    trámite over their range. Returns the months written per trámite (e.g. {"regimen_21": ["2026-10"]})."""
    previo = anterior(mes_de(hoy or timezone.localdate()))
    escritos: dict[str, list[str]] = {}
    for fuente in registro.todas():
        pendientes, publicado = meses_pendientes(fuente=fuente, previo=previo)
        if not pendientes:
            escritos[fuente.codigo] = []
            continue
        conteo: Conteo = fuente.contar(pendientes[0], previo)
        if not publicado:
            con_registros = [m for m, cifras in conteo.items() if cifras != (0, 0)]
            if not con_registros:
                escritos[fuente.codigo] = []
                continue
            pendientes = [m for m in pendientes if m >= min(con_registros)]
        with transaction.atomic():
            for periodo in pendientes:
                _guardar(fuente, periodo, conteo.get(periodo, (0, 0)), por=None, via=Recalculo.Via.TAREA)
        escritos[fuente.codigo] = [texto_mes(m) for m in pendientes]
    return escritos
