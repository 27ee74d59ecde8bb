"""API for agent software and any signed-in user: file tickets and follow them. Thin: parse, call one
service or selector, render. Every read goes through the scoped selectors."""

from __future__ import annotations

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from senae_portal.api.mixins import AlcancePorUsuarioMixin
from tramites.api.parsers import JSONObjetoParser
from tramites.pdf import respuesta_pdf

from .. import selectors
from ..models import Ticket
from ..services import tickets
from .serializers import (
    ConsultaCrearInput,
    IncidenteCrearInput,
    MensajeCrearInput,
    MotivoOutput,
    NoConformeInput,
    QuejaCrearInput,
    SeguimientoOutput,
    SugerenciaOutput,
    TicketDetalleOutput,
    TicketOutput,
)

PARSERS = [MultiPartParser, FormParser, JSONObjetoParser]


class TicketListApi(AlcancePorUsuarioMixin, generics.ListAPIView):
    """Tickets a su alcance: los suyos (usuario), los de sus colas (funcionario de la mesa)."""

    serializer_class = TicketOutput
    filterset_fields = ["estado", "tipo"]
    modelo = Ticket

    def consulta(self, usuario):
        # The row shows the area only: the page's other joins (motivo, asignado_a, solicitante) would be wasted.
        return selectors.tickets_listar(usuario=usuario).select_related(None).select_related("area")


class TicketDetalleApi(APIView):
    @extend_schema(responses=TicketDetalleOutput, summary="Un ticket con su conversación y sus anexos")
    def get(self, request, numero: str):
        return Response(TicketDetalleOutput(selectors.ticket_obtener(usuario=request.user, numero=numero)).data)


def _detalle(request, ticket: Ticket, codigo=status.HTTP_200_OK) -> Response:
    ticket = selectors.ticket_obtener(usuario=request.user, numero=ticket.numero)
    return Response(TicketDetalleOutput(ticket).data, status=codigo)


class _CrearApi(APIView):
    parser_classes = PARSERS
    tipo: str
    entrada: type

    def post(self, request):
        entrada = self.entrada(data=request.data)
        entrada.is_valid(raise_exception=True)
        datos = dict(entrada.validated_data)
        ticket = tickets.ticket_registrar(
            tipo=self.tipo, solicitante=request.user, canal=Ticket.Canal.API, archivos=datos.pop("adjuntos", []), **datos
        )
        return _detalle(request, ticket, status.HTTP_201_CREATED)


class IncidenteCrearApi(_CrearApi):
    tipo, entrada = Ticket.Tipo.INCIDENTE, IncidenteCrearInput

    @extend_schema(
        request={"multipart/form-data": IncidenteCrearInput},
        responses={201: TicketDetalleOutput},
        summary="Reportar un incidente de ECUAPASS (se deriva a la Jefatura de Análisis Funcional)",
    )
    def post(self, request):
        return super().post(request)


class ConsultaCrearApi(_CrearApi):
    tipo, entrada = Ticket.Tipo.CONSULTA, ConsultaCrearInput

    @extend_schema(
        request={"multipart/form-data": ConsultaCrearInput, "application/json": ConsultaCrearInput},
        responses={201: TicketDetalleOutput},
        summary="Registrar una consulta (se deriva al área de su motivo)",
    )
    def post(self, request):
        return super().post(request)


class QuejaCrearApi(_CrearApi):
    tipo, entrada = Ticket.Tipo.QUEJA, QuejaCrearInput

    @extend_schema(
        request={"multipart/form-data": QuejaCrearInput, "application/json": QuejaCrearInput},
        responses={201: TicketDetalleOutput},
        summary="Presentar una queja sobre un trámite de SENAE",
    )
    def post(self, request):
        return super().post(request)


