"""The baseline: a minimal authenticated DRF list (cursor-paginated, 50 rows) and create, with the portal's own
authentication, permission, pagination and middleware, so that a portal endpoint's ratio to it isolates what
the endpoint itself costs."""

from rest_framework import mixins, serializers, viewsets

from .models import Elemento


class ElementoSerializer(serializers.ModelSerializer):
    class Meta:
        model = Elemento
        fields = ["id", "nombre", "valor", "creado_en"]
        read_only_fields = ["id", "creado_en"]


class ElementoViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = ElementoSerializer
    queryset = Elemento.objects.all()

    def perform_create(self, serializer) -> None:
        serializer.save(creado_por=self.request.user)
