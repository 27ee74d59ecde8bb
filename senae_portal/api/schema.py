"""drf-spectacular post-processing: documents the common error responses on every operation."""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA = {
    "type": "object",
    "description": "Forma única de error de la API.",
    "properties": {
        "code": {"type": "string", "description": "Código estable del error, p. ej. `transicion_no_permitida`."},
        "message": {"type": "string", "description": "Mensaje en español para mostrar al usuario."},
        "errors": {
            "type": "object",
            "description": "Errores por campo: nombre del campo → lista de mensajes.",
            "additionalProperties": True,
        },
    },
    "required": ["code", "message", "errors"],
}

_DESCRIPCIONES = {
    "400": "Datos inválidos (`invalido`) o regla de negocio incumplida (código específico).",
    "401": "No autenticado (`no_autenticado`, `autenticacion_fallida`).",
    "403": "Sin permiso (`permiso_denegado`).",
    "404": "No existe o no está a su alcance (`no_encontrado`).",
    "409": "Conflicto de estado (`transicion_no_permitida`, `conflicto_concurrente`, …).",
    "415": "Tipo de contenido no soportado o cuerpo ilegible (`tipo_no_soportado`).",
    "422": "La Idempotency-Key ya se usó con otra solicitud (`idempotency_key_reutilizada`).",
    "429": "Demasiadas solicitudes (`demasiadas_solicitudes`).",
}

IDEMPOTENCY_KEY = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "schema": {"type": "string", "maxLength": 255},
    "description": (
        "Clave única por operación (p. ej. un UUID). Si la solicitud se repite con la misma clave, el portal "
        "devuelve la primera respuesta (cabecera `Idempotent-Replayed: true`) y no crea nada nuevo."
    ),
}


def agregar_respuestas_de_error(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for ruta, operaciones in result.get("paths", {}).items():
        for metodo, operacion in operaciones.items():
            if metodo not in {"get", "post", "put", "patch", "delete"}:
                continue
            codigos = ["401", "403", "429"]
            if "{" in ruta:
                codigos.append("404")
            if metodo != "get":
                codigos += ["400", "409", "415"]
            elif operacion.get("parameters"):
                codigos.append("400")
            if metodo != "get":
                operacion.setdefault("parameters", []).append(IDEMPOTENCY_KEY)
                codigos.append("422")
            respuestas = operacion.setdefault("responses", {})
            for codigo in codigos:
                respuestas.setdefault(codigo, {"description": _DESCRIPCIONES[codigo], "content": ref})
    return result


def filtros_vacios(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """django-filter reads an empty query value as "no filter" (`?estado=` lists everything): the schema says so
    instead of claiming that only the enum's values are accepted."""
    for operaciones in result.get("paths", {}).values():
        for operacion in operaciones.values():
            if not isinstance(operacion, dict):
                continue
            for parametro in operacion.get("parameters", []):
                esquema = parametro.get("schema", {})
                if parametro.get("in") == "query" and "enum" in esquema and "" not in esquema["enum"]:
                    esquema["enum"] = [*esquema["enum"], ""]
                    parametro["description"] = (parametro.get("description", "") + "\n\nVacío: sin filtro.").strip()
    return result
