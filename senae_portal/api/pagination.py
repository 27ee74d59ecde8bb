"""Cursor pagination for every list: constant cost per page, no COUNT(*)."""

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination


class CursorPorId(CursorPagination):
    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request) -> int:
        """`page_size` is an integer from 1 (larger values are cut to `max_page_size`); anything else is a 400,
        as the schema says, rather than silently the default page."""
        valores = request.query_params.getlist(self.page_size_query_param)
        if not valores:
            return self.page_size
        if len(valores) > 1 or not valores[0].isdigit() or int(valores[0]) < 1:
            raise ValidationError({self.page_size_query_param: ["Indique un número entero mayor que cero."]})
        return min(int(valores[0]), self.max_page_size)

    def decode_cursor(self, request):
        """A cursor the client made up or altered is a 400 on the list (DRF answers 404, as if the list did not exist)."""
        try:
            return super().decode_cursor(request)
        except NotFound:
            raise ValidationError({self.cursor_query_param: ["El cursor no es válido; use los enlaces next/previous."]}) from None
