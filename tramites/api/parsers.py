"""The API's JSON parser: a write body is a JSON object with no NUL character, or a 400 in the portal's shape.

DRF's own parser accepts any JSON value, so `null`, `[]` or `"texto"` reached serializers and views that expect a
mapping (a 500 where a view read `request.data.get`), and a `\\u0000` inside a string reached PostgreSQL, which
refuses NUL in text.
"""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.parsers import JSONParser


class CuerpoNoEsObjeto(exceptions.ParseError):
    default_code = "cuerpo_no_es_objeto"
    default_detail = "El cuerpo de la solicitud debe ser un objeto JSON ({…})."


class CaracterNuloEnCuerpo(exceptions.ParseError):
    default_code = "caracter_nulo"
    default_detail = "La solicitud contiene un carácter nulo (\\u0000), que no se admite en ningún campo."


def _tiene_nulo(valor: Any) -> bool:
    if isinstance(valor, str):
        return "\x00" in valor
    if isinstance(valor, dict):
        return any(_tiene_nulo(k) or _tiene_nulo(v) for k, v in valor.items())
    if isinstance(valor, list):
        return any(_tiene_nulo(v) for v in valor)
    return False


class JSONObjetoParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        datos = super().parse(stream, media_type, parser_context)
        if not isinstance(datos, dict):
            raise CuerpoNoEsObjeto()
        if _tiene_nulo(datos):
            raise CaracterNuloEnCuerpo()
        return datos
