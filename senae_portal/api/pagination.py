"""Cursor pagination for every list: constant cost per page, no COUNT(*)."""

from rest_framework.pagination import CursorPagination


class CursorPorId(CursorPagination):
    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
