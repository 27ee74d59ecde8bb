"""Browser forms: shape and format only. Writes happen in services."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from .models import AgenteAduana, Operador
from .numeros import NumeroInvalido, formatear_decimal, interpretar_decimal
from .validators import normalizar_cedula, normalizar_ruc, verificar_archivo


class FormularioPortal(forms.Form):
    """Adds `aria-describedby`/`aria-invalid` so screen readers announce each field's errors."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for nombre, campo in self.fields.items():
            campo.widget.attrs.setdefault("aria-describedby", f"ayuda-{nombre} error-{nombre}")

    def full_clean(self) -> None:
        super().full_clean()
        for nombre in self.errors:
            if nombre in self.fields:
                self.fields[nombre].widget.attrs["aria-invalid"] = "true"

    def agregar_errores(self, errores: dict[str, list[str]]) -> None:
        for campo, mensajes in errores.items():
            for mensaje in mensajes:
                self.add_error(campo if campo in self.fields else None, mensaje)

    def ejecutar(self, servicio, /, **kwargs):
        """Call a service with this form's data; a domain error becomes this form's error (on its field when
        it names one, else at the top of the error summary). Returns the service's result, or None on error."""
        from .exceptions import DatosInvalidos, ErrorDeNegocio

        try:
            return servicio(**kwargs)
        except DatosInvalidos as e:
            self.agregar_errores(e.errores)
            if not e.errores:
                self.add_error(None, str(e))
        except ErrorDeNegocio as e:
            self.add_error(e.campo if e.campo in self.fields else None, str(e))
        return None


class RegistroForm(FormularioPortal):
    TIPO_CUENTA = [
        ("ciudadano", "Ciudadano o usuario en general"),
        ("operador", "Representante de un operador de comercio exterior (OCE)"),
    ]

    tipo_cuenta = forms.ChoiceField(label="Tipo de cuenta", choices=TIPO_CUENTA, widget=forms.RadioSelect, initial="ciudadano")
    first_name = forms.CharField(label="Nombres", max_length=150)
    last_name = forms.CharField(label="Apellidos", max_length=150)
    cedula = forms.CharField(label="Cédula", max_length=13, required=False, help_text="10 dígitos. Opcional para extranjeros.")
    email = forms.EmailField(label="Correo electrónico", help_text="Será su usuario para ingresar.")
    telefono = forms.CharField(label="Teléfono", max_length=20, required=False)
    ruc = forms.CharField(label="RUC del operador", max_length=20, required=False, help_text="13 dígitos. Solo para operadores.")
    razon_social = forms.CharField(label="Razón social", max_length=200, required=False)
    tipo_operador = forms.ChoiceField(label="Tipo de operador", choices=Operador.Tipo.choices, required=False)
    password1 = forms.CharField(
        label="Contraseña", widget=forms.PasswordInput, help_text="Al menos 10 caracteres; no solo números."
    )
    password2 = forms.CharField(label="Repita la contraseña", widget=forms.PasswordInput)

    def clean_cedula(self) -> str:
        valor = self.cleaned_data["cedula"]
        return normalizar_cedula(valor) if valor else ""

    def clean_ruc(self) -> str:
        valor = self.cleaned_data["ruc"]
        return normalizar_ruc(valor) if valor else ""

    def clean(self) -> dict:
        datos = super().clean()
        from django.contrib.auth.password_validation import validate_password

        if datos.get("password1") and datos.get("password2") and datos["password1"] != datos["password2"]:
            self.add_error("password2", "Las contraseñas no coinciden.")
        elif datos.get("password1"):
            try:
                validate_password(datos["password1"])
            except ValidationError as e:
                self.add_error("password1", e)
        if datos.get("tipo_cuenta") == "operador":
            if not datos.get("ruc") and "ruc" not in self.errors:
                self.add_error("ruc", "Indique el RUC del operador.")
            if not datos.get("razon_social"):
                self.add_error("razon_social", "Indique la razón social del operador.")
        return datos


class DelegacionForm(FormularioPortal):
    agente = forms.ModelChoiceField(label="Agente de aduana", queryset=AgenteAduana.objects.filter(activo=True))
    desde = forms.DateField(label="Vigente desde", widget=forms.DateInput(attrs={"type": "date"}))
    hasta = forms.DateField(
        label="Vigente hasta",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Déjelo vacío para una delegación sin fecha final.",
    )

    def clean(self) -> dict:
        datos = super().clean()
        if datos.get("desde") and datos.get("hasta") and datos["hasta"] < datos["desde"]:
            self.add_error("hasta", "La fecha final no puede ser anterior a la inicial.")
        return datos


class TokenForm(FormularioPortal):
    nombre = forms.CharField(label="Nombre del software cliente", max_length=100)


