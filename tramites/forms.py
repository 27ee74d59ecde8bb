"""Browser forms: shape and format only. Writes happen in services."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from .models import AgenteAduana, Operador
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
