"""/api/v1/: each app contributes `<app>/api/urls.py`; they are mounted side by side."""

from importlib import import_module
from importlib.util import find_spec

from django.urls import include, path

APPS_CON_API = ["tramites", "perfeccionamiento", "mesa_servicios", "transparencia"]

urlpatterns = [
    path("", include(import_module(f"{app}.api.urls")))
    for app in APPS_CON_API
    if find_spec(f"{app}.api") and find_spec(f"{app}.api.urls")
]
