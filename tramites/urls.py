from django.urls import path

from . import views

app_name = "tramites"

urlpatterns = [
    path("registro/", views.registro, name="registro"),
    path("panel/", views.panel_view, name="panel"),
    path("panel/constancia.pdf", views.operador_constancia_pdf, name="constancia_pdf"),
    path("delegaciones/", views.delegaciones, name="delegaciones"),
    path("delegaciones/<int:pk>/revocar/", views.delegacion_revocar, name="delegacion_revocar"),
    path("cuenta/tokens/", views.tokens, name="tokens"),
    path("cuenta/tokens/<int:pk>/revocar/", views.token_revocar, name="token_revocar"),
    path("notificaciones/", views.notificaciones, name="notificaciones"),
    path("adjuntos/<int:pk>/", views.adjunto_descargar, name="adjunto"),
]
