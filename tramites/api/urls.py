from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("operadores", views.OperadorViewSet, basename="operador")
router.register("delegaciones", views.DelegacionViewSet, basename="delegacion")

urlpatterns = [
    path("yo/", views.UsuarioActualApi.as_view(), name="usuario-actual"),
    path("notificaciones/", views.NotificacionListApi.as_view(), name="notificacion-list"),
    *router.urls,
]
