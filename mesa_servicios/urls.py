from django.urls import path

from . import views

app_name = "mesa_servicios"

urlpatterns = [
    path("", views.inicio, name="inicio"),
    path("nuevo/<str:tipo>/", views.nuevo, name="nuevo"),
    path("sugerencias/", views.sugerencias, name="sugerencias"),
    path("llamada/", views.llamada, name="llamada"),
    path("activar/<str:uidb64>/<str:token>/", views.activar, name="activar"),
    path("correo/confirmar/<str:token>/", views.confirmar_correo, name="confirmar_correo"),
    path("tickets/<str:numero>/", views.detalle, name="detalle"),
    path("tickets/<str:numero>/mensaje/", views.mensaje, name="mensaje"),
    path("tickets/<str:numero>/aceptar/", views.aceptar, name="aceptar"),
    path("tickets/<str:numero>/no-conforme/", views.no_conforme, name="no_conforme"),
    path("tickets/<str:numero>/comprobante.pdf", views.comprobante_pdf, name="comprobante"),
    path("tickets/<str:numero>/adjuntos/<int:adjunto_id>/", views.adjunto, name="adjunto"),
]
