from django.db.models import Model, QuerySet


class AlcancePorUsuarioMixin:
    """List/detail views whose queryset depends on who asks. Subclasses set `modelo` and implement
    `consulta(usuario)` with a scoped selector; schema generation gets an empty queryset of `modelo`."""

    modelo: type[Model]

    def consulta(self, usuario) -> QuerySet:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return self.modelo.objects.none()
        return self.consulta(self.request.user)
