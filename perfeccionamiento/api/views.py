"""Régimen 21 API for agent software and operators: scoped reads, writes through services.

Every list is cursor-paginated and scoped (an agency sees only operators with an active delegation);
an out-of-scope id answers 404. Writes accept `Idempotency-Key`.
"""

from __future__ import annotations

import json

import django_filters
from django import forms
from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from senae_portal.api.mixins import AlcancePorUsuarioMixin
from tramites.api.parsers import JSONObjetoParser
from tramites.api.serializers import ArchivosInput, ComentarioInput
from tramites.exceptions import DatosInvalidos

from .. import exportar, selectors
from ..models import (
    DAI,
    AnexoCompensatorio,
    CodigoInsumo,
    CodigoProducto,
    Garantia,
    LineaDAI,
    MovimientoInsumo,
    SaldoInsumo,
    SolicitudAutorizacion,
    VersionCoeficientes,
)
from ..services import anexos as anexos_servicio
from ..services import autorizaciones, codigos, garantias
from ..services import dai as dai_servicio
from ..services.comun import exigir_actuar_por
from ..services.descargo import simular
from .serializers import (
    AceptarCesionInput,
    AnexoCrearInput,
    AnexoDetalleOutput,
    AnexoOutput,
    AnexoSimularInput,
    CodigoInput,
    CodigoInsumoOutput,
    CodigoProductoOutput,
    CorreccionInput,
    DAIActualizarInput,
    DAICorregirInput,
    DAICrearInput,
    DAIDetalleOutput,
    DAIOutput,
    ExistenciaOutput,
    GarantiaCrearInput,
    GarantiaDetalleOutput,
    GarantiaOutput,
    ModificacionGarantiaInput,
    MovimientoOutput,
    ProrrogaInput,
    SaldoOutput,
    SimulacionOutput,
    SolicitudActualizarInput,
    SolicitudCrearInput,
    SolicitudDetalleOutput,
    SolicitudOutput,
    VersionInput,
    VersionOutput,
)

MULTIPART = [MultiPartParser, FormParser]


def _entrada(serializer_class, request, **kwargs):
    entrada = serializer_class(data=request.data, context={"request": request}, **kwargs)
    entrada.is_valid(raise_exception=True)
    return entrada.validated_data


