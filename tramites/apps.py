from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save


def _invalidar_calendario(*, using: str, **_kwargs) -> None:
    """Infrastructure hook: a saved or deleted holiday renews the calendar cache's version when it commits."""
    from . import calendario

    calendario.invalidar(using=using)


class TramitesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tramites"
    verbose_name = "Trámites: operadores, agentes y registros comunes"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models, periodicas, roles, salidas, selectors, services

        post_migrate.connect(roles.configurar_grupos, dispatch_uid="tramites.configurar_grupos")
        post_migrate.connect(services.feriados_asegurar_tras_migrate, sender=self, dispatch_uid="tramites.asegurar_feriados")
        post_save.connect(_invalidar_calendario, sender=models.Feriado, dispatch_uid="tramites.feriado_guardado")
        post_delete.connect(_invalidar_calendario, sender=models.Feriado, dispatch_uid="tramites.feriado_borrado")
        selectors.registrar_alcance(models.Operador, lambda u: selectors.operadores_listar(usuario=u))
        auditlog.register(models.Operador)
        auditlog.register(models.AgenteAduana)
        auditlog.register(models.Delegacion)
        auditlog.register(models.TokenCliente, exclude_fields=["clave_hash", "ultimo_uso"])
        auditlog.register(models.Feriado, exclude_fields=["actualizado_en"])
        periodicas.registrar(
            "tramites.purgar_idempotencia", descripcion="Purgar claves de idempotencia vencidas", hora=3, minuto=15
        )
        periodicas.registrar(
            "tramites.asegurar_feriados",
            descripcion="Calendario de feriados: sembrar los años que faltan (hasta dos años adelante)",
            hora=2,
            minuto=40,
            dia_mes=1,
        )
        salidas.registrar("tramites.correo_notificacion", "tramites.services.notificacion_enviar_correo")
        salidas.registrar(
            "tramites.webhook", "tramites.webhooks.webhook_entregar", al_fallar="tramites.webhooks.webhook_marcar_fallida"
        )
        periodicas.registrar(
            "tramites.barrer_salidas",
            descripcion="Salidas: entregar correos, webhooks y avisos pendientes (con reintentos)",
            minuto="*",
        )
        auditlog.register(models.Usuario, include_fields=["email", "is_active", "is_staff", "operador", "agente"])
