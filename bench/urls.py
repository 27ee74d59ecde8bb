"""The portal's URLs plus the baseline endpoints under /bench/ (bench/settings.py only)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from senae_portal.urls import handler404  # noqa: F401 - the portal's JSON 404 under /api/
from senae_portal.urls import urlpatterns as portal

from .api import ElementoViewSet

router = SimpleRouter()
router.register("bench/base", ElementoViewSet, basename="bench-base")

urlpatterns = [path("", include(router.urls)), *portal]
