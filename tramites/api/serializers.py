from rest_framework import serializers

from tramites.models import AgenteAduana, Delegacion, Notificacion, Operador, Usuario


class OperadorOutput(serializers.ModelSerializer):
    estado_nombre = serializers.CharField(source="get_estado_display", read_only=True)

    class Meta:
        model = Operador
        fields = ["id", "ruc", "razon_social", "tipo", "estado", "estado_nombre", "domiciliado_ecuador", "email"]


class AgenteOutput(serializers.ModelSerializer):
    class Meta:
        model = AgenteAduana
        fields = ["id", "ruc", "nombre", "licencia"]


class DelegacionOutput(serializers.ModelSerializer):
    operador = OperadorOutput(read_only=True)
    agente = AgenteOutput(read_only=True)
    activa = serializers.SerializerMethodField()

    class Meta:
        model = Delegacion
        fields = ["id", "operador", "agente", "desde", "hasta", "revocada_en", "activa"]

    def get_activa(self, obj: Delegacion) -> bool:
        return obj.activa()


class UsuarioActualOutput(serializers.ModelSerializer):
    rol = serializers.CharField(read_only=True)
    operador = OperadorOutput(read_only=True)
    agente = AgenteOutput(read_only=True)
    grupos = serializers.SlugRelatedField(source="groups", slug_field="name", many=True, read_only=True)

    class Meta:
        model = Usuario
        fields = ["id", "username", "email", "first_name", "last_name", "rol", "operador", "agente", "grupos"]


class NotificacionOutput(serializers.ModelSerializer):
    class Meta:
        model = Notificacion
        fields = ["id", "asunto", "mensaje", "enlace", "creada_en", "leida_en"]


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