class WebhookForm(FormularioPortal):
    webhook_url = forms.URLField(
        label="URL de webhook",
        required=False,
        assume_scheme="https",
        help_text="Recibirá un POST firmado por cada cambio de estado de los trámites de sus operadores. Vacío: no enviar.",
    )


class ArchivosField(forms.FileField):
    """A file input that accepts several files and validates each one (size and real type)."""

    class Widget(forms.ClearableFileInput):
        allow_multiple_selected = True

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", self.Widget(attrs={"multiple": True, "accept": ".pdf,.png,.jpg,.jpeg"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        unico = super().clean
        if isinstance(data, (list, tuple)):
            archivos = [unico(d, initial) for d in data]
        else:
            archivos = [unico(data, initial)] if data else []
        archivos = [a for a in archivos if a]
        if self.required and not archivos:
            raise ValidationError(self.error_messages["required"], code="required")
        for archivo in archivos:
            verificar_archivo(archivo)
        return archivos


class EntradaDecimal(forms.TextInput):
    """A text box with the numeric keyboard on phones: `type="number"` would let the browser drop or reinterpret a
    comma by its own locale (issue 14: `1000,50` became `100050` in Spanish Chromium), so the server reads it."""

    def __init__(self, attrs=None) -> None:
        super().__init__({"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false", **(attrs or {})})


class CampoDecimal(forms.DecimalField):
    """Every decimal input of the portal (pages and admin): reads `1000,50`, `1.000,50` and `1000.50` with
    `tramites.numeros.interpretar_decimal`, refuses an ambiguous `1.000` with a message that names the field,
    keeps Django's `max_digits`/`decimal_places`/`min_value`/`max_value` checks with messages that say what to
    write, and shows values back as `1.000,50`."""

    widget = EntradaDecimal

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, Decimal):
            return value
        try:
            numero = interpretar_decimal(str(value))
        except NumeroInvalido as e:
            mensaje = e.mensaje(self._nombre())
            if e.code == "invalido":
                mensaje += " Escríbalo con coma decimal, por ejemplo 1.000,50 o 1000,50."
            raise ValidationError(mensaje, code=e.code) from None
        return numero

    def run_validators(self, value) -> None:
        try:
            super().run_validators(value)
        except ValidationError as e:
            raise ValidationError([self._explicar(error) for error in e.error_list]) from None

    def prepare_value(self, value):
        if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
            return formatear_decimal(value, minimo_decimales=self._minimo_decimales())
        if isinstance(value, str) and value.strip():
            try:
                return formatear_decimal(interpretar_decimal(value), minimo_decimales=self._minimo_decimales())
            except NumeroInvalido:
                return value  # shown as typed, next to its error
        return value

    def _nombre(self) -> str | None:
        return str(self.label) if self.label else None

    def _minimo_decimales(self) -> int:
        return 2 if self.decimal_places is None else min(2, self.decimal_places)

    def _ejemplo(self) -> Decimal:
        return Decimal("12.5") if self.max_value is not None and self.max_value < 1000 else Decimal("1000.5")

    def _explicar(self, error: ValidationError) -> ValidationError:
        """Django's validator messages («Asegúrese de que…», limits printed as 0.000001) in the portal's words."""
        prefijo = f"En «{self._nombre()}», " if self._nombre() else ""
        codigo = error.code
        params = error.params or {}
        limite = params.get("limit_value")
        paso = Decimal(1).scaleb(-(self.decimal_places or 0))
        if codigo == "min_value" and limite == 0:
            texto = "escriba 0 o un valor positivo."
        elif codigo == "min_value" and self.decimal_places is not None and limite == paso and params.get("value", 0) <= 0:
            texto = "escriba un valor mayor que cero."
        elif codigo == "min_value":
            texto = f"escriba un valor de al menos {formatear_decimal(limite, minimo_decimales=0)}."
        elif codigo == "max_value":
            texto = f"escriba un valor de hasta {formatear_decimal(limite, minimo_decimales=0)}."
        elif codigo == "max_decimal_places":
            n = params["max"]
            texto = (
                "escriba un número entero, sin decimales."
                if n == 0
                else f"escriba como máximo {n} {'decimal' if n == 1 else 'decimales'} después de la coma "
                f"(por ejemplo {formatear_decimal(self._ejemplo(), minimo_decimales=min(n, 2))})."
            )
        elif codigo == "max_whole_digits":
            texto = f"escriba como máximo {params['max']} cifras antes de la coma decimal."
        elif codigo == "max_digits":
            texto = f"escriba como máximo {params['max']} cifras en total."
        else:
            return error
        mensaje = prefijo + texto
        return ValidationError(mensaje[0].upper() + mensaje[1:], code=codigo)
