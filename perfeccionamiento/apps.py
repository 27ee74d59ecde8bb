from django.apps import AppConfig


class PerfeccionamientoConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "perfeccionamiento"
    verbose_name = "Régimen 21: admisión temporal para perfeccionamiento activo"
