"""Default routing catalogue, SLA targets and response templates, ensured after every `migrate` (and after
the test database is flushed). Only missing rows are created: what officials edit in the admin stays.

The response targets are not published by SENAE (DOMAIN.md §e.10); these defaults are the desk's own and
are edited in the admin (Mesa de Servicios → objetivos de tiempo de respuesta).
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from tramites import roles

AREAS = [
    # codigo, nombre, grupo, recibe_incidentes, recibe_quejas
    ("analisis_funcional", "Jefatura de Análisis Funcional", roles.ANALISIS_FUNCIONAL, True, False),
    ("atencion_usuario", "Atención al Usuario (Mesa de Servicios)", roles.MESA, False, True),
    ("procesos_aduaneros", "Asesoría en procesos aduaneros", roles.MESA, False, False),
]

MOTIVOS = [
    # codigo, nombre, area, documentos, requiere_adjunto, orden
    ("usuarios_ecuapass", "Usuarios y claves de ECUAPASS", "atencion_usuario", "", False, 10),
    (
        "registro_oce",
        "Registro de operador (OCE) y firma electrónica",
        "atencion_usuario",
        "RUC y, si aplica, el certificado de firma electrónica (PDF).",
        False,
        20,
    ),
    (
        "declaraciones",
        "Declaraciones aduaneras (DAI, DAE) y regímenes",
        "procesos_aduaneros",
        "Número de la declaración y sus documentos de soporte (factura, documento de transporte).",
        True,
        30,
    ),
    (
        "regimen_21",
        "Régimen 21: admisión temporal para perfeccionamiento activo",
        "procesos_aduaneros",
        "Número de la autorización del régimen y, si aplica, de la DAI 21 o del anexo compensatorio.",
        False,
        40,
    ),
    (
        "funcionamiento_ecuapass",
        "Cómo funciona una opción de ECUAPASS",
        "analisis_funcional",
        "Captura de la pantalla u opción sobre la que consulta.",
        False,
        50,
    ),
    ("otros", "Otros temas", "atencion_usuario", "", False, 90),
]

OBJETIVOS_SLA = {"incidente": 8, "consulta": 16, "queja": 40}

PLANTILLAS = [
    (
        "Incidente solucionado",
        "incidente",
        "Estimado(a) {nombre}:\n\nEl incidente reportado en el ticket {numero} fue solucionado. Por favor, intente "
        "nuevamente la operación en ECUAPASS. Si el problema persiste, indíquelo respondiendo «No estoy conforme».\n\n"
        "Atentamente,\nMesa de Servicios — SENAE",
    ),
    (
        "Consulta absuelta",
        "consulta",
        "Estimado(a) {nombre}:\n\nEn atención a su consulta {numero}, le informamos:\n\n\n"
        "Atentamente,\nMesa de Servicios — SENAE",
    ),
    (
        "Caída general de ECUAPASS",
        "incidente",
        "Estimado(a) {nombre}:\n\nSu reporte {numero} corresponde a una interrupción general de ECUAPASS que ya fue "
        "superada. Los trámites transmitidos durante la interrupción pueden enviarse de nuevo.\n\n"
        "Atentamente,\nMesa de Servicios — SENAE",
    ),
]


@transaction.atomic
def asegurar_catalogo(**_kwargs) -> None:
    from .models import Area, Motivo, ObjetivoSla, PlantillaRespuesta

    areas = {}
    for codigo, nombre, grupo, incidentes, quejas in AREAS:
        area = Area.objects.filter(codigo=codigo).first()
        if area is None:
            ocupado = (incidentes and Area.objects.filter(recibe_incidentes=True).exists()) or (
                quejas and Area.objects.filter(recibe_quejas=True).exists()
            )
            area = Area.objects.create(
                codigo=codigo,
                nombre=nombre,
                grupo=Group.objects.get_or_create(name=grupo)[0],
                recibe_incidentes=incidentes and not ocupado,
                recibe_quejas=quejas and not ocupado,
            )
        areas[codigo] = area
    for codigo, nombre, area, documentos, requiere, orden in MOTIVOS:
        Motivo.objects.get_or_create(
            codigo=codigo,
            defaults={
                "nombre": nombre,
                "area": areas[area],
                "documentos": documentos,
                "requiere_adjunto": requiere,
                "orden": orden,
            },
        )
    for tipo, horas in OBJETIVOS_SLA.items():
        ObjetivoSla.objects.get_or_create(tipo=tipo, defaults={"horas_habiles": horas})
    for nombre, tipo, texto in PLANTILLAS:
        PlantillaRespuesta.objects.get_or_create(nombre=nombre, defaults={"tipo": tipo, "texto": texto})
