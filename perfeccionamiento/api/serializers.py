"""Serializers of the régimen 21 API: `…Input` validates shape, `…Output` renders. Writes go to services."""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from senae_portal.api.serializers import NombreDeOpcion, SalidaModelo
from tramites.api.serializers import AdjuntoOutput, ComentarioInput, OperadorRucInput, TransicionOutput
from tramites.models import Distrito

from ..models import (
    DAI,
    AnexoCompensatorio,
    CodigoInsumo,
    CodigoProducto,
    Coeficiente,
    Garantia,
    LineaAnexo,
    LineaDAI,
    MovimientoInsumo,
    SaldoInsumo,
    SolicitudAutorizacion,
    Unidad,
    VersionCoeficientes,
)
from ..models.base import CODIGO, SUBPARTIDA
from ..selectors import garantias_listar, solicitudes_listar
from ..services.dai import AUTORIZACION_NO_ENCONTRADA, GARANTIA_NO_ENCONTRADA


class OperadorBreveOutput(serializers.Serializer):
    id = serializers.IntegerField()
    ruc = serializers.CharField()
    razon_social = serializers.CharField()


class _DetalleMixin(serializers.Serializer):
    transiciones = serializers.SerializerMethodField()
    adjuntos = serializers.SerializerMethodField()

    @extend_schema_field(TransicionOutput(many=True))
    def get_transiciones(self, obj) -> list[dict]:
        return TransicionOutput(obj.transiciones(), many=True).data

    @extend_schema_field(AdjuntoOutput(many=True))
    def get_adjuntos(self, obj) -> list[dict]:
        from ..selectors import adjuntos_de

        return AdjuntoOutput(adjuntos_de(obj), many=True).data


# --- Solicitudes ----------------------------------------------------------------------------------------


class SolicitudOutput(SalidaModelo):
    operador = OperadorBreveOutput(read_only=True)
    estado_nombre = NombreDeOpcion()

    class Meta:
        model = SolicitudAutorizacion
        fields = [
            "id",
            "numero",
            "numero_autorizacion",
            "operador",
            "modalidad",
            "operacion",
            "plazo_solicitado_meses",
            "estado",
            "estado_nombre",
            "vigencia_desde",
            "vigencia_hasta",
            "exportacion_anticipada",
            "prorroga_meses",
            "presentada_en",
            "creado_en",
        ]


class SolicitudDetalleOutput(_DetalleMixin, SolicitudOutput):
    class Meta(SolicitudOutput.Meta):
        fields = [*SolicitudOutput.Meta.fields, "descripcion_proceso", "mercancias", "productos", "transiciones", "adjuntos"]


class SolicitudCamposInput(serializers.Serializer):
    modalidad = serializers.ChoiceField(choices=SolicitudAutorizacion.Modalidad.choices)
    operacion = serializers.ChoiceField(choices=SolicitudAutorizacion.Operacion.choices)
    descripcion_proceso = serializers.CharField(min_length=40, max_length=20000)
    mercancias = serializers.CharField(max_length=10000)
    productos = serializers.CharField(max_length=10000)
    plazo_solicitado_meses = serializers.IntegerField(min_value=1, max_value=12)


class SolicitudCrearInput(OperadorRucInput, SolicitudCamposInput):
    pass


class SolicitudActualizarInput(SolicitudCamposInput):
    comentario = serializers.CharField(required=False, allow_blank=True, default="", help_text="Respuesta a la observación.")


class ProrrogaInput(serializers.Serializer):
    meses = serializers.IntegerField(min_value=1, max_value=12)
    comentario = serializers.CharField(help_text="Justificación de la prórroga.", max_length=4000)


# --- Garantías ------------------------------------------------------------------------------------------


class GarantiaOutput(SalidaModelo):
    operador = OperadorBreveOutput(read_only=True)
    autorizacion = serializers.PrimaryKeyRelatedField(read_only=True)
    estado_nombre = NombreDeOpcion()

    class Meta:
        model = Garantia
        fields = [
            "id",
            "numero",
            "operador",
            "autorizacion",
            "tipo",
            "forma",
            "operacion",
            "entidad_emisora",
            "numero_documento",
            "monto",
            "vigencia_desde",
            "vigencia_hasta",
            "estado",
            "estado_nombre",
            "monto_propuesto",
            "vigencia_hasta_propuesta",
            "cobro_oficio",
            "cobro_notificado_el",
            "impugnable_hasta",
            "efectivizable_desde",
            "creado_en",
        ]


