from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TramitesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tramites"
    verbose_name = "Trámites: operadores, agentes y registros comunes"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models, periodicas, roles

        post_migrate.connect(roles.configurar_grupos, dispatch_uid="tramites.configurar_grupos")
        auditlog.register(models.Operador)
        auditlog.register(models.AgenteAduana)
        auditlog.register(models.Delegacion)
        auditlog.register(models.TokenCliente, exclude_fields=["clave_hash", "ultimo_uso"])
        periodicas.registrar(
            "tramites.purgar_idempotencia", descripcion="Purgar claves de idempotencia vencidas", hora=3, minuto=15
        )
        periodicas.registrar("tramites.reintentar_webhooks", descripcion="Reenviar webhooks pendientes", minuto="*/10")
        auditlog.register(models.Usuario, include_fields=["email", "is_active", "is_staff", "operador", "agente"])
