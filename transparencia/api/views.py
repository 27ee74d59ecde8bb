"""Open data API: anonymous, read-only, throttled like the whole API (tramites/limites.py: per IP, user or token).
Not paginated: a trámite has about one hundred months. Errors keep the API's JSON shape ({code, message, errors})."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import registro, selectors
from .serializers import SerieFiltroInput, SerieOutput, TramiteOutput

ERROR = {"$ref": "#/components/schemas/Error"}  # added to the schema by senae_portal.api.schema


class _DatosAbiertosApi(APIView):
    permission_classes = [AllowAny]


class TramiteListApi(_DatosAbiertosApi):
    @extend_schema(
        summary="Trámites con estadísticas de transparencia",
        description="Cada trámite con sus definiciones de queja y de atención y los enlaces a su página y descargas.",
        responses=TramiteOutput(many=True),
        tags=["transparencia"],
    )
    def get(self, request):
        return Response(TramiteOutput(registro.todas(), many=True, context={"request": request}).data)


class SerieApi(_DatosAbiertosApi):
    @extend_schema(
        summary="Quejas y atenciones por mes de un trámite",
        description=(
            "Serie mensual publicada: cifras históricas de SENAE y meses calculados por el portal, con quejas por "
            "1 000 atenciones y señales de calidad del dato. `codigo`: `regimen_21` o `mesa_servicios`."
        ),
        parameters=[SerieFiltroInput, OpenApiParameter("codigo", str, OpenApiParameter.PATH, description="Código del trámite.")],
        responses={
            200: SerieOutput,
            400: OpenApiResponse(ERROR, description="Año inválido (`invalido`)."),
            404: OpenApiResponse(ERROR, description="Trámite sin estadísticas (`tramite_desconocido`)."),
        },
        tags=["transparencia"],
    )
    def get(self, request, codigo: str):
        filtro = SerieFiltroInput(data=request.query_params)
        filtro.is_valid(raise_exception=True)
        serie = selectors.serie_obtener(tramite=codigo).filtrar(filtro.validated_data.get("anio"))
        return Response(SerieOutput(serie, context={"request": request}).data)