class GarantiaDetalleOutput(_DetalleMixin, GarantiaOutput):
    class Meta(GarantiaOutput.Meta):
        fields = [*GarantiaOutput.Meta.fields, "transiciones", "adjuntos"]


class _EnAlcance:
    """A reference resolved only among the records the user sees (a scoped selector): a record that is not the
    user's answers exactly like one that does not exist, at the same stage and with the same message."""

    def __init__(self, *, selector, **kwargs) -> None:
        self.selector = selector
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:  # schema generation
            return super().get_queryset().none()
        return self.selector(usuario=request.user)


class SolicitudEnAlcanceField(_EnAlcance, serializers.PrimaryKeyRelatedField):
    pass


class NumeroEnAlcanceField(_EnAlcance, serializers.SlugRelatedField):
    pass


class GarantiaCrearInput(serializers.Serializer):
    """multipart/form-data: the guarantee's data plus its document(s) in `adjuntos`."""

    autorizacion = SolicitudEnAlcanceField(
        selector=solicitudes_listar,
        queryset=SolicitudAutorizacion.objects.all(),
        help_text="Id de la solicitud o autorización que garantiza.",
        error_messages={"does_not_exist": "La solicitud no existe o no está a su alcance."},
    )
    tipo = serializers.ChoiceField(choices=Garantia.Tipo.choices)
    forma = serializers.ChoiceField(choices=Garantia.Forma.choices)
    operacion = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    entidad_emisora = serializers.CharField(max_length=150)
    numero_documento = serializers.CharField(max_length=60)
    monto = serializers.DecimalField(max_digits=18, decimal_places=2, min_value=Decimal("0.01"))
    vigencia_desde = serializers.DateField()
    vigencia_hasta = serializers.DateField()
    adjuntos = serializers.ListField(child=serializers.FileField(), min_length=1)

    def validate(self, datos: dict) -> dict:
        if datos["tipo"] == Garantia.Tipo.ESPECIFICA and not datos.get("operacion"):
            raise serializers.ValidationError({"operacion": ["Indique qué operación cubre la garantía específica."]})
        if datos["vigencia_hasta"] <= datos["vigencia_desde"]:
            raise serializers.ValidationError({"vigencia_hasta": ["La fecha final debe ser posterior a la inicial."]})
        return datos


class ModificacionGarantiaInput(ComentarioInput):
    monto = serializers.DecimalField(max_digits=18, decimal_places=2, min_value=Decimal("0.01"), required=False)
    vigencia_hasta = serializers.DateField(required=False)


# --- Códigos --------------------------------------------------------------------------------------------


class CodigoInput(OperadorRucInput):
    codigo = serializers.CharField(max_length=30)
    descripcion = serializers.CharField(max_length=250)
    subpartida = serializers.CharField(max_length=10, min_length=10, validators=[SUBPARTIDA])
    unidad = serializers.ChoiceField(choices=Unidad.choices)

    def validate_codigo(self, valor: str) -> str:
        valor = valor.strip().upper()
        CODIGO(valor)
        return valor


class _CodigoOutput(SalidaModelo):
    operador = OperadorBreveOutput(read_only=True)
    estado_nombre = NombreDeOpcion()
    campos = ["id", "codigo", "descripcion", "subpartida", "unidad", "operador", "estado", "estado_nombre", "creado_en"]


class CodigoInsumoOutput(_CodigoOutput):
    class Meta:
        model = CodigoInsumo
        fields = _CodigoOutput.campos


class CodigoProductoOutput(_CodigoOutput):
    class Meta:
        model = CodigoProducto
        fields = _CodigoOutput.campos


class CoeficienteOutput(SalidaModelo):
    insumo = serializers.CharField(source="insumo.codigo")

    class Meta:
        model = Coeficiente
        fields = ["insumo", "coeficiente", "desperdicio"]


class VersionOutput(SalidaModelo):
    producto = serializers.CharField(source="producto.codigo")
    estado_nombre = NombreDeOpcion()
    coeficientes = CoeficienteOutput(many=True, read_only=True)

    class Meta:
        model = VersionCoeficientes
        fields = ["id", "producto", "numero", "vigente_desde", "justificacion", "estado", "estado_nombre", "coeficientes"]


