"""Domain errors of the régimen 21, each with a stable code (see tramites/exceptions.py)."""

from tramites.exceptions import ErrorDeNegocio


class OperadorNoElegible(ErrorDeNegocio):
    code = "operador_no_elegible"
    http_status = 409
    plantilla = "{motivo}"


class ProrrogaYaSolicitada(ErrorDeNegocio):
    code = "prorroga_ya_solicitada"
    http_status = 409
    plantilla = "La autorización {numero} ya usó su única prórroga."


class GarantiaVencida(ErrorDeNegocio):
    code = "garantia_vencida"
    http_status = 409
    plantilla = "La garantía venció el {fecha:%d/%m/%Y}: registre o renueve una garantía vigente."


class EfectivizacionPrematura(ErrorDeNegocio):
    code = "efectivizacion_prematura"
    http_status = 409
    plantilla = (
        "La garantía {numero} es efectivizable desde el {fecha:%d/%m/%Y} (día hábil 60 desde la notificación); "
        "antes solo a petición del obligado o de SENAE."
    )


class CodigoNoUtilizable(ErrorDeNegocio):
    code = "codigo_no_utilizable"
    http_status = 409
    plantilla = "{motivo}"


class GarantiaConSaldos(ErrorDeNegocio):
    code = "garantia_con_saldos"
    http_status = 409
    plantilla = "La garantía {numero} aún respalda USD {monto:,.2f} de tributos suspendidos: no se puede liberar."
