"""Domain errors of the service desk (stable codes, Spanish messages)."""

from tramites.exceptions import ErrorDeNegocio


class ConfiguracionIncompleta(ErrorDeNegocio):
    code = "mesa_configuracion_incompleta"
    http_status = 409
    plantilla = "La Mesa de Servicios no tiene configurada {que}. Avise al administrador."


class TicketCerrado(ErrorDeNegocio):
    code = "ticket_cerrado"
    http_status = 409
    plantilla = (
        "El ticket {numero} está cerrado y no se reabre. Si necesita más ayuda, registre un ticket nuevo "
        "(o use «No estoy conforme» mientras el ticket está respondido)."
    )


class VinculoInvalido(ErrorDeNegocio):
    code = "vinculo_invalido"
    http_status = 409
    plantilla = "No se puede vincular: {motivo}"


class AnalistaInvalido(ErrorDeNegocio):
    code = "analista_invalido"
    plantilla = "{nombre} no atiende la cola «{area}»."


class TieneDuplicados(ErrorDeNegocio):
    code = "ticket_con_duplicados"
    http_status = 409
    plantilla = "{numero} tiene duplicados vinculados: respóndalo o desvincúlelos antes."