class CoeficienteInput(serializers.Serializer):
    insumo = serializers.CharField(max_length=30, help_text="Código del insumo (del mismo operador).")
    coeficiente = serializers.DecimalField(
        max_digits=18, decimal_places=8, help_text="Insumo por unidad de producto, desperdicio incluido; > 0."
    )
    desperdicio = serializers.DecimalField(max_digits=18, decimal_places=8, required=False, default=Decimal(0))

    def validate_coeficiente(self, valor: Decimal) -> Decimal:
        if valor <= 0:
            raise serializers.ValidationError("El coeficiente debe ser mayor que cero.", code="coeficiente_no_positivo")
        return valor

    def validate_desperdicio(self, valor: Decimal) -> Decimal:
        if valor < 0:
            raise serializers.ValidationError("El desperdicio no puede ser negativo.", code="desperdicio_negativo")
        return valor


class VersionInput(serializers.Serializer):
    vigente_desde = serializers.DateField()
    justificacion = serializers.CharField(max_length=4000)
    coeficientes = CoeficienteInput(many=True, allow_empty=False)


# --- DAI 21 and the input ledger --------------------------------------------------------------------------


class LineaDAIInput(serializers.Serializer):
    insumo = serializers.CharField(max_length=30, help_text="Código de insumo aprobado del operador.")
    subpartida = serializers.CharField(max_length=13, help_text="10 dígitos; debe coincidir con la del insumo.")
    descripcion = serializers.CharField(max_length=250, required=False, allow_blank=True, default="")
    pais_origen = serializers.CharField(max_length=2, min_length=2, help_text="Código ISO de 2 letras.")
    cantidad = serializers.DecimalField(max_digits=18, decimal_places=6, min_value=Decimal("0.000001"))
    unidad = serializers.ChoiceField(choices=Unidad.choices)
    fob = serializers.DecimalField(max_digits=18, decimal_places=2, min_value=Decimal("0.01"))
    flete = serializers.DecimalField(max_digits=18, decimal_places=2, min_value=Decimal(0), required=False, default=Decimal(0))
    seguro = serializers.DecimalField(
        max_digits=18, decimal_places=2, min_value=Decimal(0), required=False, allow_null=True, default=None,
        help_text="Omítalo para liquidar el seguro presuntivo.",
    )  # fmt: skip


class _DAICabeceraInput(serializers.Serializer):
    distrito = serializers.SlugRelatedField(
        slug_field="codigo", queryset=Distrito.objects.filter(activo=True), help_text="Código de 3 dígitos."
    )
    autorizacion = NumeroEnAlcanceField(
        selector=solicitudes_listar,
        slug_field="numero_autorizacion",
        queryset=SolicitudAutorizacion.objects.all(),
        help_text="Número AUT21-… de una autorización del operador.",
        error_messages={"does_not_exist": AUTORIZACION_NO_ENCONTRADA},
    )
    garantia = NumeroEnAlcanceField(
        selector=garantias_listar,
        slug_field="numero",
        queryset=Garantia.objects.all(),
        help_text="Número GAR21-… de una garantía del operador.",
        error_messages={"does_not_exist": GARANTIA_NO_ENCONTRADA},
    )
    documento_transporte = serializers.CharField(max_length=40)


class DAICrearInput(OperadorRucInput, _DAICabeceraInput):
    lineas = LineaDAIInput(many=True, allow_empty=False)
    transmitir = serializers.BooleanField(default=True, help_text="false: guardar un borrador.")


class DAIActualizarInput(_DAICabeceraInput):
    lineas = LineaDAIInput(many=True, allow_empty=False, required=False)
    transmitir = serializers.BooleanField(default=False)


class DAICorregirInput(ComentarioInput):
    documento_transporte = serializers.CharField(max_length=40, required=False)
    lineas = LineaDAIInput(many=True, allow_empty=False)


class LineaDAIOutput(SalidaModelo):
    insumo = serializers.CharField(source="insumo.codigo")

    class Meta:
        model = LineaDAI
        fields = [
            "numero", "insumo", "subpartida", "descripcion", "pais_origen", "cantidad", "unidad", "fob", "flete", "seguro",
            "seguro_liquidado", "cif", "tasa_ad_valorem", "ad_valorem", "fodinfa", "ice", "iva", "total_suspendido",
        ]  # fmt: skip


