"""Browser forms of the régimen 21: shape and format only; the services decide and write."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone

from tramites.forms import ArchivosField, CampoDecimal, FormularioPortal
from tramites.models import Distrito

from .models import AnexoCompensatorio, CodigoInsumo, CodigoProducto, Garantia, SaldoInsumo, SolicitudAutorizacion, Unidad
from .models.base import CODIGO, SUBPARTIDA

FECHA = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SolicitudForm(FormularioPortal):
    modalidad = forms.ChoiceField(choices=SolicitudAutorizacion.Modalidad.choices, widget=forms.RadioSelect)
    operacion = forms.ChoiceField(
        label="Operación de perfeccionamiento", choices=SolicitudAutorizacion.Operacion.choices, widget=forms.RadioSelect
    )
    descripcion_proceso = forms.CharField(
        label="Descripción del proceso productivo",
        min_length=40,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Qué se hace con las mercancías importadas, dónde, con qué maquinaria y qué productos resultan.",
    )
    mercancias = forms.CharField(
        label="Mercancías que importará",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Insumos y materias primas, con sus subpartidas arancelarias.",
    )
    productos = forms.CharField(
        label="Productos compensadores", widget=forms.Textarea(attrs={"rows": 3}), help_text="Qué exportará y a qué mercados."
    )
    plazo_solicitado_meses = forms.IntegerField(
        label="Plazo solicitado (meses)", min_value=1, max_value=12, help_text="De 1 a 12 meses; se puede prorrogar una vez."
    )
    adjuntos = ArchivosField(
        label="Documentos del proceso productivo",
        required=False,
        help_text="Fichas técnicas, diagramas de proceso, contratos de maquila (PDF, PNG o JPEG).",
    )


class ProrrogaForm(FormularioPortal):
    meses = forms.IntegerField(label="Meses de prórroga", min_value=1, max_value=12)
    comentario = forms.CharField(
        label="Justificación", widget=forms.Textarea(attrs={"rows": 4}), help_text="Por qué necesita más tiempo."
    )


class ComentarioForm(FormularioPortal):
    comentario = forms.CharField(label="Comentario", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class GarantiaForm(FormularioPortal):
    autorizacion = forms.ModelChoiceField(
        label="Solicitud o autorización que garantiza", queryset=SolicitudAutorizacion.objects.none()
    )
    tipo = forms.ChoiceField(choices=Garantia.Tipo.choices, widget=forms.RadioSelect)
    operacion = forms.CharField(
        label="Operación cubierta", max_length=200, required=False, help_text="Solo para garantías específicas."
    )
    forma = forms.ChoiceField(choices=Garantia.Forma.choices)
    entidad_emisora = forms.CharField(label="Aseguradora o banco", max_length=150)
    numero_documento = forms.CharField(label="Número de póliza o de garantía", max_length=60)
    monto = CampoDecimal(label="Monto (USD)", min_value=Decimal("0.01"), max_digits=18, decimal_places=2)
    vigencia_desde = forms.DateField(label="Vigente desde", widget=FECHA)
    vigencia_hasta = forms.DateField(label="Vigente hasta", widget=FECHA)
    adjuntos = ArchivosField(label="Documento de la garantía", help_text="La póliza o la carta de garantía, firmada.")

    def __init__(self, *args, autorizaciones=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if autorizaciones is not None:
            self.fields["autorizacion"].queryset = autorizaciones

    def clean(self) -> dict:
        datos = super().clean()
        if datos.get("tipo") == Garantia.Tipo.ESPECIFICA and not datos.get("operacion"):
            self.add_error("operacion", "Indique qué operación cubre la garantía específica.")
        desde, hasta = datos.get("vigencia_desde"), datos.get("vigencia_hasta")
        if desde and hasta and hasta <= desde:
            self.add_error("vigencia_hasta", "La fecha final debe ser posterior a la inicial.")
        return datos


class ModificacionGarantiaForm(FormularioPortal):
    monto = CampoDecimal(label="Nuevo monto (USD)", min_value=Decimal("0.01"), max_digits=18, decimal_places=2)
    vigencia_hasta = forms.DateField(label="Nueva fecha final", widget=FECHA)
    comentario = forms.CharField(label="Motivo", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class CodigoForm(FormularioPortal):
    codigo = forms.CharField(label="Código", max_length=30, help_text="Letras, dígitos, punto, guion o guion bajo.")
    descripcion = forms.CharField(label="Descripción", max_length=250)
    subpartida = forms.CharField(
        label="Subpartida arancelaria", max_length=13, help_text="10 dígitos; puede escribirlos con puntos (5208.12.00.00)."
    )
    unidad = forms.ChoiceField(label="Unidad de medida", choices=Unidad.choices)

    def clean_codigo(self) -> str:
        valor = self.cleaned_data["codigo"].strip().upper()
        CODIGO(valor)
        return valor

    def clean_subpartida(self) -> str:
        valor = self.cleaned_data["subpartida"].replace(".", "").replace(" ", "")
        SUBPARTIDA(valor)
        return valor


class VersionForm(FormularioPortal):
    vigente_desde = forms.DateField(label="En vigor desde", widget=FECHA, initial=timezone.localdate)
    justificacion = forms.CharField(
        label="Justificación técnica",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="De dónde salen los coeficientes: pruebas de producción, fichas técnicas.",
    )


class CoeficienteForm(forms.Form):
    insumo = forms.ModelChoiceField(label="Insumo", queryset=CodigoInsumo.objects.none())
    coeficiente = CampoDecimal(
        label="Coeficiente", max_digits=18, decimal_places=8, help_text="Insumo por unidad de producto, desperdicio incluido."
    )
    desperdicio = CampoDecimal(
        label="Del cual, desperdicio", max_digits=18, decimal_places=8, required=False, min_value=Decimal(0)
    )

    def __init__(self, *args, insumos=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if insumos is not None:
            self.fields["insumo"].queryset = insumos

    def clean_coeficiente(self) -> Decimal:
        valor = self.cleaned_data["coeficiente"]
        if valor <= 0:
            raise forms.ValidationError("El coeficiente debe ser mayor que cero.")
        return valor


CoeficienteFormSet = forms.formset_factory(CoeficienteForm, extra=4, min_num=1, validate_min=True)


class DAIForm(FormularioPortal):
    distrito = forms.ModelChoiceField(label="Distrito aduanero", queryset=Distrito.objects.filter(activo=True))
    autorizacion = forms.ModelChoiceField(label="Autorización del régimen 21", queryset=SolicitudAutorizacion.objects.none())
    garantia = forms.ModelChoiceField(label="Garantía", queryset=Garantia.objects.none())
    documento_transporte = forms.CharField(label="Documento de transporte (BL o guía aérea)", max_length=40)

    def __init__(self, *args, operador=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if operador is not None:
            self.fields["autorizacion"].queryset = SolicitudAutorizacion.objects.filter(
                operador=operador, estado__in=SolicitudAutorizacion.VIGENTES
            )
            self.fields["garantia"].queryset = Garantia.objects.filter(operador=operador, estado__in=Garantia.QUE_CUBREN)
            for campo in ("autorizacion", "garantia"):
                opciones = list(self.fields[campo].queryset[:2])
                if len(opciones) == 1 and not self.initial.get(campo):
                    self.initial[campo] = opciones[0].pk


class LineaDAIForm(forms.Form):
    insumo = forms.ModelChoiceField(label="Código de insumo", queryset=CodigoInsumo.objects.none())
    subpartida = forms.CharField(label="Subpartida", max_length=13)
    descripcion = forms.CharField(label="Descripción comercial", max_length=250, required=False)
    pais_origen = forms.CharField(label="País de origen", max_length=2, min_length=2, help_text="ISO, 2 letras")
    cantidad = CampoDecimal(label="Cantidad", max_digits=18, decimal_places=6, min_value=Decimal("0.000001"))
    unidad = forms.ChoiceField(label="Unidad", choices=[("", "—"), *Unidad.choices])
    fob = CampoDecimal(label="FOB (USD)", max_digits=18, decimal_places=2, min_value=Decimal("0.01"))
    flete = CampoDecimal(
        label="Flete (USD)", max_digits=18, decimal_places=2, min_value=Decimal(0), required=False, help_text="Vacío: 0"
    )
    seguro = CampoDecimal(
        label="Seguro (USD)", max_digits=18, decimal_places=2, min_value=Decimal(0), required=False, help_text="Vacío: presuntivo"
    )

    def __init__(self, *args, insumos=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if insumos is not None:
            self.fields["insumo"].queryset = insumos

    def clean_pais_origen(self) -> str:
        return self.cleaned_data["pais_origen"].upper()


LineaDAIFormSet = forms.formset_factory(LineaDAIForm, extra=3, min_num=1, validate_min=True)


class AnexoForm(FormularioPortal):
    tipo = forms.ChoiceField(label="Tipo de compensación", choices=AnexoCompensatorio.Tipo.choices, widget=forms.RadioSelect)
    fecha = forms.DateField(
        label="Fecha de la compensación", widget=FECHA, initial=timezone.localdate,
        help_text="Día de la exportación, reexportación, nacionalización, pérdida o destrucción; rige el cuadro de ese día.",
    )  # fmt: skip
    declaracion_numero = forms.CharField(
        label="Número de la declaración (DAE o DAI)", max_length=30, required=False,
        help_text="distrito-año-régimen-secuencia, p. ej. 028-2026-40-00000917. No aplica a la cesión.",
    )  # fmt: skip
    declaracion_fecha = forms.DateField(label="Fecha de aceptación de la declaración", widget=FECHA, required=False)
    cesionario_ruc = forms.CharField(label="RUC del cesionario", max_length=20, required=False, help_text="Solo para la cesión.")
    perdida_fuerza_mayor = forms.BooleanField(
        label="La pérdida fue por fuerza mayor o caso fortuito", required=False,
        help_text="Solo en pérdida o destrucción (DAI 87): con la evidencia que lo pruebe no se pagan los tributos "
        "suspendidos; si no, se liquidan como en la nacionalización.",
    )  # fmt: skip
    observaciones = forms.CharField(label="Observaciones", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    adjuntos = ArchivosField(
        label="Evidencia", required=False,
        help_text="Obligatoria en pérdida o destrucción y en desperdicios: actas, fotos, informe del perito.",
    )  # fmt: skip

    def clean(self) -> dict:
        datos = super().clean()
        tipo = datos.get("tipo")
        if tipo == AnexoCompensatorio.Tipo.CESION:
            if not datos.get("cesionario_ruc"):
                self.add_error("cesionario_ruc", "Indique el RUC del operador que recibe la cesión.")
        elif tipo:
            for campo in ("declaracion_numero", "declaracion_fecha"):
                if not datos.get(campo):
                    self.add_error(campo, "Este dato es obligatorio para esta compensación.")
        return datos


class LineaAnexoForm(forms.Form):
    producto = forms.ModelChoiceField(label="Producto", queryset=CodigoProducto.objects.none(), required=False)
    insumo = forms.ModelChoiceField(label="o insumo", queryset=CodigoInsumo.objects.none(), required=False)
    desperdicio = forms.BooleanField(
        label="Desperdicio", required=False, help_text="Del desperdicio del insumo (DAI 86, 10 o DAE 61), no de su saldo."
    )
    cantidad = CampoDecimal(label="Cantidad", max_digits=18, decimal_places=6, min_value=Decimal("0.000001"))
    valor_declarado = CampoDecimal(
        label="Valor declarado (USD)", required=False, max_digits=18, decimal_places=2, min_value=Decimal("0.01"),
        help_text="Solo al nacionalizar desperdicio.",
    )  # fmt: skip
    lote = forms.ModelChoiceField(
        label="Ítem de DAI (opcional)",
        queryset=SaldoInsumo.objects.none(),
        required=False,
        empty_label="Los más antiguos primero",
    )

    def __init__(self, *args, productos=None, insumos=None, lotes=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for campo, qs in (("producto", productos), ("insumo", insumos), ("lote", lotes)):
            if qs is not None:
                self.fields[campo].queryset = qs
        self.fields["lote"].label_from_instance = etiqueta_lote

    def clean(self) -> dict:
        datos = super().clean()
        if bool(datos.get("producto")) == bool(datos.get("insumo")):
            raise forms.ValidationError("Elija un producto o un insumo (uno solo).")
        return datos

    def como_linea(self) -> dict:
        d = self.cleaned_data
        return {
            "producto": d.get("producto"),
            "insumo": d.get("insumo"),
            "cantidad": d["cantidad"],
            "lotes": [d["lote"].pk] if d.get("lote") else [],
            "desperdicio": bool(d.get("desperdicio")),
            "valor_declarado": d.get("valor_declarado"),
        }


def etiqueta_lote(lote: SaldoInsumo) -> str:
    dai = f"DAI {lote.linea.dai.numero} ítem {lote.linea.numero}"
    que = f"desperdicio de {lote.insumo.codigo}" if lote.es_desperdicio else lote.insumo.codigo
    return f"{dai} · {que} · saldo {lote.saldo.normalize():f} · vence {lote.vence_el:%d/%m/%Y}"


LineaAnexoFormSet = forms.formset_factory(LineaAnexoForm, extra=3, min_num=1, validate_min=True)


class AceptarCesionForm(FormularioPortal):
    garantia = forms.ModelChoiceField(
        label="Garantía que respalda los saldos recibidos", queryset=Garantia.objects.none(),
        help_text="Debe tener cobertura libre para los tributos suspendidos que recibe.",
    )  # fmt: skip
    comentario = forms.CharField(label="Comentario", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, garantias=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if garantias is not None:
            self.fields["garantia"].queryset = garantias


class CorreccionAnexoForm(FormularioPortal):
    motivo = forms.CharField(label="Motivo de la corrección", widget=forms.Textarea(attrs={"rows": 3}))
