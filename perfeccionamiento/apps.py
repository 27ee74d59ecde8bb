from django.apps import AppConfig


class PerfeccionamientoConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "perfeccionamiento"
    verbose_name = "Régimen 21: admisión temporal para perfeccionamiento activo"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from tramites import panel

        from . import models, widgets

        panel.registrar_menu("Régimen 21", "perfeccionamiento:inicio", visible=widgets.ve_regimen21, orden=10)
        panel.registrar(widgets.widget_regimen21)
        for modelo in (models.SolicitudAutorizacion, models.Garantia, models.CodigoInsumo, models.CodigoProducto):
            auditlog.register(modelo)
