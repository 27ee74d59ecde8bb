from django.urls import path

from . import views

NUMERO = "<str:numero>"

urlpatterns = [
    path("mesa/tickets/", views.TicketListApi.as_view(), name="mesa-ticket-list"),
    path("mesa/incidentes/", views.IncidenteCrearApi.as_view(), name="mesa-incidente-crear"),
    path("mesa/consultas/", views.ConsultaCrearApi.as_view(), name="mesa-consulta-crear"),
    path("mesa/quejas/", views.QuejaCrearApi.as_view(), name="mesa-queja-crear"),
    path("mesa/motivos/", views.MotivoListApi.as_view(), name="mesa-motivo-list"),
    path("mesa/sugerencias/", views.SugerenciaListApi.as_view(), name="mesa-sugerencia-list"),
    path(f"mesa/tickets/{NUMERO}/", views.TicketDetalleApi.as_view(), name="mesa-ticket-detalle"),
    path(f"mesa/tickets/{NUMERO}/mensajes/", views.TicketMensajeApi.as_view(), name="mesa-ticket-mensaje"),
    path(f"mesa/tickets/{NUMERO}/aceptar/", views.TicketAceptarApi.as_view(), name="mesa-ticket-aceptar"),
    path(f"mesa/tickets/{NUMERO}/no-conforme/", views.TicketNoConformeApi.as_view(), name="mesa-ticket-no-conforme"),
    path(f"mesa/tickets/{NUMERO}/comprobante/", views.TicketComprobanteApi.as_view(), name="mesa-ticket-comprobante"),
    path(f"mesa/tickets/{NUMERO}/adjuntos/<int:adjunto_id>/", views.TicketAdjuntoApi.as_view(), name="mesa-ticket-adjunto"),
]
