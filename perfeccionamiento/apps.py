from django.apps import AppConfig


class PerfeccionamientoConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "perfeccionamiento"
    verbose_name = "Régimen 21: admisión temporal para perfeccionamiento activo"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from tramites import panel, periodicas
        from tramites.selectors import registrar_alcance

        from . import models, selectors, widgets

        panel.registrar_menu("Régimen 21", "perfeccionamiento:inicio", visible=widgets.ve_regimen21, orden=10)
        # Attachments and transition log rows of these records are seen through the records' own selectors.
        for modelo, visibles in [
            (models.SolicitudAutorizacion, lambda u: selectors.solicitudes_listar(usuario=u)),
            (models.Garantia, lambda u: selectors.garantias_listar(usuario=u)),
            (models.CodigoInsumo, lambda u: selectors.insumos_listar(usuario=u)),
            (models.CodigoProducto, selectors.codigos_producto_visibles),
            (models.VersionCoeficientes, selectors.versiones_visibles),
            (models.DAI, selectors.dais_visibles),
            (models.AnexoCompensatorio, lambda u: selectors.anexos_listar(usuario=u)),
        ]:
            registrar_alcance(modelo, visibles)
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
