"""Output of the open data (API and the .json download share it: one shape)."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from senae_portal.api.serializers import FechaHora

from ..alertas import TipoAlerta
from ..models import EstadisticaMensual
from ..registro import texto_mes


class AlertaOutput(serializers.Serializer):
    tipo = serializers.ChoiceField(choices=TipoAlerta.choices)
    titulo = serializers.CharField()
    mensaje = serializers.CharField()


class EstadisticaMesOutput(serializers.Serializer):
    anio = serializers.IntegerField(help_text="Año.")
    mes = serializers.IntegerField(help_text="Mes (1 a 12).")
    quejas = serializers.IntegerField(help_text="Volumen de quejas del mes.")
    atenciones = serializers.IntegerField(help_text="Volumen de atenciones del mes.")
    quejas_por_mil = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        coerce_to_string=False,
        allow_null=True,
        help_text="Quejas por cada 1 000 atenciones (null si no hubo atenciones).",
    )
    origen = serializers.ChoiceField(
        choices=EstadisticaMensual.Origen.choices,
        help_text="`historico`: cifra publicada por SENAE; `portal`: calculada por el portal con sus registros.",
    )
    calculado_en = FechaHora(allow_null=True, help_text="Último cálculo (solo cifras del portal).")
    parcial = serializers.BooleanField(help_text="Mes en curso: la cifra aún puede crecer.")
    alertas = AlertaOutput(many=True, help_text="Señales de calidad del dato (el mes se publica tal cual).")


class TramiteOutput(serializers.Serializer):
    codigo = serializers.CharField()
    nombre = serializers.CharField()
    nombre_corto = serializers.CharField(source="titulo")
    definicion_queja = serializers.CharField(help_text="Qué se cuenta como queja.")
    definicion_atencion = serializers.CharField(help_text="Qué se cuenta como atención.")
    pagina = serializers.SerializerMethodField(help_text="Página pública del trámite.")
    csv = serializers.SerializerMethodField(help_text="Descarga CSV de toda la serie.")
    json = serializers.SerializerMethodField(help_text="Descarga JSON de toda la serie.")

    def _url(self, nombre: str, codigo: str) -> str:
        ruta = reverse(nombre, args=[codigo])
        request = self.context.get("request")
        return request.build_absolute_uri(ruta) if request else ruta

    def get_pagina(self, fuente) -> str:
        return self._url("transparencia:tramite", fuente.codigo)

    def get_csv(self, fuente) -> str:
        return self._url("transparencia:csv", fuente.codigo)

    def get_json(self, fuente) -> str:
        return self._url("transparencia:json", fuente.codigo)


class SerieOutput(serializers.Serializer):
    tramite = TramiteOutput(source="fuente")
    ultimo_mes = serializers.SerializerMethodField(help_text="Último mes cerrado publicado (AAAA-MM), o null.")
    filas = EstadisticaMesOutput(many=True, help_text="Un elemento por mes publicado, del más antiguo al más reciente.")

    def get_ultimo_mes(self, serie) -> str | None:
        return texto_mes(serie.ultimo.periodo) if serie.ultimo else None


class SerieFiltroInput(serializers.Serializer):
    anio = serializers.IntegerField(required=False, min_value=2000, max_value=2100, help_text="Solo los meses de este año.")
