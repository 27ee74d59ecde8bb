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
        panel.registrar(widgets.widget_vencimientos)
        panel.registrar(widgets.widget_funcionario)
        periodicas.registrar(
            "perfeccionamiento.vencer_registros", descripcion="Vencer autorizaciones, garantías y DAI", hora=0, minuto=10
        )
        periodicas.registrar(
            "perfeccionamiento.alertar_vencimientos", descripcion="Alertas de vencimiento del régimen 21", hora=6, minuto=0
        )
        periodicas.registrar(
            "perfeccionamiento.caducar_cesiones", descripcion="Caducar cesiones de titularidad no aceptadas", hora=0, minuto=30
        )
        for modelo in (models.SolicitudAutorizacion, models.Garantia, models.CodigoInsumo, models.CodigoProducto):
            auditlog.register(modelo)
