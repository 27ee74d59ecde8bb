"""Serializer fields and the output base class shared by the apps' APIs.

Both exist for speed (bench/RESULTS.md): the output is the same as DRF's stock fields, byte for byte.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from rest_framework import serializers


class NombreDeOpcion(serializers.CharField):
    """The display name of a choices field (`get_<campo>_display()`), read-only.

    `CharField(source="get_estado_display")` gives the same output, but DRF calls `inspect.signature` on the bound
    method for every row to decide whether it may call it: ~0.2 ms per row, a quarter of a 50-row list.
    """

    def __init__(self, campo: str = "estado", **kwargs):
        self.campo = campo
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value) -> str:
        return str(getattr(value, f"get_{self.campo}_display")())


class OpcionCalculada(serializers.ChoiceField):
    """A read-only choice computed by a model method called without arguments (`metodo`), e.g. a ticket's SLA
    situation. `ChoiceField(source="<metodo>")` gives the same output, but DRF calls `inspect.signature` on the bound
    method for every row (see `NombreDeOpcion`)."""

    def __init__(self, metodo: str, **kwargs):
        self.metodo = metodo
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value) -> str:
        return super().to_representation(getattr(value, self.metodo)())


class FechaHora(serializers.DateTimeField):
    """DRF's `DateTimeField`, rendered in the portal's time zone (settings.TIME_ZONE, Ecuador's).

    DRF looks up `timezone.get_current_timezone()` for every value, a context-local read (~20 µs: 4 ms of a 50-row
    DAI list). The portal never activates another zone, so the current zone is always the default one, which
    Django resolves once per process.
    """

    def default_timezone(self):
        return timezone.get_default_timezone() if settings.USE_TZ else None


# Base of the portal's model serializers: model date-times map to `FechaHora`. A comment, not a docstring:
# drf-spectacular would publish an inherited docstring as the description of every schema component.
class SalidaModelo(serializers.ModelSerializer):
    serializer_field_mapping = {**serializers.ModelSerializer.serializer_field_mapping, models.DateTimeField: FechaHora}
