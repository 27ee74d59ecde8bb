from django.urls import path

from .views import anexos as va
from .views import dai as vd
from .views import registro as views

app_name = "perfeccionamiento"

urlpatterns = [
    path("", views.inicio, name="inicio"),
    path("solicitudes/", views.solicitudes, name="solicitudes"),
    path("solicitudes/nueva/", views.solicitud_nueva, name="solicitud_nueva"),
    path("solicitudes/<int:pk>/", views.solicitud_detalle, name="solicitud_detalle"),
    path("solicitudes/<int:pk>/editar/", views.solicitud_editar, name="solicitud_editar"),
    path("solicitudes/<int:pk>/prorroga/", views.solicitud_prorroga, name="solicitud_prorroga"),
    path("solicitudes/<int:pk>/accion/<str:accion>/", views.solicitud_accion, name="solicitud_accion"),
    path("solicitudes/<int:pk>/autorizacion.pdf", views.solicitud_pdf, name="solicitud_pdf"),
    path("garantias/", views.garantias_lista, name="garantias"),
    path("garantias/nueva/", views.garantia_nueva, name="garantia_nueva"),
    path("garantias/<int:pk>/", views.garantia_detalle, name="garantia_detalle"),
    path("garantias/<int:pk>/modificar/", views.garantia_modificar, name="garantia_modificar"),
    path("garantias/<int:pk>/accion/<str:accion>/", views.garantia_accion, name="garantia_accion"),
    path("codigos/", views.codigos_lista, name="codigos"),
    path("codigos/<str:tipo>/nuevo/", views.codigo_nuevo, name="codigo_nuevo"),
    path("codigos/insumos/<int:pk>/", views.codigoinsumo_detalle, name="codigoinsumo_detalle"),
    path("codigos/productos/<int:pk>/", views.codigoproducto_detalle, name="codigoproducto_detalle"),
    path("codigos/productos/<int:pk>/versiones/nueva/", views.version_nueva, name="version_nueva"),
    path(
        "codigos/insumos/<int:pk>/accion/<str:accion>/",
        views.codigo_accion,
        {"tipo": "insumo"},
        name="codigoinsumo_accion",
    ),
    path(
        "codigos/productos/<int:pk>/accion/<str:accion>/",
        views.codigo_accion,
        {"tipo": "producto"},
        name="codigoproducto_accion",
    ),
    path("codigos/versiones/<int:pk>/accion/<str:accion>/", views.version_accion, name="version_accion"),
]

urlpatterns += [
    path("dai/", vd.dai_lista, name="dais"),
    path("dai/nueva/", vd.dai_nueva, name="dai_nueva"),
    path("dai/<int:pk>/", vd.dai_detalle, name="dai_detalle"),
    path("dai/<int:pk>/corregir/", vd.dai_corregir, name="dai_corregir"),
    path("dai/<int:pk>/accion/<str:accion>/", vd.dai_accion, name="dai_accion"),
    path("existencias/", vd.existencias, name="existencias"),
    path("existencias/items/", vd.saldos, name="saldos"),
    path("existencias/items/<int:pk>/", vd.saldo_detalle, name="saldo_detalle"),
]

urlpatterns += [
    path("anexos/", va.anexos_lista, name="anexos"),
    path("anexos/nuevo/", va.anexo_nuevo, name="anexo_nuevo"),
    path("anexos/simular/", va.anexo_simular, name="anexo_simular"),
    path("anexos/<int:pk>/", va.anexo_detalle, name="anexo_detalle"),
    path("anexos/<int:pk>/accion/<str:accion>/", va.anexo_accion, name="anexo_accion"),
    path("anexos/<int:pk>/aceptar/", va.anexo_aceptar_cesion, name="anexo_aceptar_cesion"),
    path("anexos/<int:pk>/correccion/", va.anexo_correccion, name="anexo_correccion"),
    path("anexos/<int:pk>/anexo.pdf", va.anexo_pdf, name="anexo_pdf"),
    path("movimientos/", va.movimientos, name="movimientos"),
]
