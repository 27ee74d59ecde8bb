from django.apps import AppConfig


class TransparenciaConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "transparencia"
    verbose_name = "Transparencia"