class DAIOutput(SalidaModelo):
    operador = OperadorBreveOutput(read_only=True)
    agente = serializers.CharField(source="agente.nombre")
    distrito = serializers.CharField(source="distrito.codigo")
    autorizacion = serializers.CharField(source="autorizacion.numero_autorizacion")
    garantia = serializers.CharField(source="garantia.numero")
    estado_nombre = NombreDeOpcion()

    class Meta:
        model = DAI
        fields = [
            "id", "numero", "operador", "agente", "distrito", "autorizacion", "garantia", "documento_transporte", "estado",
            "estado_nombre", "canal", "total_fob", "total_cif", "total_suspendido", "transmitida_en", "salida_en", "vence_el",
        ]  # fmt: skip


class DAIDetalleOutput(DAIOutput):
    lineas = LineaDAIOutput(many=True, read_only=True)
    transiciones = serializers.SerializerMethodField()

    class Meta(DAIOutput.Meta):
        fields = [*DAIOutput.Meta.fields, "lineas", "transiciones"]

    @extend_schema_field(TransicionOutput(many=True))
    def get_transiciones(self, obj) -> list[dict]:
        return TransicionOutput(obj.transiciones(), many=True).data


class ExistenciaOutput(SalidaModelo):
    """Input stock of one input code."""

    operador = OperadorBreveOutput(read_only=True)
    ingresado = serializers.DecimalField(max_digits=24, decimal_places=6, read_only=True)
    saldo = serializers.DecimalField(source="saldo_total", max_digits=24, decimal_places=6, read_only=True)
    desperdicio = serializers.DecimalField(
        max_digits=24, decimal_places=6, read_only=True,
        help_text="Existencia de desperdicio recuperable que dejaron los productos compensados (por destruir, "
        "nacionalizar o reexportar).",
    )  # fmt: skip
    lotes_abiertos = serializers.IntegerField(read_only=True, help_text="Ítems de DAI con saldo.")
    proximo_vencimiento = serializers.DateField(read_only=True, allow_null=True)
    tributos_pendientes = serializers.DecimalField(max_digits=24, decimal_places=2, read_only=True)

    class Meta:
        model = CodigoInsumo
        fields = [
            "id", "codigo", "descripcion", "subpartida", "unidad", "operador", "ingresado", "saldo", "desperdicio",
            "lotes_abiertos", "proximo_vencimiento", "tributos_pendientes",
        ]  # fmt: skip


class SaldoOutput(SalidaModelo):
    """Input stock of one DAI line (lot)."""

    operador = OperadorBreveOutput(read_only=True)
    insumo = serializers.CharField(source="insumo.codigo")
    dai = serializers.CharField(source="linea.dai.numero")
    item = serializers.IntegerField(source="linea.numero")
    tributos_del_saldo = serializers.DecimalField(max_digits=24, decimal_places=2, read_only=True)

    class Meta:
        model = SaldoInsumo
        fields = [
            "id", "operador", "insumo", "dai", "item", "origen", "lote_origen", "cantidad_inicial", "saldo", "fecha_ingreso",
            "vence_el", "tributos_del_saldo",
        ]  # fmt: skip


class MovimientoOutput(SalidaModelo):
    class Meta:
        model = MovimientoInsumo
        fields = ["id", "saldo", "tipo", "cantidad", "saldo_resultante", "descripcion", "en"]


# --- Anexos compensatorios ------------------------------------------------------------------------------------


class LineaAnexoInput(serializers.Serializer):
    producto = serializers.CharField(max_length=30, required=False, allow_blank=True, help_text="Código de producto…")
    insumo = serializers.CharField(max_length=30, required=False, allow_blank=True, help_text="…o de insumo (uno solo).")
    cantidad = serializers.DecimalField(max_digits=18, decimal_places=6, min_value=Decimal("0.000001"))
    lotes = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list,
        help_text="Ids de saldos (ítems de DAI) de los que descargar, en orden. Vacío: los más antiguos primero.",
    )  # fmt: skip
    desperdicio = serializers.BooleanField(
        required=False, default=False,
        help_text="La línea dispone del desperdicio del insumo (existencia de desperdicio), no de su saldo: siempre en "
        "la destrucción de desperdicios (DAI 86); a elección en la nacionalización (DAI 10) y la reexportación (DAE 61).",
    )  # fmt: skip
    valor_declarado = serializers.DecimalField(
        max_digits=18, decimal_places=2, min_value=Decimal("0.01"), required=False, allow_null=True,
        help_text="Solo al nacionalizar desperdicio: su valor declarado en USD, base de los tributos.",
    )  # fmt: skip


