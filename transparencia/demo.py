"""Demo data of the transparency statistics. The historical months come from migration 0002; here the month in
progress of each trámite is computed from the demo records created by the other apps (tickets of the Mesa de
Servicios, decisions of régimen 21), as a supervisor would from the admin. It is shown as a partial figure."""

from __future__ import annotations

from tramites.models import Usuario

from . import registro
from .models import Recalculo
from .services import estadistica_recalcular


def sembrar(stdout) -> None:
    supervisor = Usuario.objects.get(username="supervisor")
    anio, mes = registro.mes_actual()
    for fuente in registro.todas():
        fila = estadistica_recalcular(tramite=fuente.codigo, anio=anio, mes=mes, por=supervisor, via=Recalculo.Via.DEMO)
        stdout.write(
            f"Transparencia: {fuente.titulo} {anio}-{mes:02d} (parcial): {fila.quejas} quejas, {fila.atenciones} atenciones."
        )
