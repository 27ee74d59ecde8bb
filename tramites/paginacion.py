"""Page-numbered lists for the portal's HTML pages.

Every list page shows its rows a page at a time with "1–50 de 1.234" and links that keep the page's filters
(`templates/partials/paginacion.html`), instead of cutting the list at a fixed number of rows: an operator with
thousands of DAI or movements reaches every one of them on screen, not only in the CSV export. The API uses
cursor pagination instead (`senae_portal/api/pagination.py`); HTML users expect page numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

POR_PAGINA = 50


def paginar(
    request: HttpRequest, filas: QuerySet | Sequence, *, por_pagina: int | None = None, parametro: str = "pagina"
) -> Page:
    """The page the request asks for in `?<parametro>=`; out of range or not a number gives the nearest valid
    page (the last, or the first), never an error. Costs one COUNT plus one query for the page's rows."""
    pagina = Paginator(filas, por_pagina or POR_PAGINA).get_page(request.GET.get(parametro))
    pagina.parametro = parametro
    return pagina
