"""API shapes of the desk. Inputs validate shape and format only (the services apply the domain rules);
names are unique per schema component (`<Entidad><Verbo>Input`, `<Entidad>…Output`)."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from senae_portal.api.serializers import FechaHora, NombreDeOpcion, OpcionCalculada, SalidaModelo, TextoEstricto
from tramites.models import Adjunto, Distrito

from ..models import Motivo, Seguimiento, Ticket


class MesaAdjuntoOutput(SalidaModelo):
    url = serializers.SerializerMethodField(help_text="Descarga con la misma autenticación.")

    class Meta:
        model = Adjunto
        fields = ["id", "nombre", "tipo_contenido", "tamano", "sha256", "url"]

    def get_url(self, obj: Adjunto) -> str:
        return reverse("mesa-ticket-adjunto", args=[self.context["numero"], obj.pk])


class SeguimientoOutput(SalidaModelo):
    autor = serializers.SerializerMethodField()
    adjuntos = serializers.SerializerMethodField()

    class Meta:
        model = Seguimiento
        fields = ["id", "tipo", "canal", "autor", "texto", "creado_en", "adjuntos"]

    def get_autor(self, obj: Seguimiento) -> str:
        if obj.autor is None:
            return "Sistema"
        return "Mesa de Servicios" if obj.autor.is_staff else (obj.autor.get_full_name() or obj.autor.username)

    def get_adjuntos(self, obj: Seguimiento) -> list[dict]:
        return MesaAdjuntoOutput(obj.adjuntos.all(), many=True, context=self.context).data


class TicketOutput(SalidaModelo):
    """A row of the list."""

    estado_nombre = NombreDeOpcion()
    area = serializers.CharField(source="area.nombre", read_only=True)
    sla_situacion = OpcionCalculada("sla_situacion", choices=list(Ticket.SITUACIONES_SLA.items()))

    class Meta:
        model = Ticket
        fields = [
            "numero",
            "tipo",
            "estado",
            "estado_nombre",
            "canal",
            "asunto",
            "area",
            "creado_en",
            "sla_horas",
            "sla_situacion",
            "sla_vence_en",
            "primera_respuesta_en",
            "resultado",
        ]


class TicketDetalleOutput(TicketOutput):
    distrito = serializers.SlugRelatedField(slug_field="codigo", read_only=True, allow_null=True)
    motivo = serializers.SlugRelatedField(slug_field="codigo", read_only=True, allow_null=True)
    origen = serializers.SlugRelatedField(slug_field="numero", read_only=True, allow_null=True)
    padre = serializers.SlugRelatedField(slug_field="numero", read_only=True, allow_null=True)
    continuaciones = serializers.SlugRelatedField(slug_field="numero", many=True, read_only=True)
    adjuntos = serializers.SerializerMethodField()
    seguimientos = serializers.SerializerMethodField()

    class Meta(TicketOutput.Meta):
        fields = [
            *TicketOutput.Meta.fields,
            "descripcion",
            "telefono_contacto",
            "pantalla_opcion",
            "modulo",
            "ocurrido_en",
            "distrito",
            "referencia",
            "motivo",
            "tramite",
            "origen",
            "padre",
            "continuaciones",
            "respuesta",
            "respondido_en",
            "cierre_automatico_en",
            "cerrado_en",
            "adjuntos",
            "seguimientos",
        ]

    def get_adjuntos(self, obj: Ticket) -> MesaAdjuntoOutput(many=True):
        return MesaAdjuntoOutput(obj.adjuntos.all(), many=True, context={"numero": obj.numero}).data

    def get_seguimientos(self, obj: Ticket) -> SeguimientoOutput(many=True):
        return SeguimientoOutput(obj.seguimientos.all(), many=True, context={"numero": obj.numero}).data


class _TicketCrearBase(serializers.Serializer):
    asunto = serializers.CharField(max_length=200)
    descripcion = serializers.CharField(help_text="Redacción clara, completa y sucinta.")
    adjuntos = serializers.ListField(
        child=serializers.FileField(), required=False, help_text="PDF, PNG o JPEG (envíe multipart/form-data)."
    )


class IncidenteCrearInput(_TicketCrearBase):
    pantalla_opcion = serializers.CharField(max_length=250, help_text="Nombre completo del campo, pantalla u opción.")
    modulo = serializers.ChoiceField(choices=Ticket.Modulo.choices)
    ocurrido_en = FechaHora(help_text="Fecha y hora exactas del incidente (ISO 8601).")
    distrito = serializers.SlugRelatedField(slug_field="codigo", queryset=Distrito.objects.filter(activo=True))
    referencia = serializers.CharField(max_length=60, required=False, default="")
    telefono_contacto = serializers.CharField(max_length=20)
    adjuntos = serializers.ListField(
        child=serializers.FileField(),
        min_length=1,
        help_text="Capturas de pantalla en las que se vean la fecha y la hora (PNG, JPEG o PDF; multipart/form-data).",
    )


class ConsultaCrearInput(_TicketCrearBase):
    motivo = serializers.SlugRelatedField(
        slug_field="codigo", queryset=Motivo.objects.filter(activo=True), help_text="Código de `GET /mesa/motivos/`."
    )


class QuejaCrearInput(_TicketCrearBase):
    tramite = serializers.ChoiceField(choices=Ticket.Tramite.choices)


class MensajeCrearInput(serializers.Serializer):
    texto = TextoEstricto(required=False, allow_blank=True, default="")
    adjuntos = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class NoConformeInput(serializers.Serializer):
    motivo = serializers.CharField(help_text="Por qué no está conforme con la respuesta.")
    adjuntos = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class MotivoOutput(SalidaModelo):
    area = serializers.CharField(source="area.nombre", read_only=True)

    class Meta:
        model = Motivo
        fields = ["codigo", "nombre", "area", "documentos", "requiere_adjunto"]


class SugerenciaOutput(SalidaModelo):
    motivo = serializers.CharField(source="motivo.nombre", read_only=True)

    class Meta:
        model = Ticket
        fields = ["asunto", "motivo", "respuesta"]