class _LecturaViewSet(AlcancePorUsuarioMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    salida_detalle = None

    def get_serializer_class(self):
        if self.action != "list" and self.salida_detalle is not None:
            return self.salida_detalle
        return self.serializer_class

    def _detalle(self, objeto, codigo=status.HTTP_200_OK) -> Response:
        """The record after a write, read again through the view's own query (its joins and prefetches: a DAI's
        items with their input codes in one query, not one per item)."""
        fresco = self.get_queryset().filter(pk=objeto.pk).first()
        if fresco is None:  # a write that took the record out of the user's scope still answers with it
            objeto.refresh_from_db()
            fresco = objeto
        return Response(self.get_serializer_class()(fresco, context=self.get_serializer_context()).data, status=codigo)

    def _transicion(self, request, accion: str, entrada=ComentarioInput) -> Response:
        """A transition of the record in the URL with the validated body (`transicionar` is the entity's service)."""
        objeto = self.get_object()
        datos = _entrada(entrada, request)
        self.transicionar(objeto.pk, accion=accion, por=request.user, **datos)
        return self._detalle(objeto)


@extend_schema_view(
    list=extend_schema(summary="Solicitudes de autorización visibles", tags=["régimen 21: autorización"]),
    retrieve=extend_schema(summary="Una solicitud, con su historial y adjuntos", tags=["régimen 21: autorización"]),
)
class SolicitudViewSet(_LecturaViewSet):
    modelo = SolicitudAutorizacion
    serializer_class = SolicitudOutput
    salida_detalle = SolicitudDetalleOutput
    filterset_fields = ["estado", "modalidad"]

    def consulta(self, usuario):
        return selectors.solicitudes_listar(usuario=usuario)

    @extend_schema(
        summary="Registrar una solicitud (borrador); con `presentar=true` la presenta si ya tiene adjuntos",
        request=SolicitudCrearInput,
        responses={201: SolicitudDetalleOutput},
        tags=["régimen 21: autorización"],
    )
    def create(self, request):
        datos = _entrada(SolicitudCrearInput, request)
        solicitud = autorizaciones.solicitud_crear(por=request.user, **datos)
        return self._detalle(solicitud, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Editar un borrador o una solicitud observada",
        request=SolicitudActualizarInput,
        responses=SolicitudDetalleOutput,
        tags=["régimen 21: autorización"],
    )
    def partial_update(self, request, pk=None):
        solicitud = self.get_object()
        datos = _entrada(SolicitudActualizarInput, request, partial=True)
        datos.pop("comentario", None)
        autorizaciones.solicitud_actualizar(solicitud_id=solicitud.pk, por=request.user, **datos)
        return self._detalle(solicitud)

    @extend_schema(
        summary="Adjuntar documentos del proceso productivo (multipart)",
        request={"multipart/form-data": ArchivosInput},
        responses=SolicitudDetalleOutput,
        tags=["régimen 21: autorización"],
    )
    @action(detail=True, methods=["post"], parser_classes=MULTIPART)
    def adjuntos(self, request, pk=None):
        solicitud = self.get_object()
        datos = _entrada(ArchivosInput, request)
        autorizaciones.solicitud_actualizar(solicitud_id=solicitud.pk, por=request.user, archivos=datos["adjuntos"])
        return self._detalle(solicitud)

    @staticmethod
    def transicionar(pk, **kwargs):
        return autorizaciones.solicitud_transicionar(solicitud_id=pk, **kwargs)

    @extend_schema(
        summary="Presentar a SENAE", request=ComentarioInput, responses=SolicitudDetalleOutput, tags=["régimen 21: autorización"]
    )
    @action(detail=True, methods=["post"])
    def presentar(self, request, pk=None):
        return self._transicion(request, "presentar")

    @extend_schema(
        summary="Reenviar una solicitud observada (tras editarla con PATCH)",
        request=ComentarioInput,
        responses=SolicitudDetalleOutput,
        tags=["régimen 21: autorización"],
    )
    @action(detail=True, methods=["post"])
    def corregir(self, request, pk=None):
        return self._transicion(request, "corregir")

    @extend_schema(
        summary="Solicitar la única prórroga",
        request=ProrrogaInput,
        responses=SolicitudDetalleOutput,
        tags=["régimen 21: autorización"],
    )
    @action(detail=True, methods=["post"], url_path="solicitar-prorroga")
    def solicitar_prorroga(self, request, pk=None):
        return self._transicion(request, "solicitar_prorroga", ProrrogaInput)

    @extend_schema(
        summary="Anular (borrador o enviada)",
        request=ComentarioInput,
        responses=SolicitudDetalleOutput,
        tags=["régimen 21: autorización"],
    )
    @action(detail=True, methods=["post"])
    def anular(self, request, pk=None):
        return self._transicion(request, "anular")


@extend_schema_view(
    list=extend_schema(summary="Garantías visibles", tags=["régimen 21: garantías"]),
    retrieve=extend_schema(summary="Una garantía, con su historial y adjuntos", tags=["régimen 21: garantías"]),
)
class GarantiaViewSet(_LecturaViewSet):
    modelo = Garantia
    serializer_class = GarantiaOutput
    salida_detalle = GarantiaDetalleOutput
    filterset_fields = ["estado", "tipo"]
    parser_classes = [JSONObjetoParser, *MULTIPART]

    def consulta(self, usuario):
        return selectors.garantias_listar(usuario=usuario)

    @extend_schema(
        summary="Registrar una garantía con su documento (multipart)",
        request={"multipart/form-data": GarantiaCrearInput},
        responses={201: GarantiaDetalleOutput},
        tags=["régimen 21: garantías"],
    )
    def create(self, request):
        datos = _entrada(GarantiaCrearInput, request)
        autorizacion = datos.pop("autorizacion")
        if not selectors.solicitudes_listar(usuario=request.user).filter(pk=autorizacion.pk).exists():
            raise DatosInvalidos({"autorizacion": ["La solicitud no existe o no está a su alcance."]})
        garantia = garantias.garantia_registrar(
            operador=autorizacion.operador, por=request.user, autorizacion=autorizacion, archivos=datos.pop("adjuntos"), **datos
        )
        return self._detalle(garantia, status.HTTP_201_CREATED)

    @staticmethod
    def transicionar(pk, **kwargs):
        return garantias.garantia_transicionar(garantia_id=pk, **kwargs)

    @extend_schema(
        summary="Solicitar modificación de monto o fecha final (renovación)",
        request=ModificacionGarantiaInput,
        responses=GarantiaDetalleOutput,
        tags=["régimen 21: garantías"],
    )
    @action(detail=True, methods=["post"], url_path="solicitar-modificacion")
    def solicitar_modificacion(self, request, pk=None):
        return self._transicion(request, "solicitar_modificacion", ModificacionGarantiaInput)

    @extend_schema(
        summary="Impugnar la notificación al cobro",
        request=ComentarioInput,
        responses=GarantiaDetalleOutput,
        tags=["régimen 21: garantías"],
    )
    @action(detail=True, methods=["post"])
    def impugnar(self, request, pk=None):
        return self._transicion(request, "impugnar")

    @extend_schema(
        summary="Anular una garantía aún no resuelta",
        request=ComentarioInput,
        responses=GarantiaDetalleOutput,
        tags=["régimen 21: garantías"],
    )
    @action(detail=True, methods=["post"])
    def anular(self, request, pk=None):
        return self._transicion(request, "anular")


class _CodigoViewSet(_LecturaViewSet):
    filterset_fields = ["estado", "subpartida"]
    registrar = None

    @extend_schema(request=CodigoInput, responses={201: None}, tags=["régimen 21: códigos"])
    def create(self, request):
        datos = _entrada(CodigoInput, request)
        codigo = type(self).registrar(por=request.user, **datos)
        return self._detalle(codigo, status.HTTP_201_CREATED)

    @extend_schema(request=ComentarioInput, tags=["régimen 21: códigos"], summary="Inactivar el código (motivo obligatorio)")
    @action(detail=True, methods=["post"])
    def inactivar(self, request, pk=None):
        codigo = self.get_object()
        datos = _entrada(ComentarioInput, request)
        codigos.codigo_transicionar(modelo=self.modelo, codigo_id=codigo.pk, accion="inactivar", por=request.user, **datos)
        return self._detalle(codigo)


@extend_schema_view(
    list=extend_schema(summary="Códigos de insumo visibles", tags=["régimen 21: códigos"]),
    retrieve=extend_schema(summary="Un código de insumo", tags=["régimen 21: códigos"]),
    create=extend_schema(summary="Registrar un código de insumo", responses={201: CodigoInsumoOutput}),
    inactivar=extend_schema(responses=CodigoInsumoOutput),
)
class CodigoInsumoViewSet(_CodigoViewSet):
    modelo = CodigoInsumo
    serializer_class = CodigoInsumoOutput
    registrar = staticmethod(codigos.insumo_registrar)

    def consulta(self, usuario):
        return selectors.insumos_listar(usuario=usuario)


@extend_schema_view(
    list=extend_schema(summary="Códigos de producto visibles", tags=["régimen 21: códigos"]),
    retrieve=extend_schema(summary="Un código de producto", tags=["régimen 21: códigos"]),
    create=extend_schema(summary="Registrar un código de producto", responses={201: CodigoProductoOutput}),
    inactivar=extend_schema(responses=CodigoProductoOutput),
)
class CodigoProductoViewSet(_CodigoViewSet):
    modelo = CodigoProducto
    serializer_class = CodigoProductoOutput
    registrar = staticmethod(codigos.producto_registrar)

    def consulta(self, usuario):
        return selectors.productos_listar(usuario=usuario)

    @extend_schema(
        methods=["get"],
        summary="Versiones del cuadro insumo-producto",
        responses=VersionOutput(many=True),
        tags=["régimen 21: códigos"],
    )
    @extend_schema(
        methods=["post"],
        summary="Presentar una versión nueva del cuadro insumo-producto",
        request=VersionInput,
        responses={201: VersionOutput},
        tags=["régimen 21: códigos"],
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def versiones(self, request, pk=None):
        producto = self.get_object()
        if request.method == "GET":
            return Response(
                VersionOutput(selectors.versiones_listar(usuario=request.user, producto_id=producto.pk), many=True).data
            )
        datos = _entrada(VersionInput, request)
        version = codigos.version_registrar(
            producto_id=producto.pk,
            por=request.user,
            vigente_desde=datos["vigente_desde"],
            justificacion=datos["justificacion"],
            lineas=datos["coeficientes"],
        )
        return Response(VersionOutput(selectors.version_obtener(usuario=request.user, pk=version.pk)).data, status=201)


@extend_schema_view(
    list=extend_schema(summary="Versiones de cuadros insumo-producto visibles", tags=["régimen 21: códigos"]),
    retrieve=extend_schema(summary="Una versión con sus coeficientes", tags=["régimen 21: códigos"]),
)
class VersionViewSet(_LecturaViewSet):
    modelo = VersionCoeficientes
    serializer_class = VersionOutput
    filterset_fields = ["estado", "producto"]

    def consulta(self, usuario):
        return selectors.versiones_listar(usuario=usuario)

    @extend_schema(
        summary="Retirar una versión aún no aprobada",
        request=ComentarioInput,
        responses=VersionOutput,
        tags=["régimen 21: códigos"],
    )
    @action(detail=True, methods=["post"])
    def retirar(self, request, pk=None):
        version = self.get_object()
        datos = _entrada(ComentarioInput, request)
        codigos.version_transicionar(version_id=version.pk, accion="retirar", por=request.user, **datos)
        return self._detalle(version)


# --- DAI 21 and the input ledger --------------------------------------------------------------------------

TAG_DAI = ["régimen 21: DAI y existencias"]
CSV = {(200, "text/csv"): OpenApiTypes.STR}


@extend_schema_view(
    list=extend_schema(summary="DAI de régimen 21 visibles (control del régimen)", tags=TAG_DAI),
    retrieve=extend_schema(summary="Una DAI con sus ítems, tributos suspendidos e historial", tags=TAG_DAI),
)
class DAIViewSet(_LecturaViewSet):
    modelo = DAI
    serializer_class = DAIOutput
    salida_detalle = DAIDetalleOutput
    filterset_fields = ["estado", "canal"]

    def consulta(self, usuario):
        dais = selectors.dais_listar(usuario=usuario)
        if self.action == "list":  # a row shows the numbers of its authorization and guarantee, and no items
            return dais.prefetch_related("autorizacion", "garantia")  # no .only(): FSM records read `estado` on load
        return dais.select_related("autorizacion", "garantia").prefetch_related(
            Prefetch("lineas", queryset=LineaDAI.objects.select_related("insumo").order_by("numero"))
        )

    @extend_schema(
        summary="Transmitir una DAI de régimen 21 (o guardar un borrador con transmitir=false)",
        description=(
            "Valida en una sola respuesta: autorización vigente, garantía vigente con cobertura libre suficiente, "
            "códigos de insumo aprobados y subpartidas y unidades que coinciden. Los errores de ítems llegan como "
            "`lineas.<índice>.<campo>`. Si no pasa, no se guarda nada. Si pasa: número, liquidación, canal de "
            "aforo y, con canal automático, salida autorizada y saldos en el kárdex."
        ),
        request=DAICrearInput,
        responses={201: DAIDetalleOutput},
        tags=TAG_DAI,
    )
    def create(self, request):
        datos = _entrada(DAICrearInput, request)
        dai = dai_servicio.dai_crear(por=request.user, **datos)
        return self._detalle(dai, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Editar un borrador (y transmitirlo con transmitir=true)",
        request=DAIActualizarInput,
        responses=DAIDetalleOutput,
        tags=TAG_DAI,
    )
    def partial_update(self, request, pk=None):
        dai = self.get_object()
        datos = _entrada(DAIActualizarInput, request, partial=True)
        dai_servicio.dai_actualizar(dai_id=dai.pk, por=request.user, **datos)
        return self._detalle(dai)

    @extend_schema(summary="Transmitir un borrador", request=None, responses=DAIDetalleOutput, tags=TAG_DAI)
    @action(detail=True, methods=["post"])
    def transmitir(self, request, pk=None):
        dai = self.get_object()
        dai_servicio.dai_transmitir(dai_id=dai.pk, por=request.user)
        return self._detalle(dai)

    @extend_schema(
        summary="Corregir una DAI observada en aforo (reemplaza sus ítems) y devolverla a aforo",
        request=DAICorregirInput,
        responses=DAIDetalleOutput,
        tags=TAG_DAI,
    )
    @action(detail=True, methods=["post"])
    def corregir(self, request, pk=None):
        dai = self.get_object()
        datos = _entrada(DAICorregirInput, request)
        dai_servicio.dai_corregir(dai_id=dai.pk, por=request.user, **datos)
        return self._detalle(dai)

    @extend_schema(summary="Anular un borrador", request=ComentarioInput, responses=DAIDetalleOutput, tags=TAG_DAI)
    @action(detail=True, methods=["post"])
    def anular(self, request, pk=None):
        dai = self.get_object()
        datos = _entrada(ComentarioInput, request)
        dai_servicio.dai_transicionar(dai_id=dai.pk, accion="anular", por=request.user, **datos)
        return self._detalle(dai)


@extend_schema_view(
    list=extend_schema(summary="Existencias por código de insumo", tags=TAG_DAI),
    retrieve=extend_schema(summary="Existencias de un código de insumo", tags=TAG_DAI),
)
class ExistenciaViewSet(_LecturaViewSet):
    modelo = CodigoInsumo
    serializer_class = ExistenciaOutput

    def consulta(self, usuario):
        return selectors.existencias_por_insumo(usuario=usuario)

    @extend_schema(summary="Existencias por código de insumo (CSV, todas las filas)", responses=CSV, tags=TAG_DAI)
    @action(detail=False, methods=["get"])
    def exportar(self, request):
        return exportar.csv_existencias(self.get_queryset())


class IdFilter(django_filters.NumberFilter):
    """An id: an integer (NumberFilter takes decimals like 0.5, which the schema's `integer` does not allow)."""

    field_class = forms.IntegerField


class BooleanoEstricto(forms.NullBooleanField):
    """true/false (or 1/0); empty means no filter; anything else is a 400 (NullBooleanField's widget reads any
    other text as empty)."""

    widget = forms.TextInput

    def to_python(self, value):
        texto = "" if value is None else str(value).strip().lower()
        if texto == "":
            return None
        if texto in ("true", "1", "false", "0"):
            return texto in ("true", "1")
        raise forms.ValidationError("Use true o false.", code="invalid")

    def validate(self, value) -> None:
        pass


class BooleanoFilter(django_filters.BooleanFilter):
    field_class = BooleanoEstricto


class SaldoFilter(django_filters.FilterSet):
    dai = IdFilter(field_name="linea__dai", help_text="Id de la DAI.")
    abiertos = BooleanoFilter(method="filtrar_abiertos", help_text="true: solo ítems con saldo.")

    class Meta:
        model = SaldoInsumo
        fields = ["insumo", "origen"]

    def filtrar_abiertos(self, queryset, name, value):
        return queryset.filter(saldo__gt=0) if value else queryset


@extend_schema_view(
    list=extend_schema(summary="Existencias por ítem de DAI (lo más antiguo primero en la compensación)", tags=TAG_DAI),
    retrieve=extend_schema(summary="Existencias de un ítem de DAI", tags=TAG_DAI),
)
class SaldoViewSet(_LecturaViewSet):
    modelo = SaldoInsumo
    serializer_class = SaldoOutput
    filterset_class = SaldoFilter

    def consulta(self, usuario):
        return selectors.saldos_listar(usuario=usuario)

    @extend_schema(summary="Movimientos (kárdex) de un ítem de DAI", responses=MovimientoOutput(many=True), tags=TAG_DAI)
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def movimientos(self, request, pk=None):
        lote = self.get_object()
        return Response(MovimientoOutput(selectors.movimientos_listar(usuario=request.user, saldo_id=lote.pk), many=True).data)

    @extend_schema(summary="Existencias por ítem de DAI (CSV, con los mismos filtros)", responses=CSV, tags=TAG_DAI)
    @action(detail=False, methods=["get"])
    def exportar(self, request):
        return exportar.csv_saldos(self.filter_queryset(self.get_queryset()))


class MovimientoFilter(django_filters.FilterSet):
    insumo = IdFilter(field_name="saldo__insumo", help_text="Id del código de insumo.")

    class Meta:
        model = MovimientoInsumo
        fields = ["saldo", "tipo", "dai", "anexo"]


@extend_schema_view(
    list=extend_schema(summary="Movimientos de insumos (por ítem de DAI, insumo, anexo o tipo)", tags=TAG_DAI),
    retrieve=extend_schema(tags=TAG_DAI),
)
class MovimientoViewSet(_LecturaViewSet):
    modelo = MovimientoInsumo
    serializer_class = MovimientoOutput
    filterset_class = MovimientoFilter

    def consulta(self, usuario):
        return selectors.movimientos_listar(usuario=usuario)


# --- Anexos compensatorios ------------------------------------------------------------------------------------

TAG_ANEXO = ["régimen 21: anexos compensatorios"]


def _lineas(datos: list[dict]) -> list[dict]:
    return [{k: v for k, v in linea.items() if v not in ("", None)} for linea in datos]


@extend_schema_view(
    list=extend_schema(summary="Anexos compensatorios visibles (propios y cesiones recibidas)", tags=TAG_ANEXO),
    retrieve=extend_schema(summary="Un anexo con sus líneas, movimientos, historial y adjuntos", tags=TAG_ANEXO),
)
class AnexoViewSet(_LecturaViewSet):
    modelo = AnexoCompensatorio
    serializer_class = AnexoOutput
    salida_detalle = AnexoDetalleOutput
    filterset_fields = ["estado", "tipo"]
    parser_classes = [JSONObjetoParser, *MULTIPART]

    def consulta(self, usuario):
        return selectors.anexos_listar(usuario=usuario)

    @extend_schema(
        summary="Simular el descargo (no guarda nada)",
        description="Qué ítems de DAI se descargarían, cuánto de cada insumo, qué queda y qué vence primero; en la "
        "nacionalización, los tributos a pagar. Responde 200 con `valido=false` y `errores` si no alcanza.",
        request=AnexoSimularInput,
        responses=SimulacionOutput,
        tags=TAG_ANEXO,
    )
    @action(detail=False, methods=["post"])
    def simular(self, request):
        datos = _entrada(AnexoSimularInput, request)
        exigir_actuar_por(request.user, datos["operador"])
        plan = simular(
            operador=datos["operador"], tipo=datos["tipo"], fecha=datos["fecha"], lineas=_lineas(datos["lineas"]),
            fecha_declaracion=datos.get("fecha_declaracion"), fuerza_mayor=datos["perdida_fuerza_mayor"],
        )  # fmt: skip
        return Response(SimulacionOutput(plan).data)

    @extend_schema(
        summary="Registrar un anexo compensatorio",
        description="JSON; o multipart/form-data con el JSON del anexo en el campo `anexo` y la evidencia en `adjuntos` "
        "(obligatoria en pérdida o destrucción y en desperdicios).",
        request={"application/json": AnexoCrearInput, "multipart/form-data": ArchivosInput},
        responses={201: AnexoDetalleOutput},
        tags=TAG_ANEXO,
    )
    def create(self, request):
        archivos = request.FILES.getlist("adjuntos") if request.FILES else []
        cuerpo = request.data
        if "anexo" in request.data and hasattr(request.data, "getlist"):
            try:
                cuerpo = json.loads(request.data["anexo"])
            except ValueError:
                raise ValidationError({"anexo": ["Debe ser el JSON del anexo."]}) from None
        entrada = AnexoCrearInput(data=cuerpo, context={"request": request})
        entrada.is_valid(raise_exception=True)
        datos = entrada.validated_data
        anexo = anexos_servicio.anexo_registrar(
            operador=datos["operador"], por=request.user, tipo=datos["tipo"], fecha=datos["fecha"],
            lineas=_lineas(datos["lineas"]), declaracion=datos.get("declaracion"), cesionario=datos.get("cesionario_ruc"),
            observaciones=datos["observaciones"], archivos=archivos, perdida_fuerza_mayor=datos["perdida_fuerza_mayor"],
        )  # fmt: skip
        return self._detalle(anexo, status.HTTP_201_CREATED)

    @staticmethod
    def transicionar(pk, **kwargs):
        return anexos_servicio.anexo_transicionar(anexo_id=pk, **kwargs)

    @extend_schema(
        summary="El cesionario acepta la cesión (y se aplica)",
        request=AceptarCesionInput,
        responses=AnexoDetalleOutput,
        tags=TAG_ANEXO,
    )
    @action(detail=True, methods=["post"], url_path="aceptar-cesion")
    def aceptar_cesion(self, request, pk=None):
        return self._transicion(request, "aceptar_cesion", AceptarCesionInput)

    @extend_schema(
        summary="El cesionario rechaza la cesión (motivo obligatorio)",
        request=ComentarioInput,
        responses=AnexoDetalleOutput,
        tags=TAG_ANEXO,
    )
    @action(detail=True, methods=["post"], url_path="rechazar-cesion")
    def rechazar_cesion(self, request, pk=None):
        return self._transicion(request, "rechazar_cesion")

    @extend_schema(
        summary="Anular un anexo aún no aceptado", request=ComentarioInput, responses=AnexoDetalleOutput, tags=TAG_ANEXO
    )
    @action(detail=True, methods=["post"])
    def anular(self, request, pk=None):
        return self._transicion(request, "anular")

    @extend_schema(
        summary="Solicitar la corrección de un anexo aplicado",
        request=CorreccionInput,
        responses=AnexoDetalleOutput,
        tags=TAG_ANEXO,
    )
    @action(detail=True, methods=["post"], url_path="solicitar-correccion")
    def solicitar_correccion(self, request, pk=None):
        anexo = self.get_object()
        datos = _entrada(CorreccionInput, request)
        anexos_servicio.anexo_solicitar_correccion(
            anexo_id=anexo.pk, por=request.user, motivo=datos["motivo"], lineas=_lineas(datos["lineas"])
        )
        return self._detalle(anexo)
