"""Domain errors with a stable code, a Spanish message and an HTTP status, mapped in one place
(senae_portal/api/exception_handler.py for the API; views add them to the form as a non-field error)."""

from __future__ import annotations

from typing import Any


class ErrorDeNegocio(Exception):
    code = "error_de_negocio"
    http_status = 400
    plantilla = "Operación no permitida."

    def __init__(self, mensaje: str | None = None, *, campo: str | None = None, **datos: Any) -> None:
        self.datos = datos
        self.campo = campo
        self.mensaje = mensaje or self.plantilla.format(**datos)
        super().__init__(self.mensaje)

    def __str__(self) -> str:
        return self.mensaje


class DatosInvalidos(ErrorDeNegocio):
    code = "invalido"
    plantilla = "Los datos enviados no son válidos."

    def __init__(self, errores: dict[str, list[str]], mensaje: str | None = None) -> None:
        self.errores = errores
        super().__init__(mensaje)


class PermisoDenegado(ErrorDeNegocio):
    code = "permiso_denegado"
    http_status = 403
    plantilla = "No tiene permiso para realizar esta acción."


class NoEncontrado(ErrorDeNegocio):
    code = "no_encontrado"
    http_status = 404
    plantilla = "El registro solicitado no existe o no está a su alcance."


class TransicionNoPermitida(ErrorDeNegocio):
    code = "transicion_no_permitida"
    http_status = 409
    plantilla = "No se puede «{accion}» un registro en estado «{estado}»."


class ConflictoConcurrente(ErrorDeNegocio):
    code = "conflicto_concurrente"
    http_status = 409
    plantilla = "Otro usuario modificó este registro al mismo tiempo. Recargue la página e intente de nuevo."


class ComentarioRequerido(ErrorDeNegocio):
    code = "comentario_requerido"
    plantilla = "Debe indicar el motivo para «{accion}»."


class OperadorNoHabilitado(ErrorDeNegocio):
    code = "operador_no_habilitado"
    http_status = 409
    plantilla = "El operador {ruc} no está habilitado por SENAE para presentar trámites."


class ArchivoInvalido(ErrorDeNegocio):
    code = "archivo_invalido"


class EdicionNoPermitida(ErrorDeNegocio):
    code = "edicion_no_permitida"
    http_status = 409
    plantilla = "{registro} está «{estado}»: ya no se puede editar."
