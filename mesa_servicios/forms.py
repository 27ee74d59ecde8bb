"""Browser forms of the desk: shape and format only (the services check the domain rules and say why)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import SetPasswordForm

from tramites.forms import ArchivosField, FormularioPortal
from tramites.models import Distrito

from .models import Motivo, Ticket

AYUDA_CAPTURAS = (
    "Capturas de pantalla de cada opción o acción que realizó antes del incidente, en las que se vean la fecha y la "
    "hora (PNG, JPEG o un PDF con todas). Máximo 10 MB cada una."
)


class _Contacto(FormularioPortal):
    asunto = forms.CharField(label="Asunto", max_length=200, help_text="Una frase que resuma su requerimiento.")
    descripcion = forms.CharField(
        label="Descripción",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Redacción clara, completa y sucinta: qué hizo, qué esperaba y qué ocurrió.",
    )


class IncidenteForm(_Contacto):
    pantalla_opcion = forms.CharField(
        label="Campo, pantalla u opción de ECUAPASS",
        max_length=250,
        help_text="El nombre completo, tal como aparece. Ej.: «Trámites operativos > 1.1.2 Formulario de solicitud categoría».",
    )
    modulo = forms.ChoiceField(label="Sistema", choices=[("", "— Elija —"), *Ticket.Modulo.choices])
    ocurrido_en = forms.DateTimeField(
        label="Fecha y hora exacta del incidente",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )
    distrito = forms.ModelChoiceField(
        label="Distrito aduanero", queryset=Distrito.objects.filter(activo=True), empty_label="— Elija —"
    )
    referencia = forms.CharField(label="Número de trámite o declaración", max_length=60, required=False, help_text="Si aplica.")
    telefono_contacto = forms.CharField(label="Teléfono de contacto", max_length=20)
    adjuntos = ArchivosField(label="Capturas de pantalla", help_text=AYUDA_CAPTURAS)
    capturas_con_fecha = forms.BooleanField(
        label="Confirmo que en las capturas se ven la fecha y la hora del incidente",
        error_messages={"required": "Confirme que en las capturas se ven la fecha y la hora del incidente."},
    )

    field_order = [
        "pantalla_opcion",
        "modulo",
        "ocurrido_en",
        "distrito",
        "referencia",
        "asunto",
        "descripcion",
        "telefono_contacto",
        "adjuntos",
        "capturas_con_fecha",
    ]


class ConsultaForm(_Contacto):
    motivo = forms.ModelChoiceField(label="Motivo", queryset=Motivo.objects.none(), empty_label="— Elija el motivo —")
    adjuntos = ArchivosField(
        label="Documentos de soporte", required=False, help_text="Según el motivo elegido (PDF, PNG o JPEG; 10 MB cada uno)."
    )
    field_order = ["motivo", "asunto", "descripcion", "adjuntos"]

    def __init__(self, *args, motivos=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["motivo"].queryset = motivos if motivos is not None else Motivo.objects.filter(activo=True)


class QuejaForm(_Contacto):
    tramite = forms.ChoiceField(label="Trámite sobre el que se queja", choices=[("", "— Elija —"), *Ticket.Tramite.choices])
    adjuntos = ArchivosField(label="Documentos de soporte", required=False)
    field_order = ["tramite", "asunto", "descripcion", "adjuntos"]


class MensajeForm(FormularioPortal):
    texto = forms.CharField(label="Su mensaje", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    adjuntos = ArchivosField(label="Archivos", required=False)


class NoConformeForm(FormularioPortal):
    comentario = forms.CharField(
        label="¿Por qué no está conforme?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Se abrirá un ticket nuevo, vinculado a este, con su explicación.",
    )
    adjuntos = ArchivosField(label="Archivos", required=False)


class LlamadaForm(FormularioPortal):
    """An official records a phone call as a ticket for the caller."""

    email = forms.EmailField(label="Correo del usuario", help_text="Si no tiene cuenta, se crea una inactiva con este correo.")
    nombre = forms.CharField(label="Nombre del usuario", max_length=150, required=False)
    telefono_contacto = forms.CharField(label="Teléfono de contacto", max_length=20)
    tipo = forms.ChoiceField(label="Tipo", choices=Ticket.Tipo.choices, initial=Ticket.Tipo.CONSULTA)
    motivo = forms.ModelChoiceField(label="Motivo (consultas)", queryset=Motivo.objects.filter(activo=True), required=False)
    tramite = forms.ChoiceField(label="Trámite (quejas)", choices=[("", "—"), *Ticket.Tramite.choices], required=False)
    pantalla_opcion = forms.CharField(label="Campo, pantalla u opción (incidentes)", max_length=250, required=False)
    modulo = forms.ChoiceField(label="Sistema (incidentes)", choices=[("", "—"), *Ticket.Modulo.choices], required=False)
    ocurrido_en = forms.DateTimeField(
        label="Fecha y hora del incidente",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )
    distrito = forms.ModelChoiceField(
        label="Distrito (incidentes)", queryset=Distrito.objects.filter(activo=True), required=False
    )
    asunto = forms.CharField(label="Asunto", max_length=200)
    descripcion = forms.CharField(label="Lo que el usuario reporta o consulta", widget=forms.Textarea(attrs={"rows": 5}))
    adjuntos = ArchivosField(label="Archivos", required=False)
    respuesta_inmediata = forms.CharField(
        label="Respuesta dada en la llamada",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Si la absolvió por teléfono, escriba la respuesta: el ticket queda respondido. Si no, déjelo vacío.",
    )


class ActivarCuentaForm(SetPasswordForm):
    pass
