from django.apps import AppConfig


class PerfeccionamientoConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "perfeccionamiento"
    verbose_name = "Régimen 21: admisión temporal para perfeccionamiento activo"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from tramites import panel, periodicas

        from . import models, widgets

        panel.registrar_menu("Régimen 21", "perfeccionamiento:inicio", visible=widgets.ve_regimen21, orden=10)
        panel.registrar(widgets.widget_regimen21)
        periodicas.registrar(
            "perfeccionamiento.caducar_cesiones", descripcion="Caducar cesiones de titularidad no aceptadas", hora=0, minuto=30
        )
        for modelo in (models.SolicitudAutorizacion, models.Garantia, models.CodigoInsumo, models.CodigoProducto):
            auditlog.register(modelo)
