from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("regimen21/solicitudes", views.SolicitudViewSet, basename="r21-solicitud")
router.register("regimen21/garantias", views.GarantiaViewSet, basename="r21-garantia")
router.register("regimen21/codigos-insumo", views.CodigoInsumoViewSet, basename="r21-insumo")
router.register("regimen21/codigos-producto", views.CodigoProductoViewSet, basename="r21-producto")
router.register("regimen21/versiones", views.VersionViewSet, basename="r21-version")

router.register("regimen21/dais", views.DAIViewSet, basename="r21-dai")
router.register("regimen21/existencias", views.ExistenciaViewSet, basename="r21-existencia")
router.register("regimen21/saldos", views.SaldoViewSet, basename="r21-saldo")
router.register("regimen21/movimientos", views.MovimientoViewSet, basename="r21-movimiento")
router.register("regimen21/anexos", views.AnexoViewSet, basename="r21-anexo")

urlpatterns = router.urls
