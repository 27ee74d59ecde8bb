"""Decimal numbers as people in Ecuador type them, read in one place for the whole portal.

`interpretar_decimal(texto)` turns what a user typed into a `Decimal`, or raises `NumeroInvalido` with a
Spanish message that says what is wrong and how to write it. It never guesses: a value that can be read two
ways is refused. The rules (also in README.md and docs/decisions/0013-numeros-decimales.md):

1. es-EC writes `.` for thousands and `,` for decimals: `1.000,50` and `1000,50` are one thousand and a half.
   `1000.50` (dot decimal, as calculators and spreadsheets in English write it) is accepted too.
2. The comma is always the decimal separator when it is the only separator: `1,5` and `1,000` are one and a
   half and one; more than one comma (`1,2,3`, `1,000,000`) is refused.
3. With both separators, the last one is the decimal separator and must appear once; the other one separates
   thousands in groups of three digits: `1.000.000,5` and `1,000.50` are read; `1.00,5` is refused.
4. A lone `.` followed by exactly three digits after a valid thousands group (`1.000`, `12.345`, `-100.000`)
   is ambiguous (a thousand, or one?) and is refused with a message that shows both ways of writing it.
   Other lone dots are decimal: `0.125`, `1000.5`, `1234.567`. Several dots alone separate thousands in groups
   of three: `1.000.000`.
5. Spaces separate thousands too (a space, a non-breaking space U+00A0, a narrow one U+202F or a thin one
   U+2009: the portal's tables print `1 500,5` with a non-breaking space, and users paste them). With spaces,
   the groups are of three digits and the one `.` or `,` left is the decimal separator: `1 000,5`, `1 000.5`.
6. An optional sign goes first (`-5`, `+5`, also the typographic minus `−5`); the form fields' own limits say
   whether a negative value is allowed. A separator needs digits after it (`5,` is refused); `,5` is 0,5.
7. Only ASCII digits; no exponent (`1e5`), no `NaN`/`Infinity`, no currency signs; at most 40 characters.

`formatear_decimal` writes a value back the same way (`1.000,50`), always with a decimal comma when there is
a thousands dot, so what the portal shows can be submitted again and is never ambiguous.

Machine input (the REST API's JSON numbers and dot-decimal strings) is not read here: the API serializers
parse it. `a_decimal` is for services that receive either a Python number or text a person typed.
"""

from __future__ import annotations

import re
from decimal import Decimal

MAXIMO_CARACTERES = 40
ESPACIOS = " \u00a0\u202f\u2009"
_CARACTERES = re.compile(rf"[0-9.,{ESPACIOS}]+")
_ESPACIO = re.compile(rf"[{ESPACIOS}]")
_EJEMPLO = "por ejemplo 1.000,50 o 1000,50"


class NumeroInvalido(ValueError):
    """What was typed is not a number, or can be read two ways. `code` is stable; `str()` is the Spanish
    message (without the field's name: `mensaje(campo)` adds it)."""

    MENSAJES = {
        "vacio": "escriba un número.",
        "invalido": "«{valor}» no es un número.",
        "largo": "«{valor}» es demasiado largo para un número (máximo {maximo} caracteres).",
        "varias_comas": "«{valor}» tiene más de una coma: la coma separa los decimales y va una sola vez ({ejemplo}).",
        "separador_final": "«{valor}» termina en un separador: escriba los decimales después de la coma o quítela.",
        "mezcla": "«{valor}» mezcla separadores: use el punto para los miles y la coma para los decimales ({ejemplo}).",
        "grupos": "«{valor}» separa mal los miles: van en grupos de tres cifras ({ejemplo}), o sin separador de miles.",
        "ambiguo": (
            "«{valor}» es ambiguo: ¿{miles} o {decimal}? Escriba {miles} (o {valor},00) si el punto separa miles, "
            "o {decimal} si es decimal."
        ),
    }

    def __init__(self, code: str, valor: str = "", **datos) -> None:
        self.code = code
        self.valor = valor
        self.datos = datos
        super().__init__(self.mensaje())

    def mensaje(self, campo: str | None = None) -> str:
        cuerpo = self.MENSAJES[self.code].format(valor=self.valor, maximo=MAXIMO_CARACTERES, ejemplo=_EJEMPLO, **self.datos)
        if campo:
            return f"En «{campo}», {cuerpo}"
        return cuerpo[0].upper() + cuerpo[1:]