class TicketMensajeApi(APIView):
    parser_classes = PARSERS

    @extend_schema(
        request={"multipart/form-data": MensajeCrearInput, "application/json": MensajeCrearInput},
        responses={201: SeguimientoOutput},
        summary="Agregar información (si la mesa la pidió, el ticket vuelve a análisis)",
    )
    def post(self, request, numero: str):
        ticket = selectors.ticket_obtener(usuario=request.user, numero=numero)
        entrada = MensajeCrearInput(data=request.data)
        entrada.is_valid(raise_exception=True)
        seguimiento = tickets.ticket_agregar_mensaje(
            ticket_id=ticket.pk, autor=request.user, canal=Ticket.Canal.API, **_renombrar(entrada.validated_data)
        )
        return Response(SeguimientoOutput(seguimiento, context={"numero": numero}).data, status=status.HTTP_201_CREATED)


def _renombrar(datos: dict) -> dict:
    return {"texto": datos["texto"], "archivos": datos["adjuntos"]}


class TicketAceptarApi(APIView):
    @extend_schema(request=None, responses=TicketDetalleOutput, summary="Aceptar la respuesta (cierra el ticket)")
    def post(self, request, numero: str):
        ticket = selectors.ticket_obtener(usuario=request.user, numero=numero)
        return _detalle(request, tickets.ticket_aceptar(ticket_id=ticket.pk, usuario=request.user))


class TicketNoConformeApi(APIView):
    parser_classes = PARSERS

    @extend_schema(
        request={"multipart/form-data": NoConformeInput, "application/json": NoConformeInput},
        responses={201: TicketDetalleOutput},
        summary="No conforme con la respuesta: cierra el ticket y devuelve el ticket NUEVO vinculado",
    )
    def post(self, request, numero: str):
        ticket = selectors.ticket_obtener(usuario=request.user, numero=numero)
        entrada = NoConformeInput(data=request.data)
        entrada.is_valid(raise_exception=True)
        nuevo = tickets.ticket_no_conforme(
            ticket_id=ticket.pk,
            usuario=request.user,
            motivo=entrada.validated_data["motivo"],
            archivos=entrada.validated_data["adjuntos"],
        )
        return _detalle(request, nuevo, status.HTTP_201_CREATED)


class TicketComprobanteApi(APIView):
    limite = "pdf"  # tramites/limites.py: stricter than the general API rate

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY}, summary="Comprobante del ticket (PDF)")
    def get(self, request, numero: str):
        ticket = selectors.ticket_obtener(usuario=request.user, numero=numero)
        contexto = {"ticket": ticket, "linea_tiempo": ticket.transiciones()}
        return respuesta_pdf(
            "mesa_servicios/ticket/comprobante_pdf.html",
            contexto,
            nombre_archivo=f"comprobante-{ticket.numero}.pdf",
            request=request,
        )


class TicketAdjuntoApi(APIView):
    @extend_schema(
        responses={(200, tipo): OpenApiTypes.BINARY for tipo in ("application/pdf", "image/png", "image/jpeg")},
        summary="Descargar un anexo (PDF, PNG o JPEG, con el tipo con que se subió)",
    )
    def get(self, request, numero: str, adjunto_id: int):
        ticket = selectors.ticket_obtener(usuario=request.user, numero=numero)
        adjunto = selectors.adjunto_de_ticket(ticket, adjunto_id)
        return FileResponse(
            adjunto.archivo.open("rb"), as_attachment=True, filename=adjunto.nombre, content_type=adjunto.tipo_contenido
        )


class MotivoListApi(generics.ListAPIView):
    """Motivos de consulta vigentes (el código se envía al registrar una consulta)."""

    serializer_class = MotivoOutput
    pagination_class = None

    def get_queryset(self):
        return selectors.motivos_activos()


class SugerenciaListApi(APIView):
    limite = "busqueda"  # full-text search: stricter than the general API rate

    @extend_schema(
        parameters=[OpenApiParameter("texto", str, description="Texto de la consulta (asunto y descripción).")],
        responses=SugerenciaOutput(many=True),
        summary="Consultas parecidas ya respondidas (búsqueda de texto completo en español)",
    )
    def get(self, request):
        similares = selectors.consultas_similares(texto=request.query_params.get("texto", "")[:1000])
        return Response(SugerenciaOutput(similares, many=True).data)
