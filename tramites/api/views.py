"""Read endpoints of the shared framework; every queryset comes from a scoped selector."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from senae_portal.api.mixins import AlcancePorUsuarioMixin
from tramites import selectors
from tramites.models import Delegacion, Notificacion, Operador

from .serializers import DelegacionOutput, NotificacionOutput, OperadorOutput, UsuarioActualOutput


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


class DelegacionViewSet(AlcancePorUsuarioMixin, viewsets.ReadOnlyModelViewSet):
    """Delegaciones del operador (operador) o hacia la agencia (agente); todas (funcionario)."""

    serializer_class = DelegacionOutput
    modelo = Delegacion

    def consulta(self, usuario):
        return selectors.delegaciones_listar(usuario=usuario)


class NotificacionListApi(AlcancePorUsuarioMixin, generics.ListAPIView):
    """Notificaciones del usuario autenticado, las más recientes primero."""

    serializer_class = NotificacionOutput
    modelo = Notificacion

    def consulta(self, usuario):
        return selectors.notificaciones_listar(usuario=usuario)