def _agrupado(entero: str, separador: str) -> bool:
    """`1.000.000` (first group 1-3 digits not starting with 0, then groups of exactly 3) with `separador`."""
    grupos = entero.split(separador)
    if len(grupos) < 2 or not all(g.isascii() and g.isdigit() for g in grupos):
        return False
    primero, resto = grupos[0], grupos[1:]
    return 1 <= len(primero) <= 3 and primero[0] != "0" and all(len(g) == 3 for g in resto)


def interpretar_decimal(texto: str) -> Decimal:
    """Read a number typed by a person (rules in the module docstring). Raises `NumeroInvalido`."""
    original = str(texto).strip()
    if not original:
        raise NumeroInvalido("vacio")
    if len(original) > MAXIMO_CARACTERES:
        raise NumeroInvalido("largo", original[:20] + "…")
    t, signo = original, ""
    if t[0] in "+-\u2212":
        signo, t = ("" if t[0] == "+" else "-"), t[1:]
    if not t or not _CARACTERES.fullmatch(t) or not any(c.isdigit() for c in t):
        raise NumeroInvalido("invalido", original)

    entero, decimales = _separar(t, original)
    if decimales == "":
        raise NumeroInvalido("separador_final", original)
    return Decimal(f"{signo}{entero or '0'}.{decimales or '0'}") if decimales is not None else Decimal(f"{signo}{entero}")


def _separar(t: str, original: str) -> tuple[str, str | None]:
    """(integer digits, decimal digits or None) of an unsigned text made of digits, separators and spaces."""
    separadores = [c for c in t if c in ".,"]
    if _ESPACIO.search(t):
        if len(separadores) > 1:
            raise NumeroInvalido("mezcla", original)
        entero, sep, decimales = t.partition(separadores[0]) if separadores else (t, "", "")
        if _ESPACIO.search(decimales):
            raise NumeroInvalido("grupos", original)
        if not _agrupado(_ESPACIO.sub(" ", entero), " "):
            raise NumeroInvalido("grupos", original)
        return _ESPACIO.sub("", entero), (decimales if sep else None)

    puntos, comas = t.count("."), t.count(",")
    if puntos and comas:
        decimal = "." if t.rfind(".") > t.rfind(",") else ","
        miles = "," if decimal == "." else "."
        entero, _, decimales = t.rpartition(decimal)
        if decimal in entero or miles in decimales:
            raise NumeroInvalido("mezcla", original)
        if not _agrupado(entero, miles):
            raise NumeroInvalido("grupos", original)
        return entero.replace(miles, ""), decimales
    if comas:
        if comas > 1:
            raise NumeroInvalido("varias_comas", original)
        entero, _, decimales = t.partition(",")
        return entero, decimales
    if puntos > 1:
        if not _agrupado(t, "."):
            raise NumeroInvalido("grupos", original)
        return t.replace(".", ""), None
    if puntos == 1:
        entero, _, decimales = t.partition(".")
        if len(decimales) == 3 and _agrupado(t, "."):
            signo = original[: len(original) - len(t)].replace("+", "").replace("\u2212", "-")
            raise NumeroInvalido("ambiguo", original, miles=f"{signo}{entero}{decimales}", decimal=f"{signo}{entero},{decimales}")
        return entero, decimales
    return t, None


def a_decimal(valor) -> Decimal:
    """A service's number: a `Decimal`, `int` or `float` is taken as it is (machine input); text is read with
    `interpretar_decimal` (a person typed it). Raises `NumeroInvalido`."""
    if valor is None:
        raise NumeroInvalido("vacio")
    if isinstance(valor, Decimal):
        return valor
    if isinstance(valor, bool):
        raise NumeroInvalido("invalido", str(valor))
    if isinstance(valor, int):
        return Decimal(valor)
    if isinstance(valor, float):
        return Decimal(repr(valor))
    if isinstance(valor, str):
        return interpretar_decimal(valor)
    raise NumeroInvalido("invalido", str(valor))


def formatear_decimal(valor, *, minimo_decimales: int = 2) -> str:
    """`Decimal("1000.5")` → `1.000,50`: es-EC separators, trailing zeros dropped down to `minimo_decimales`.
    Never rounds. With no decimals to show, no thousands dot either (`1000`), so `1.000` is never printed."""
    d = Decimal(valor)
    if not d.is_finite():
        return str(d)
    signo = "-" if d.is_signed() and d != 0 else ""
    entero, _, decimales = f"{abs(d):f}".partition(".")
    decimales = decimales.rstrip("0").ljust(minimo_decimales, "0")
    if not decimales:
        return f"{signo}{entero}"
    return f"{signo}{int(entero):,}".replace(",", ".") + f",{decimales}"
