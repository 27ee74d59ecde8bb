from django.urls import path

from . import views

app_name = "transparencia"

urlpatterns = [
    path("", views.inicio, name="inicio"),
    path("<slug:codigo>/", views.tramite, name="tramite"),
    path("<slug:codigo>.csv", views.datos_csv, name="csv"),
    path("<slug:codigo>.json", views.datos_json, name="json"),
]