class DeclaracionInput(serializers.Serializer):
    numero = serializers.CharField(max_length=30, help_text="distrito-año-régimen-secuencia")
    fecha = serializers.DateField()


class AnexoSimularInput(OperadorRucInput):
    tipo = serializers.ChoiceField(choices=AnexoCompensatorio.Tipo.choices)
    fecha = serializers.DateField(help_text="Fecha de la compensación: rige el cuadro insumo-producto de ese día.")
    fecha_declaracion = serializers.DateField(
        required=False, allow_null=True,
        help_text="Fecha de aceptación de la declaración que compensa: solo descargan saldos que ingresaron hasta ese "
        "día (salvo exportación anticipada autorizada). Vacía: la fecha de la compensación.",
    )  # fmt: skip
    perdida_fuerza_mayor = serializers.BooleanField(
        required=False, default=False, help_text="Solo DAI 87: la pérdida fue por fuerza mayor o caso fortuito (no tributa)."
    )
    lineas = LineaAnexoInput(many=True, allow_empty=False)


class AnexoCrearInput(AnexoSimularInput):
    fecha_declaracion = None  # the declaration's own date (declaracion.fecha)
    declaracion = DeclaracionInput(required=False, help_text="Obligatoria salvo en la cesión.")
    cesionario_ruc = serializers.CharField(max_length=20, required=False, help_text="Solo en la cesión.")
    observaciones = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)

    def validate_cesionario_ruc(self, valor: str):
        return OperadorRucInput.validate_operador_ruc(self, valor)


class CorreccionInput(serializers.Serializer):
    motivo = serializers.CharField(max_length=4000)
    lineas = LineaAnexoInput(many=True, allow_empty=False)


class AceptarCesionInput(ComentarioInput):
    garantia = serializers.CharField(max_length=30, help_text="Número GAR21-… de una garantía del cesionario.")


class TramoOutput(serializers.Serializer):
    saldo = serializers.IntegerField(source="lote.pk")
    dai = serializers.CharField(source="lote.linea.dai.numero")
    item = serializers.IntegerField(source="lote.linea.numero")
    cantidad = serializers.DecimalField(max_digits=18, decimal_places=6)
    restante = serializers.DecimalField(max_digits=18, decimal_places=6, help_text="Saldo del ítem después del descargo.")
    vence_el = serializers.DateField(source="lote.vence_el")
    genera = serializers.DecimalField(
        max_digits=18, decimal_places=6, help_text="Desperdicio recuperable que este descargo deja como existencia."
    )


class ResumenInsumoOutput(serializers.Serializer):
    insumo = serializers.CharField(source="insumo.codigo")
    desperdicio = serializers.BooleanField(help_text="Resumen de la existencia de desperdicio del insumo, no de su saldo.")
    unidad = serializers.CharField(source="insumo.unidad")
    requerido = serializers.DecimalField(max_digits=18, decimal_places=6)
    disponible = serializers.DecimalField(max_digits=18, decimal_places=6)
    descargado = serializers.DecimalField(max_digits=18, decimal_places=6)
    restante = serializers.DecimalField(max_digits=18, decimal_places=6)
    faltante = serializers.DecimalField(max_digits=18, decimal_places=6)
    genera = serializers.DecimalField(
        max_digits=18, decimal_places=6, help_text="Desperdicio recuperable que quedará como existencia al aplicarse."
    )
    tramos = TramoOutput(many=True)


class VencimientoOutput(serializers.Serializer):
    saldo = serializers.IntegerField(source="pk")
    insumo = serializers.CharField(source="insumo.codigo")
    dai = serializers.CharField(source="linea.dai.numero")
    saldo_despues = serializers.DecimalField(max_digits=18, decimal_places=6)
    vence_el = serializers.DateField()


