from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MesaServiciosConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mesa_servicios"
    verbose_name = "Mesa de Servicios"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from tramites import panel, periodicas, salidas
        from tramites.selectors import registrar_alcance

        from . import catalogo, models, selectors, widgets

        post_migrate.connect(catalogo.asegurar_catalogo, sender=self, dispatch_uid="mesa_servicios.asegurar_catalogo")
        auditlog.register(models.Ticket, include_fields=["area", "asignado_a", "padre", "respuesta_publica"])
        auditlog.register(models.Area)
        auditlog.register(models.Motivo)
        auditlog.register(models.ObjetivoSla)
        registrar_alcance(models.Ticket, selectors.tickets_visibles)
        registrar_alcance(models.Seguimiento, selectors.seguimientos_visibles)
        panel.registrar(widgets.mis_tickets)
        panel.registrar(widgets.cola_de_atencion)
        panel.registrar_menu("Mesa de Servicios", "mesa_servicios:inicio", orden=20)
        periodicas.registrar(
            "mesa_servicios.verificar_sla", descripcion="Mesa de Servicios: avisos de SLA en riesgo o vencido", minuto="*/15"
        )
        periodicas.registrar(
            "mesa_servicios.cerrar_inactivos",
            descripcion="Mesa de Servicios: cerrar tickets sin respuesta del usuario",
            minuto=30,
        )
        salidas.registrar("mesa_servicios.responder_correo", "mesa_servicios.services.correo.correo_enviar_respuesta")
        periodicas.registrar("mesa_servicios.leer_buzon", descripcion="Mesa de Servicios: leer el buzón IMAP", minuto="*/5")
