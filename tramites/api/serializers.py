from rest_framework import serializers

from senae_portal.api.serializers import FechaHora, NombreDeOpcion, SalidaModelo
from tramites.models import AgenteAduana, Delegacion, Notificacion, Operador, Usuario


class OperadorOutput(SalidaModelo):
    estado_nombre = NombreDeOpcion()

    class Meta:
        model = Operador
        fields = ["id", "ruc", "razon_social", "tipo", "estado", "estado_nombre", "domiciliado_ecuador", "email"]


class AgenteOutput(SalidaModelo):
    class Meta:
        model = AgenteAduana
        fields = ["id", "ruc", "nombre", "licencia"]


class DelegacionOutput(SalidaModelo):
    operador = OperadorOutput(read_only=True)
    agente = AgenteOutput(read_only=True)
    activa = serializers.SerializerMethodField()

    class Meta:
        model = Delegacion
        fields = ["id", "operador", "agente", "desde", "hasta", "revocada_en", "motivo_revocacion", "activa"]

    def get_activa(self, obj: Delegacion) -> bool:
        return obj.activa()


class UsuarioActualOutput(SalidaModelo):
    rol = serializers.CharField(read_only=True)
    operador = OperadorOutput(read_only=True, allow_null=True)
    agente = AgenteOutput(read_only=True, allow_null=True)
    grupos = serializers.SlugRelatedField(source="groups", slug_field="name", many=True, read_only=True)

    class Meta:
        model = Usuario
        fields = ["id", "username", "email", "first_name", "last_name", "rol", "operador", "agente", "grupos"]


class NotificacionOutput(SalidaModelo):
    class Meta:
        model = Notificacion
        fields = ["id", "asunto", "mensaje", "enlace", "creada_en", "leida_en"]


class DelegacionRevocarInput(serializers.Serializer):
    motivo = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text="Obligatorio cuando revoca un supervisor de SENAE; opcional para el operador.",
    )


class DelegacionCrearInput(serializers.Serializer):
    agente_ruc = serializers.CharField(max_length=20, help_text="RUC de la agencia de aduana.")
    desde = serializers.DateField()
    hasta = serializers.DateField(required=False, allow_null=True)

    def validate_agente_ruc(self, valor: str) -> AgenteAduana:
        from django.core.exceptions import ValidationError

        from tramites.validators import normalizar_ruc

        try:
            ruc = normalizar_ruc(valor)
        except ValidationError as e:
            raise serializers.ValidationError(e.messages[0], code=e.code) from None
        agente = AgenteAduana.objects.filter(ruc=ruc, activo=True).first()
        if agente is None:
            raise serializers.ValidationError("No existe una agencia de aduana activa con ese RUC.", code="agente_inexistente")
        return agente


class TransicionOutput(serializers.Serializer):
    """One entry of a record's timeline (the append-only transition log)."""

    transicion = serializers.CharField()
    desde = serializers.CharField()
    hacia = serializers.CharField()
    por = serializers.SerializerMethodField()
    en = FechaHora()
    comentario = serializers.CharField()

    def get_por(self, obj) -> str | None:
        if obj.por_id is None:
            return None
        return f"SENAE — {obj.por}" if obj.por.is_staff else str(obj.por)


class AdjuntoOutput(serializers.Serializer):
    id = serializers.IntegerField()
    nombre = serializers.CharField()
    tipo_contenido = serializers.CharField()
    tamano = serializers.IntegerField(help_text="Bytes.")
    sha256 = serializers.CharField()
    subido_en = FechaHora()
    url = serializers.SerializerMethodField(help_text="Descarga con la misma sesión o token.")

    def get_url(self, obj) -> str:
        return f"/adjuntos/{obj.pk}/"


class ArchivosInput(serializers.Serializer):
    """multipart/form-data with one or more `adjuntos` files (PDF, PNG or JPEG)."""

    adjuntos = serializers.ListField(child=serializers.FileField(), min_length=1)


class ComentarioInput(serializers.Serializer):
    comentario = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class OperadorRucInput(serializers.Serializer):
    """Base of create inputs: the operator the request is for. An operator's user may omit it (its own
    operator); an agency's user gives the RUC of an operator with an active delegation."""

    operador_ruc = serializers.CharField(max_length=20, required=False, help_text="RUC (13 dígitos) del operador.")

    def validate_operador_ruc(self, valor: str) -> Operador:
        from django.core.exceptions import ValidationError

        from tramites.validators import normalizar_ruc

        try:
            ruc = normalizar_ruc(valor)
        except ValidationError as e:
            raise serializers.ValidationError(e.messages[0], code=e.code) from None
        operador = Operador.objects.filter(ruc=ruc).first()
        if operador is None:
            raise serializers.ValidationError("No hay un operador registrado con ese RUC.", code="operador_inexistente")
        return operador

    def validate(self, datos: dict) -> dict:
        usuario = self.context["request"].user
        if "operador_ruc" not in datos:
            if not usuario.operador_id:
                raise serializers.ValidationError({"operador_ruc": ["Indique el RUC del operador por el que actúa."]})
            datos["operador_ruc"] = usuario.operador
        datos["operador"] = datos.pop("operador_ruc")
        return datos