class LiquidacionOutput(serializers.Serializer):
    saldo = serializers.IntegerField(source="lote.pk")
    cantidad = serializers.DecimalField(max_digits=18, decimal_places=6)
    cif = serializers.DecimalField(max_digits=18, decimal_places=2)
    ad_valorem = serializers.DecimalField(max_digits=18, decimal_places=2)
    fodinfa = serializers.DecimalField(max_digits=18, decimal_places=2)
    ice = serializers.DecimalField(max_digits=18, decimal_places=2)
    iva = serializers.DecimalField(max_digits=18, decimal_places=2)
    interes = serializers.DecimalField(max_digits=18, decimal_places=2, help_text="Interés de las tasas generales.")
    dias_interes = serializers.IntegerField(help_text="Días desde la salida autorizada (0 sin tasa de interés).")
    desperdicio = serializers.BooleanField(help_text="Desperdicio liquidado sobre su valor declarado.")
    total = serializers.DecimalField(max_digits=18, decimal_places=2)


class SimulacionOutput(serializers.Serializer):
    """The dry run: `valido` false with `errores` per field when it could not be discharged."""

    valido = serializers.BooleanField()
    errores = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    insumos = serializers.SerializerMethodField()
    proximos_vencimientos = VencimientoOutput(many=True)
    tributos = LiquidacionOutput(source="liquidaciones", many=True)
    total_tributos = serializers.DecimalField(max_digits=18, decimal_places=2)
    total_interes = serializers.DecimalField(max_digits=18, decimal_places=2)
    exento = serializers.CharField(help_text="Por qué una pérdida no paga tributos (vacío si paga o no aplica).")

    @extend_schema_field(ResumenInsumoOutput(many=True))
    def get_insumos(self, plan) -> list[dict]:
        return ResumenInsumoOutput(list(plan.insumos.values()), many=True).data


class LineaAnexoOutput(SalidaModelo):
    producto = serializers.CharField(source="producto.codigo", allow_null=True, default=None)
    insumo = serializers.CharField(source="insumo.codigo", allow_null=True, default=None)
    version = serializers.IntegerField(source="version.numero", allow_null=True, default=None)
    correccion = serializers.IntegerField(source="correccion.numero", allow_null=True, default=None)

    class Meta:
        model = LineaAnexo
        fields = ["numero", "producto", "insumo", "desperdicio", "cantidad", "valor_declarado", "version", "lotes", "correccion"]


class MovimientoAnexoOutput(MovimientoOutput):
    dai = serializers.CharField(source="saldo.linea.dai.numero")
    insumo = serializers.CharField(source="saldo.insumo.codigo")
    titular = serializers.CharField(source="saldo.operador.ruc")

    class Meta(MovimientoOutput.Meta):
        fields = [*MovimientoOutput.Meta.fields, "dai", "insumo", "titular"]


class AnexoOutput(SalidaModelo):
    operador = OperadorBreveOutput(read_only=True)
    cesionario = OperadorBreveOutput(read_only=True, allow_null=True)
    declaracion = serializers.CharField(source="declaracion.numero", allow_null=True, default=None)
    estado_nombre = NombreDeOpcion()

    class Meta:
        model = AnexoCompensatorio
        fields = [
            "id", "numero", "tipo", "estado", "estado_nombre", "operador", "declaracion", "cesionario", "aceptar_hasta",
            "fecha", "perdida_fuerza_mayor", "total_tributos", "registrado_en", "aplicado_en",
        ]  # fmt: skip


class AnexoDetalleOutput(_DetalleMixin, AnexoOutput):
    lineas = serializers.SerializerMethodField()
    movimientos = serializers.SerializerMethodField()

    class Meta(AnexoOutput.Meta):
        fields = [*AnexoOutput.Meta.fields, "lineas", "movimientos", "transiciones", "adjuntos"]

    @extend_schema_field(LineaAnexoOutput(many=True))
    def get_lineas(self, obj) -> list[dict]:
        from ..selectors import anexo_detalle

        detalle = anexo_detalle(obj)
        return LineaAnexoOutput([*detalle["lineas"], *detalle["lineas_historicas"]], many=True).data

    @extend_schema_field(MovimientoAnexoOutput(many=True))
    def get_movimientos(self, obj) -> list[dict]:
        return MovimientoAnexoOutput(
            obj.movimientos.select_related("saldo__linea__dai", "saldo__insumo", "saldo__operador"), many=True
        ).data
