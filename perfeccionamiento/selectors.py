"""Reads of the régimen 21, scoped by who asks (tramites.selectors.alcance_operador): the same rules for
pages, admin and API."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Model, Prefetch, QuerySet

from tramites.exceptions import NoEncontrado
from tramites.models import Adjunto, Usuario
from tramites.selectors import alcance_operador

from .models import CodigoInsumo, CodigoProducto, Coeficiente, Garantia, SolicitudAutorizacion, VersionCoeficientes


def _obtener(queryset: QuerySet, *, usuario: Usuario, pk: int) -> Model:
    objeto = alcance_operador(queryset, usuario=usuario).filter(pk=pk).first()
    if objeto is None:
        raise NoEncontrado()
    return objeto


def solicitudes_listar(*, usuario: Usuario, estado: str | None = None) -> QuerySet[SolicitudAutorizacion]:
    qs = alcance_operador(SolicitudAutorizacion.objects.select_related("operador"), usuario=usuario)
    return qs.filter(estado=estado) if estado else qs


def solicitud_obtener(*, usuario: Usuario, pk: int) -> SolicitudAutorizacion:
    return _obtener(SolicitudAutorizacion.objects.select_related("operador", "aprobada_por"), usuario=usuario, pk=pk)


def autorizaciones_garantizables(*, usuario: Usuario) -> QuerySet[SolicitudAutorizacion]:
    from .services.garantias import AUTORIZACION_GARANTIZABLE

    return solicitudes_listar(usuario=usuario).filter(estado__in=AUTORIZACION_GARANTIZABLE)


def garantias_listar(*, usuario: Usuario, estado: str | None = None) -> QuerySet[Garantia]:
    qs = alcance_operador(Garantia.objects.select_related("operador", "autorizacion"), usuario=usuario)
    return qs.filter(estado=estado) if estado else qs


def garantia_obtener(*, usuario: Usuario, pk: int) -> Garantia:
    return _obtener(Garantia.objects.select_related("operador", "autorizacion"), usuario=usuario, pk=pk)


def insumos_listar(*, usuario: Usuario) -> QuerySet[CodigoInsumo]:
    return alcance_operador(CodigoInsumo.objects.select_related("operador"), usuario=usuario)


def insumo_obtener(*, usuario: Usuario, pk: int) -> CodigoInsumo:
    return _obtener(CodigoInsumo.objects.select_related("operador"), usuario=usuario, pk=pk)


def productos_listar(*, usuario: Usuario) -> QuerySet[CodigoProducto]:
    return alcance_operador(
        CodigoProducto.objects.select_related("operador").annotate(num_versiones=Count("versiones")), usuario=usuario
    )


def _versiones_con_coeficientes() -> Prefetch:
    return Prefetch(
        "versiones",
        queryset=VersionCoeficientes.objects.order_by("-numero").prefetch_related(
            Prefetch("coeficientes", queryset=Coeficiente.objects.select_related("insumo"))
        ),
    )


def producto_obtener(*, usuario: Usuario, pk: int) -> CodigoProducto:
    return _obtener(
        CodigoProducto.objects.select_related("operador").prefetch_related(_versiones_con_coeficientes()),
        usuario=usuario,
        pk=pk,
    )


def versiones_listar(*, usuario: Usuario, producto_id: int | None = None) -> QuerySet[VersionCoeficientes]:
    qs = alcance_operador(
        VersionCoeficientes.objects.select_related("producto").prefetch_related(
            Prefetch("coeficientes", queryset=Coeficiente.objects.select_related("insumo"))
        ),
        usuario=usuario,
    )
    return qs.filter(producto_id=producto_id) if producto_id else qs


def version_obtener(*, usuario: Usuario, pk: int) -> VersionCoeficientes:
    return _obtener(VersionCoeficientes.objects.select_related("producto"), usuario=usuario, pk=pk)


def adjuntos_de(objeto: Model) -> QuerySet[Adjunto]:
    return Adjunto.objects.filter(content_type=ContentType.objects.get_for_model(objeto), object_id=objeto.pk)


def resumen_operador(*, usuario: Usuario) -> dict[str, dict[str, int]]:
    """Counts per state of the user's visible requests, guarantees and codes (dashboard widget)."""

    def por_estado(qs: QuerySet) -> dict[str, int]:
        return dict(qs.order_by().values_list("estado").annotate(n=Count("pk")))

    return {
        "solicitudes": por_estado(solicitudes_listar(usuario=usuario)),
        "garantias": por_estado(garantias_listar(usuario=usuario)),
        "insumos": por_estado(insumos_listar(usuario=usuario)),
        "productos": por_estado(alcance_operador(CodigoProducto.objects.all(), usuario=usuario)),
    }
