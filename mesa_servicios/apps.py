from django.apps import AppConfig


class MesaServiciosConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mesa_servicios"
    verbose_name = "Mesa de Servicios"
