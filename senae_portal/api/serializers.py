"""Serializer fields and the output base class shared by the apps' APIs.

Both exist for speed (bench/RESULTS.md): the output is the same as DRF's stock fields, byte for byte.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from rest_framework import serializers


class _ResultadoDeMetodo:
    """Read-only: the field's representation of what the model method `metodo` returns, called without arguments.

    `source="<metodo>"` gives the same output, but DRF calls `inspect.signature` on the bound method for every row
    to decide whether it may call it: ~0.2 ms per row, a quarter of a 50-row list.
    """

    def __init__(self, metodo: str, **kwargs):
        self.metodo = metodo
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return super().to_representation(getattr(value, self.metodo)())


class NombreDeOpcion(_ResultadoDeMetodo, serializers.CharField):
    """The display name of a choices field (`get_<campo>_display()`)."""

    def __init__(self, campo: str = "estado", **kwargs):
        super().__init__(f"get_{campo}_display", **kwargs)


class OpcionCalculada(_ResultadoDeMetodo, serializers.ChoiceField):
    """A choice computed by a model method, e.g. a ticket's SLA situation (`OpcionCalculada("sla_situacion")`)."""


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


class TextoEstricto(serializers.CharField):
    """A text field that refuses a JSON number or boolean (DRF's CharField turns `0` into "0"): the schema says
    `string`, and a client sending a number has a bug worth a 400."""

    default_error_messages = {"invalid": "Escriba un texto (entre comillas), no un número ni un valor lógico."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)
