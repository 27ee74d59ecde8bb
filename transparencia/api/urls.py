from django.urls import path

from . import views

urlpatterns = [
    path("transparencia/", views.TramiteListApi.as_view(), name="transparencia-tramite-list"),
    path("transparencia/<str:codigo>/", views.SerieApi.as_view(), name="transparencia-serie"),
]
