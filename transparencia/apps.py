from django.apps import AppConfig


class TransparenciaConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "transparencia"
    verbose_name = "Transparencia"

    def ready(self) -> None:
        from tramites import periodicas

        from . import fuentes

        # The trámites are registered here, not in their apps: transparencia reads from them, and no app
        # depends on it (docs/decisions/0003 and 0009).
        fuentes.registrar_fuentes()
        periodicas.registrar(
            "transparencia.calcular_estadisticas",
            descripcion="Transparencia: estadísticas del mes anterior y de los meses que falten",
            dia_mes=1,
            hora=2,
            minuto=0,
        )
