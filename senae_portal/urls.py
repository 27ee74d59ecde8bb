from importlib.util import find_spec

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from tramites import views as tramites_views

handler404 = "senae_portal.api.exception_handler.pagina_no_encontrada"

admin.site.site_header = "SENAE — Administración del portal"
admin.site.site_title = "Portal SENAE"
admin.site.index_title = "Revisión de trámites"

urlpatterns = [
    path("", tramites_views.inicio, name="inicio"),
    path("admin/", admin.site.urls),
    path("cuenta/ingresar/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("cuenta/", include("django.contrib.auth.urls")),
    path("", include("tramites.urls")),
    path("api/v1/", include("senae_portal.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("i18n/", include("django.conf.urls.i18n")),
]
# Procedure apps mount their pages when they have them.
for app, prefijo in [("perfeccionamiento", "regimen21/"), ("mesa_servicios", "mesa/"), ("transparencia", "transparencia/")]:
    if find_spec(f"{app}.urls"):
        urlpatterns.append(path(prefijo, include(f"{app}.urls")))

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
