"""Read endpoints of the shared framework; every queryset comes from a scoped selector."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from senae_portal.api.mixins import AlcancePorUsuarioMixin
from tramites import selectors, services
from tramites.exceptions import PermisoDenegado
from tramites.models import Delegacion, Notificacion, Operador

from .serializers import (
    DelegacionCrearInput,
    DelegacionOutput,
    DelegacionRevocarInput,
    NotificacionOutput,
    OperadorOutput,
    UsuarioActualOutput,
)


class UsuarioActualApi(APIView):
    @extend_schema(responses=UsuarioActualOutput, summary="Usuario autenticado, su rol y su operador o agencia")
    def get(self, request):
        return Response(UsuarioActualOutput(request.user).data)


class OperadorViewSet(AlcancePorUsuarioMixin, viewsets.ReadOnlyModelViewSet):
    """Operadores visibles: el propio (operador), los delegantes con delegación activa (agente), todos (funcionario)."""

    serializer_class = OperadorOutput
    filterset_fields = ["estado", "ruc"]
    modelo = Operador

    def consulta(self, usuario):
        return selectors.operadores_listar(usuario=usuario)


class DelegacionViewSet(AlcancePorUsuarioMixin, viewsets.ReadOnlyModelViewSet):  # + create, revocar
    """Delegaciones del operador (operador) o hacia la agencia (agente); todas (funcionario)."""

    serializer_class = DelegacionOutput
    modelo = Delegacion

    def consulta(self, usuario):
        return selectors.delegaciones_listar(usuario=usuario)

    @extend_schema(request=DelegacionCrearInput, responses={201: DelegacionOutput}, summary="El operador delega en una agencia")
    def create(self, request):
        if not request.user.operador_id:
            raise PermisoDenegado("Solo un usuario de un operador puede delegar en un agente de aduana.")
        entrada = DelegacionCrearInput(data=request.data)
        entrada.is_valid(raise_exception=True)
        datos = entrada.validated_data
        delegacion = services.delegacion_crear(
            operador=request.user.operador,
            agente=datos["agente_ruc"],
            desde=datos["desde"],
            hasta=datos.get("hasta"),
            por=request.user,
        )
        return Response(DelegacionOutput(delegacion).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=DelegacionRevocarInput,
        responses=DelegacionOutput,
        summary="Revocar una delegación (el operador; o un supervisor de SENAE, con motivo)",
    )
    @action(detail=True, methods=["post"])
    def revocar(self, request, pk=None):
        delegacion = self.get_object()
        entrada = DelegacionRevocarInput(data=request.data)
        entrada.is_valid(raise_exception=True)
        revocada = services.delegacion_revocar(
            delegacion_id=delegacion.pk, por=request.user, motivo=entrada.validated_data.get("motivo", "")
        )
        return Response(DelegacionOutput(revocada).data)


class NotificacionListApi(AlcancePorUsuarioMixin, generics.ListAPIView):
    """Notificaciones del usuario autenticado, las más recientes primero."""

    serializer_class = NotificacionOutput
    modelo = Notificacion

    def consulta(self, usuario):
        return selectors.notificaciones_listar(usuario=usuario)
