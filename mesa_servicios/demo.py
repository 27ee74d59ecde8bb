"""Demo data of the Mesa de Servicios: believable tickets in every state, filed and handled through the real
services (so numbers, routing, SLA clocks, timelines and notifications are all genuine)."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from tramites.calendario import sumar_horas_habiles
from tramites.models import Distrito, Usuario

from .models import Motivo, Ticket
from .services import correo, sla, tickets


def captura_png(texto: str, momento: datetime) -> bytes:
    """A small fake ECUAPASS screenshot with the date and time visible (as the desk requires)."""
    from PIL import Image, ImageDraw, ImageFont

    imagen = Image.new("RGB", (640, 240), "#f3f5f8")
    dibujo = ImageDraw.Draw(imagen)
    fuente = ImageFont.load_default(size=16)
    dibujo.rectangle([0, 0, 640, 36], fill="#1f4e8c")
    dibujo.text((12, 9), "ECUAPASS — Portal externo", fill="white", font=fuente)
    dibujo.text((430, 9), timezone.localtime(momento).strftime("%d/%m/%Y %H:%M:%S"), fill="white", font=fuente)
    dibujo.rectangle([40, 80, 600, 180], outline="#b00020", width=3, fill="white")
    dibujo.text((60, 100), "Error", fill="#b00020", font=ImageFont.load_default(size=20))
    dibujo.text((60, 135), texto[:60], fill="#1b1f24", font=fuente)
    salida = io.BytesIO()
    imagen.save(salida, format="PNG")
    return salida.getvalue()


def _incidente(solicitante, asunto, descripcion, pantalla, hace_horas, ahora, distrito="028"):
    ocurrido = ahora - timedelta(hours=hace_horas)
    return tickets.ticket_registrar(
        tipo=Ticket.Tipo.INCIDENTE,
        solicitante=solicitante,
        asunto=asunto,
        descripcion=descripcion,
        pantalla_opcion=pantalla,
        modulo=Ticket.Modulo.PORTAL_EXTERNO,
        ocurrido_en=ocurrido,
        distrito=Distrito.objects.get(codigo=distrito),
        telefono_contacto="0991234567",
        archivos=[SimpleUploadedFile("captura-error.png", captura_png(asunto, ocurrido), "image/png")],
        ahora=ahora,
    )


def _consulta(solicitante, motivo, asunto, descripcion, ahora, **extra):
    return tickets.ticket_registrar(
        tipo=Ticket.Tipo.CONSULTA,
        solicitante=solicitante,
        motivo=Motivo.objects.get(codigo=motivo),
        asunto=asunto,
        descripcion=descripcion,
        ahora=ahora,
        **extra,
    )


@transaction.atomic
def sembrar(stdout) -> None:
    u = {
        nombre: Usuario.objects.get(username=nombre)
        for nombre in ["mesa", "analisis", "supervisor", "ciudadano", "oce", "agente"]
    }
    ahora = timezone.now()
    ayer = sumar_horas_habiles(ahora - timedelta(days=3), 1)

    # Incidents (Jefatura de Análisis Funcional)
    _incidente(
        u["oce"],
        "Error al firmar la DAI 21",
        "Al firmar electrónicamente la DAI de régimen 21 aparece «Error 500: no se pudo validar la firma». "
        "El token está vigente y funciona en otras opciones.",
        "Trámites operativos > Elaboración de e-Doc. Operativo > Declaración Aduanera de Importación (DAI)",
        2,
        ahora,
    )
    t = _incidente(
        u["agente"],
        "No carga la consulta de estado de trámites",
        "La opción 1.3 Integración de estados del trámite se queda cargando y luego muestra pantalla en blanco.",
        "Consultas > 1.3 Integración de estados del trámite",
        5,
        ahora,
        distrito="055",
    )
    tickets.ticket_tomar(ticket_id=t.pk, por=u["analisis"])
    caida = _incidente(
        u["oce"],
        "ECUAPASS no responde al transmitir",
        "Desde las 09h00 ninguna transmisión de declaraciones es aceptada: «Servicio no disponible».",
        "Trámites operativos > Transmisión de declaraciones",
        3,
        ahora,
    )
    tickets.ticket_tomar(ticket_id=caida.pk, por=u["analisis"])
    for n, quien in enumerate([u["agente"], u["ciudadano"], u["oce"]], start=1):
        dup = _incidente(
            quien,
            f"Servicio no disponible al transmitir (reporte {n})",
            "Al transmitir la declaración el sistema responde «Servicio no disponible». Lo intenté varias veces.",
            "Trámites operativos > Transmisión de declaraciones",
            3,
            ahora,
        )
        tickets.ticket_vincular(ticket_id=dup.pk, por=u["analisis"], padre_numero=caida.numero)

    # An incident reported 3 business days ago and not answered: its SLA is breached (supervisors are warned).
    vencido = _incidente(
        u["ciudadano"],
        "No puedo adjuntar documentos en la VUE",
        "Al adjuntar el certificado en la Ventanilla Única aparece «archivo no permitido», aunque es un PDF de 1 MB.",
        "VUE > Solicitudes > Adjuntar documentos",
        30,
        ayer,
    )
    Ticket.objects.filter(pk=vencido.pk).update(creado_en=ayer)

    # Consultations
    respondida = _consulta(
        u["oce"],
        "usuarios_ecuapass",
        "¿Cómo recupero la clave de mi usuario de ECUAPASS?",
        "Olvidé la clave del usuario de ECUAPASS de nuestra empresa y el correo registrado ya no existe.",
        ahora,
    )
    tickets.ticket_tomar(ticket_id=respondida.pk, por=u["mesa"])
    tickets.ticket_responder(
        ticket_id=respondida.pk,
        por=u["mesa"],
        publica=True,
        respuesta="Ingrese a ECUAPASS > «¿Olvidó su contraseña?». Si el correo registrado ya no existe, el representante "
        "legal debe actualizarlo en el registro del OCE con su firma electrónica; luego podrá restablecer la clave.",
    )
    cerrada = _consulta(
        u["agente"],
        "regimen_21",
        "Plazo del régimen 21 y su prórroga",
        "¿Cuánto tiempo pueden permanecer las mercancías admitidas en régimen 21 y cuántas veces se prorroga?",
        ahora,
    )
    tickets.ticket_tomar(ticket_id=cerrada.pk, por=u["mesa"])
    tickets.ticket_responder(
        ticket_id=cerrada.pk,
        por=u["mesa"],
        publica=True,
        respuesta="Las mercancías pueden permanecer hasta un año, prorrogable por una sola vez, según la autorización "
        "del régimen. Solicite la prórroga antes del vencimiento desde la opción de solicitudes de ECUAPASS.",
    )
    tickets.ticket_aceptar(ticket_id=cerrada.pk, usuario=u["agente"])
    declaracion = _consulta(
        u["ciudadano"],
        "otros",
        "Declaración de importación de un menaje de casa",
        "Regreso al país y quiero saber qué documentos necesito para declarar mi menaje de casa.",
        ahora,
    )
    tickets.ticket_tomar(ticket_id=declaracion.pk, por=u["mesa"])
    tickets.ticket_solicitar_informacion(
        ticket_id=declaracion.pk,
        por=u["mesa"],
        mensaje="Indíquenos su país de procedencia y cuánto tiempo vivió en el exterior, por favor.",
    )
    inconforme = _consulta(
        u["oce"],
        "registro_oce",
        "Actualizar el representante legal del OCE",
        "Cambiamos de representante legal. ¿Cómo actualizamos el registro del operador en ECUAPASS?",
        ahora,
    )
    tickets.ticket_tomar(ticket_id=inconforme.pk, por=u["mesa"])
    tickets.ticket_responder(
        ticket_id=inconforme.pk,
        por=u["mesa"],
        respuesta="Actualice los datos en ECUAPASS > Registro de OCE > Actualización de datos.",
    )
    tickets.ticket_no_conforme(
        ticket_id=inconforme.pk,
        usuario=u["oce"],
        motivo="La opción indicada no permite cambiar el representante legal: aparece deshabilitada.",
    )

    # A complaint about régimen 21, assigned to an analyst
    queja = tickets.ticket_registrar(
        tipo=Ticket.Tipo.QUEJA,
        solicitante=u["ciudadano"],
        tramite=Ticket.Tramite.REGIMEN_21,
        asunto="Demora en la respuesta de mi solicitud",
        descripcion="Presenté la solicitud de autorización hace tres semanas y no recibo respuesta ni observaciones.",
    )
    tickets.ticket_asignar(ticket_id=queja.pk, por=u["mesa"], analista=u["mesa"])

    # Phone: a call answered on the spot
    tickets.ticket_registrar_llamada(
        por=u["mesa"],
        email="rosa.quishpe@correo.demo.ec",
        nombre="Rosa Quishpe",
        telefono_contacto="0987654321",
        tipo=Ticket.Tipo.CONSULTA,
        motivo=Motivo.objects.get(codigo="usuarios_ecuapass"),
        asunto="Horario de atención de la Mesa de Servicios",
        descripcion="La usuaria pregunta por el horario de atención telefónica de la Mesa de Servicios.",
        respuesta_inmediata="Atención telefónica de lunes a viernes de 08h00 a 17h00; registro en línea las 24 horas.",
    )

    # E-mail: a message whose sender no MTA authenticated: an unverified ticket until the address confirms it
    correo.correo_procesar(
        crudo=(
            "From: Marco Andrade <marco.andrade@correo.demo.ec>\r\n"
            "To: mesadeservicios@aduana.gob.ec\r\n"
            "Subject: Consulta sobre courier 4x4\r\n"
            "Message-ID: <demo-courier-4x4@correo.demo.ec>\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n"
            "Buenos días, ¿cuál es el monto máximo de un envío por courier categoría B (4x4) para no pagar tributos?\r\n"
        ).encode()
    )
    avisos = sla.sla_verificar()
    stdout.write(f"  mesa_servicios: {Ticket.objects.count()} tickets en todos los estados, {avisos} aviso(s) de SLA")
