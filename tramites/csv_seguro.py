"""CSV cells that a spreadsheet never runs as a formula (CSV/formula injection, OWASP).

A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is written with a leading `'`, which
Excel and LibreOffice show as text. Numbers stay numbers: numeric values and text that is just a number (`-5`,
`+1.50`) are left as they are. Every CSV the portal writes goes through `escritor()`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any

PREFIJOS_DE_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_NUMERO = re.compile(r"[+-]?\d+(?:[.,]\d+)?\Z")


def celda_segura(valor: Any) -> Any:
    if isinstance(valor, str) and valor.startswith(PREFIJOS_DE_FORMULA) and not _NUMERO.match(valor):
        return "'" + valor
    return valor


class EscritorSeguro:
    """`csv.writer` whose rows are neutralised cell by cell."""

    def __init__(self, archivo: Any, **opciones: Any) -> None:
        self._escritor = csv.writer(archivo, **opciones)

    def writerow(self, fila: Iterable[Any]) -> Any:
        return self._escritor.writerow([celda_segura(v) for v in fila])


def escritor(archivo: Any, **opciones: Any) -> EscritorSeguro:
    return EscritorSeguro(archivo, **opciones)
