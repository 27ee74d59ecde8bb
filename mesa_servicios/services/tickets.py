"""Every write on a ticket: validate first (nothing is written on error), lock the row, check the user's scope,
transition through `tramites.fsm.transicionar` (audited, optimistic lock, permission per transition), save,
then notify after commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from tramites.calendario import sumar_dias_habiles
from tramites.exceptions import DatosInvalidos, NoEncontrado, PermisoDenegado
from tramites.fsm import transicionar
from tramites.models import Adjunto, Distrito, Transicion, Usuario
from tramites.numeracion import formatear, siguiente_numero
from tramites.services import adjuntos_guardar, notificar
from tramites.validators import verificar_archivo

from .. import selectors
from ..errors import AnalistaInvalido, ConfiguracionIncompleta, TicketCerrado, TieneDuplicados, VinculoInvalido
from ..models import Area, Motivo, ObjetivoSla, PlantillaRespuesta, Seguimiento, Ticket

PREFIJO = "MDS"
DESCRIPCION_MINIMA = 20


# --- Helpers ------------------------------------------------------------------------------------------


def _ahora(ahora: datetime | None) -> datetime:
    return ahora or timezone.now()


def cierre_automatico_desde(ahora: datetime, *, distrito: Distrito | int | None = None) -> datetime:
    """When a ticket waiting for the user closes by itself: MESA_DIAS_CIERRE_AUTOMATICO business days later, on the
    calendar of the ticket's district (national holidays only when it has none)."""
    dia = sumar_dias_habiles(timezone.localtime(ahora).date(), settings.MESA_DIAS_CIERRE_AUTOMATICO, distrito=distrito)
    return timezone.localtime(ahora).replace(year=dia.year, month=dia.month, day=dia.day)


def validar_archivos(archivos: Sequence[UploadedFile], errores: dict[str, list[str]], *, campo: str = "adjuntos") -> None:
    if len(archivos) > settings.MESA_ADJUNTOS_MAXIMO:
        errores.setdefault(campo, []).append(f"Puede adjuntar como máximo {settings.MESA_ADJUNTOS_MAXIMO} archivos.")
        return
    for archivo in archivos:
        try:
            verificar_archivo(archivo)
        except ValidationError as e:
            errores.setdefault(campo, []).extend(e.messages)


def enrutar(*, tipo: str, motivo: Motivo | None) -> Area:
    """Incidents → the area that receives incidents (Jefatura de Análisis Funcional); consultations → the area of
    their reason; complaints → the area that receives complaints. Rules are edited in the admin."""
    if tipo == Ticket.Tipo.CONSULTA:
        return motivo.area
    filtro = {"recibe_incidentes": True} if tipo == Ticket.Tipo.INCIDENTE else {"recibe_quejas": True}
    area = Area.objects.filter(activa=True, **filtro).first()
    if area is None:
        raise ConfiguracionIncompleta(
            que="el área que recibe " + ("los incidentes" if tipo == Ticket.Tipo.INCIDENTE else "las quejas")
        )
    return area


def enlace(ticket: Ticket) -> str:
    return reverse("mesa_servicios:detalle", args=[ticket.numero])


def _avisar_solicitante(ticket: Ticket, asunto: str, mensaje: str) -> None:
    """Portal notification + e-mail whose subject and Reply-To (the desk's mailbox with a plus-extension) carry the
    number and the ticket's reply token, so that the user's reply comes back as a follow-up of the same ticket.
    An unverified e-mail ticket has no requester yet: nobody is notified (its sender got a fixed acknowledgement)."""
    from .correo_origen import asunto_con_referencia, direccion_respuesta

    if ticket.solicitante_id is None:
        return
    notificar(
        usuarios=[ticket.solicitante],
        asunto=asunto_con_referencia(ticket, asunto),
        mensaje=mensaje,
        enlace=enlace(ticket),
        responder_a=direccion_respuesta(ticket),
    )


def _avisar_analista(ticket: Ticket, asunto: str, mensaje: str) -> None:
    if ticket.asignado_a_id:
        notificar(
            usuarios=[ticket.asignado_a],
            asunto=f"[{ticket.numero}] {asunto}",
            mensaje=mensaje,
            enlace=reverse("admin:mesa_servicios_ticket_change", args=[ticket.pk]),
        )


def _indexar(ticket_id: int) -> None:
    """Refresh the stored full-text vector (PostgreSQL, `spanish`): subject A, description B, answer C."""
    if connection.vendor != "postgresql":
        return
    vector = (
        SearchVector("asunto", weight="A", config="spanish")
        + SearchVector("descripcion", weight="B", config="spanish")
        + SearchVector("respuesta", weight="C", config="spanish")
    )
    Ticket.objects.filter(pk=ticket_id).update(busqueda=vector)


def _bloquear(ticket_id: int, usuario: Usuario | None) -> Ticket:
    """Lock the row; a user who may not see the ticket gets 404, as if it did not exist."""
    ticket = (
        Ticket.objects.select_for_update(of=("self",)).select_related("solicitante", "asignado_a").filter(pk=ticket_id).first()
    )
    if ticket is None or (usuario is not None and not selectors.puede_ver(usuario, ticket.pk)):
        raise NoEncontrado()
    return ticket


def _copiar_adjuntos(adjuntos: Sequence[Adjunto], destino) -> None:
    """Attach already validated and stored files to another record too (same stored file, new row)."""
    for adjunto in adjuntos:
        Adjunto.objects.create(
            objeto=destino,
            archivo=adjunto.archivo.name,
            nombre=adjunto.nombre,
            descripcion=adjunto.descripcion,
            tipo_contenido=adjunto.tipo_contenido,
            tamano=adjunto.tamano,
            sha256=adjunto.sha256,
            subido_por=adjunto.subido_por,
        )


def _seguimiento(ticket: Ticket, *, tipo: str, texto: str, autor: Usuario | None, canal: str, archivos=(), ahora=None):
    s = Seguimiento.objects.create(ticket=ticket, tipo=tipo, texto=texto, autor=autor, canal=canal, creado_en=_ahora(ahora))
    if archivos:
        adjuntos_guardar(objeto=s, archivos=archivos, por=autor)
    return s


# --- Filing ---------------------------------------------------------------------------------------------


def _validar(
    *,
    tipo: str,
    asunto: str,
    descripcion: str,
    archivos: Sequence[UploadedFile],
    motivo: Motivo | None,
    tramite: str,
    pantalla_opcion: str,
    modulo: str,
    ocurrido_en: datetime | None,
    distrito: Distrito | None,
    telefono_contacto: str,
    ahora: datetime,
    canal: str,
    hay_adjuntos_previos: bool = False,
) -> dict[str, list[str]]:
    errores: dict[str, list[str]] = {}

    def error(campo: str, mensaje: str) -> None:
        errores.setdefault(campo, []).append(mensaje)

    if tipo not in Ticket.Tipo.values:
        error("tipo", "Elija incidente, consulta o queja.")
    if not asunto.strip():
        error("asunto", "Escriba un asunto que resuma su requerimiento.")
    if len(descripcion.strip()) < DESCRIPCION_MINIMA:
        error("descripcion", f"Describa con claridad lo sucedido o lo que consulta (al menos {DESCRIPCION_MINIMA} caracteres).")
    if tipo == Ticket.Tipo.INCIDENTE:
        if not pantalla_opcion.strip():
            error(
                "pantalla_opcion",
                "Indique el nombre completo del campo, pantalla u opción de ECUAPASS donde ocurrió el incidente.",
            )
        if modulo not in Ticket.Modulo.values:
            error("modulo", "Indique el sistema en el que ocurrió el incidente.")
        if ocurrido_en is None:
            error("ocurrido_en", "Indique la fecha y la hora exactas del incidente.")
        elif ocurrido_en > ahora + timedelta(minutes=5):
            error("ocurrido_en", "La fecha y hora del incidente no puede ser posterior al momento actual.")
        if distrito is None:
            error("distrito", "Indique el distrito aduanero.")
        if not telefono_contacto.strip():
            error("telefono_contacto", "Indique un teléfono de contacto para el analista.")
        # By phone the caller cannot attach: the analyst asks for the screenshots if needed.
        if not archivos and not hay_adjuntos_previos and canal != Ticket.Canal.TELEFONO:
            error(
                "adjuntos",
                "Adjunte las capturas de pantalla de cada opción o acción realizada antes del incidente, "
                "en las que se vean la fecha y la hora.",
            )
    elif tipo == Ticket.Tipo.CONSULTA:
        if motivo is None or not motivo.activo:
            error("motivo", "Elija el motivo de su consulta.")
        elif motivo.requiere_adjunto and not archivos:
            error("adjuntos", f"Para el motivo «{motivo.nombre}» anexe: {motivo.documentos or 'los documentos de soporte'}")
    elif tipo == Ticket.Tipo.QUEJA and tramite not in Ticket.Tramite.values:
        error("tramite", "Indique el trámite de SENAE sobre el que presenta la queja.")
    validar_archivos(archivos, errores)
    return errores


@transaction.atomic
def ticket_registrar(
    *,
    tipo: str,
    solicitante: Usuario | None,
    asunto: str,
    descripcion: str,
    canal: str = Ticket.Canal.WEB,
    correo_sin_verificar: str = "",
    registrado_por: Usuario | None = None,
    archivos: Sequence[UploadedFile] = (),
    motivo: Motivo | None = None,
    tramite: str = "",
    pantalla_opcion: str = "",
    modulo: str = "",
    ocurrido_en: datetime | None = None,
    distrito: Distrito | None = None,
    referencia: str = "",
    telefono_contacto: str = "",
    origen: Ticket | None = None,
    adjuntos_previos: Sequence[Adjunto] = (),
    mensaje_adicional: str = "",
    ahora: datetime | None = None,
) -> Ticket:
    """File a ticket: validate every field and file, number it, route it, start its SLA clock, store the files,
    log the registration and acknowledge it to the user (portal + e-mail with the number in the subject)."""
    ahora = _ahora(ahora)
    archivos = list(archivos)
    errores = _validar(
        tipo=tipo,
        asunto=asunto,
        descripcion=descripcion,
        archivos=archivos,
        motivo=motivo,
        tramite=tramite,
        pantalla_opcion=pantalla_opcion,
        modulo=modulo,
        ocurrido_en=ocurrido_en,
        distrito=distrito,
        telefono_contacto=telefono_contacto,
        ahora=ahora,
        canal=canal,
        hay_adjuntos_previos=bool(adjuntos_previos),
    )
    if errores:
        raise DatosInvalidos(errores)
    objetivo = ObjetivoSla.objects.filter(tipo=tipo).first()
    if objetivo is None:
        raise ConfiguracionIncompleta(que=f"el objetivo de tiempo de respuesta de «{Ticket.Tipo(tipo).label}»")
    area = enrutar(tipo=tipo, motivo=motivo)
    anio = timezone.localtime(ahora).year
    incidente = tipo == Ticket.Tipo.INCIDENTE
    ticket = Ticket(
        numero=formatear(PREFIJO, anio, siguiente_numero(f"{PREFIJO}-{anio}")),
        tipo=tipo,
        canal=canal,
        solicitante=solicitante,
        verificado=solicitante is not None,
        correo_sin_verificar="" if solicitante is not None else correo_sin_verificar,
        registrado_por=registrado_por,
        area=area,
        asunto=asunto.strip()[:200],
        descripcion=descripcion.strip(),
        telefono_contacto=telefono_contacto.strip(),
        pantalla_opcion=pantalla_opcion.strip() if incidente else "",
        modulo=modulo if incidente else "",
        ocurrido_en=ocurrido_en if incidente else None,
        distrito=distrito if incidente else None,
        referencia=referencia.strip(),
        motivo=motivo if tipo == Ticket.Tipo.CONSULTA else None,
        tramite=tramite if tipo == Ticket.Tipo.QUEJA else "",
        origen=origen,
        sla_horas=objetivo.horas_habiles,
        sla_porcentaje_aviso=objetivo.porcentaje_aviso,
    )
    ticket.sla_iniciar(ahora)
    ticket.full_clean(exclude=["numero", "estado", "busqueda"], validate_unique=False)
    ticket.save()
    Transicion.objects.create(
        objeto=ticket,
        transicion="registrar",
        desde="",
        hacia=ticket.estado,
        por=registrado_por or solicitante,
        en=ahora,
        comentario=f"Registrado por {Ticket.Canal(canal).label.lower()}; cola: {area.nombre}."
        + (f" Continúa el ticket {origen.numero}." if origen else ""),
    )
    if archivos:
        adjuntos_guardar(objeto=ticket, archivos=archivos, por=registrado_por or solicitante, descripcion="Anexo del registro")
    _copiar_adjuntos(adjuntos_previos, ticket)
    _indexar(ticket.pk)
    _avisar_solicitante(
        ticket,
        f"Ticket registrado: {ticket.asunto}",
        f"Registramos su {ticket.get_tipo_display().lower()} con el número {ticket.numero}. "
        f"La atiende: {area.nombre}. Le responderemos dentro de {ticket.sla_horas} horas hábiles "
        "(lunes a viernes de 08h00 a 17h00). Para agregar información, responda a este correo sin cambiar el asunto."
        + mensaje_adicional,
    )
    return ticket


# --- Desk actions -----------------------------------------------------------------------------------------


def _exigir_analista(analista: Usuario, area: Area) -> None:
    if not (
        analista.is_active
        and analista.is_staff
        and analista.has_perm("mesa_servicios.atender_ticket")
        and selectors.areas_visibles(analista).filter(pk=area.pk).exists()
    ):
        raise AnalistaInvalido(nombre=str(analista), area=area.nombre, campo="analista")


@transaction.atomic
def ticket_asignar(*, ticket_id: int, por: Usuario, analista: Usuario, comentario: str = "") -> Ticket:
    ticket = _bloquear(ticket_id, por)
    _exigir_analista(analista, ticket.area)
    transicionar(ticket, "asignar", por=por, comentario=comentario or f"Asignado a {analista}.", analista=analista)
    _avisar_analista(ticket, "Ticket asignado", f"Se le asignó el ticket {ticket.numero}: {ticket.asunto}.")
    return ticket


@transaction.atomic
def ticket_tomar(*, ticket_id: int, por: Usuario, comentario: str = "") -> Ticket:
    ticket = _bloquear(ticket_id, por)
    _exigir_analista(por, ticket.area)
    transicionar(ticket, "tomar", por=por, comentario=comentario, analista=por)
    return ticket


@transaction.atomic
def ticket_iniciar_analisis(*, ticket_id: int, por: Usuario, comentario: str = "") -> Ticket:
    ticket = _bloquear(ticket_id, por)
    transicionar(ticket, "iniciar_analisis", por=por, comentario=comentario)
    return ticket


@transaction.atomic
def ticket_solicitar_informacion(
    *, ticket_id: int, por: Usuario, mensaje: str, archivos: Sequence[UploadedFile] = (), ahora: datetime | None = None
) -> Ticket:
    """Ask the user for more data: the SLA clock pauses until the user answers."""
    ahora = _ahora(ahora)
    errores: dict[str, list[str]] = {}
    validar_archivos(list(archivos), errores)
    if errores:
        raise DatosInvalidos(errores)
    ticket = _bloquear(ticket_id, por)
    transicionar(
        ticket,
        "solicitar_informacion",
        por=por,
        comentario=mensaje,
        ahora=ahora,
        cierre_automatico_en=cierre_automatico_desde(ahora, distrito=ticket.distrito_id),
    )
    _seguimiento(
        ticket,
        tipo=Seguimiento.Tipo.SOLICITUD,
        texto=mensaje.strip(),
        autor=por,
        canal=Ticket.Canal.WEB,
        archivos=archivos,
        ahora=ahora,
    )
    _avisar_solicitante(
        ticket,
        "Necesitamos más información",
        f"Para atender su ticket {ticket.numero} necesitamos:\n\n{mensaje.strip()}\n\n"
        f"Responda en el portal o a este correo antes del {timezone.localtime(ticket.cierre_automatico_en):%d/%m/%Y}; "
        "si no, el ticket se cerrará.",
    )
    return ticket


@transaction.atomic
def ticket_responder(
    *,
    ticket_id: int,
    por: Usuario,
    respuesta: str = "",
    plantilla: PlantillaRespuesta | None = None,
    publica: bool = False,
    archivos: Sequence[UploadedFile] = (),
    ahora: datetime | None = None,
) -> Ticket:
    """Answer the user (stops the SLA clock at the first answer). The same answer goes to every duplicate linked
    to this ticket. The user then accepts it, says they are not satisfied, or lets it close by itself."""
    ahora = _ahora(ahora)
    ticket = _bloquear(ticket_id, por)
    if plantilla is not None and not respuesta.strip():
        nombre = (ticket.solicitante.get_full_name() or ticket.solicitante.username) if ticket.solicitante_id else ""
        respuesta = plantilla.aplicar(numero=ticket.numero, nombre=nombre)
    errores: dict[str, list[str]] = {}
    if not respuesta.strip():
        errores["respuesta"] = ["Escriba la respuesta al usuario o elija una plantilla."]
    validar_archivos(list(archivos), errores)
    if errores:
        raise DatosInvalidos(errores)
    respuesta = respuesta.strip()
    cierre = cierre_automatico_desde(ahora, distrito=ticket.distrito_id)
    transicionar(ticket, "responder", por=por, ahora=ahora, respuesta=respuesta, publica=publica, cierre_automatico_en=cierre)
    seguimiento = _seguimiento(
        ticket,
        tipo=Seguimiento.Tipo.RESPUESTA,
        texto=respuesta,
        autor=por,
        canal=Ticket.Canal.WEB,
        archivos=archivos,
        ahora=ahora,
    )
    _indexar(ticket.pk)
    _avisar_respuesta(ticket, respuesta)
    adjuntos_respuesta = list(seguimiento.adjuntos.all())
    duplicados = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("solicitante")
        .filter(padre=ticket, estado=Ticket.Estado.VINCULADO)
    )
    for hijo in duplicados.order_by("pk"):
        transicionar(
            hijo,
            "responder_por_principal",
            por=por,
            comentario=f"Respuesta del incidente principal {ticket.numero}.",
            ahora=ahora,
            respuesta=respuesta,
            cierre_automatico_en=cierre,
        )
        copia = _seguimiento(
            hijo, tipo=Seguimiento.Tipo.RESPUESTA, texto=respuesta, autor=por, canal=Ticket.Canal.WEB, ahora=ahora
        )
        _copiar_adjuntos(adjuntos_respuesta, copia)
        _avisar_respuesta(hijo, respuesta)
    return ticket


def _avisar_respuesta(ticket: Ticket, respuesta: str) -> None:
    _avisar_solicitante(
        ticket,
        "Respuesta de la Mesa de Servicios",
        f"{respuesta}\n\nSi la respuesta le satisface, acéptela en el portal. Si no está conforme, pulse «No estoy "
        f"conforme»: se abrirá un ticket nuevo vinculado a este. Sin acción suya, el ticket se cerrará el "
        f"{timezone.localtime(ticket.cierre_automatico_en):%d/%m/%Y}.",
    )


@transaction.atomic
def ticket_vincular(*, ticket_id: int, por: Usuario, padre_numero: str, comentario: str = "") -> Ticket:
    """Link a duplicate (e.g. one of hundreds of reports of an ECUAPASS outage) to one parent incident, which
    answers all of them at once."""
    padre_id = Ticket.objects.filter(numero=padre_numero.strip().upper()).values_list("pk", flat=True).first()
    if padre_id is None or padre_id == ticket_id or not selectors.puede_ver(por, padre_id):
        raise VinculoInvalido(motivo=f"no existe un incidente {padre_numero} a su alcance.", campo="padre_numero")
    # Lock both rows in id order: two officials linking crosswise never deadlock.
    filas = {t.pk: t for t in Ticket.objects.select_for_update().filter(pk__in=[ticket_id, padre_id]).order_by("pk")}
    ticket, padre = _bloquear(ticket_id, por), filas[padre_id]
    if padre.tipo != Ticket.Tipo.INCIDENTE:
        raise VinculoInvalido(motivo=f"{padre.numero} no es un incidente.", campo="padre_numero")
    if padre.padre_id is not None or padre.estado not in (
        Ticket.Estado.REGISTRADO,
        Ticket.Estado.ASIGNADO,
        Ticket.Estado.EN_ANALISIS,
        Ticket.Estado.PENDIENTE_USUARIO,
    ):
        raise VinculoInvalido(motivo=f"{padre.numero} ya no está pendiente de respuesta o es un duplicado.", campo="padre_numero")
    if ticket.tipo == Ticket.Tipo.QUEJA:
        raise VinculoInvalido(motivo="una queja no se vincula a un incidente.")
    if ticket.duplicados.exists():
        raise VinculoInvalido(motivo=f"{ticket.numero} ya es el principal de otros tickets.")
    transicionar(ticket, "vincular", por=por, comentario=comentario or f"Duplicado de {padre.numero}.", padre=padre)
    _seguimiento(
        ticket,
        tipo=Seguimiento.Tipo.NOTA,
        texto=f"Vinculado al incidente principal {padre.numero}: se responderá con él.",
        autor=por,
        canal=Ticket.Canal.WEB,
    )
    return ticket


@transaction.atomic
def ticket_desvincular(*, ticket_id: int, por: Usuario, comentario: str = "") -> Ticket:
    ticket = _bloquear(ticket_id, por)
    _exigir_analista(por, ticket.area)
    transicionar(ticket, "desvincular", por=por, comentario=comentario, analista=por)
    return ticket


@transaction.atomic
def ticket_descartar(*, ticket_id: int, por: Usuario, motivo: str, ahora: datetime | None = None) -> Ticket:
    """Close without answer (spam, an empty e-mail, a test). Needs the reason; the user is told."""
    ahora = _ahora(ahora)
    ticket = _bloquear(ticket_id, por)
    if ticket.duplicados.filter(estado=Ticket.Estado.VINCULADO).exists():
        raise TieneDuplicados(numero=ticket.numero)
    transicionar(ticket, "descartar", por=por, comentario=motivo, ahora=ahora)
    _avisar_solicitante(ticket, "Ticket cerrado", f"Su ticket {ticket.numero} fue cerrado sin trámite: {motivo.strip()}")
    return ticket


@transaction.atomic
def ticket_nota_interna(*, ticket_id: int, por: Usuario, texto: str) -> Seguimiento:
    if not texto.strip():
        raise DatosInvalidos({"texto": ["Escriba la nota."]})
    ticket = _bloquear(ticket_id, por)
    if not selectors.es_de_la_mesa(por):
        raise NoEncontrado()
    return _seguimiento(ticket, tipo=Seguimiento.Tipo.NOTA, texto=texto.strip(), autor=por, canal=Ticket.Canal.WEB)


# --- The user's actions -----------------------------------------------------------------------------------


@transaction.atomic
def ticket_agregar_mensaje(
    *,
    ticket_id: int,
    autor: Usuario,
    texto: str,
    archivos: Sequence[UploadedFile] = (),
    canal: str = Ticket.Canal.WEB,
    ahora: datetime | None = None,
) -> Seguimiento:
    """The user adds information. If the desk was waiting for it, the ticket goes back to analysis and the SLA
    clock resumes. A closed ticket is never reopened."""
    ahora = _ahora(ahora)
    errores: dict[str, list[str]] = {}
    if not texto.strip() and not archivos:
        errores["texto"] = ["Escriba su mensaje o adjunte un archivo."]
    validar_archivos(list(archivos), errores)
    if errores:
        raise DatosInvalidos(errores)
    ticket = _bloquear(ticket_id, autor)
    if ticket.solicitante_id != autor.pk:
        raise NoEncontrado()
    if ticket.estado == Ticket.Estado.CERRADO:
        raise TicketCerrado(numero=ticket.numero)
    if ticket.estado == Ticket.Estado.PENDIENTE_USUARIO:
        transicionar(ticket, "aportar_informacion", por=autor, comentario="El usuario aportó la información.", ahora=ahora)
    seguimiento = _seguimiento(
        ticket,
        tipo=Seguimiento.Tipo.MENSAJE,
        texto=texto.strip() or "(adjuntos)",
        autor=autor,
        canal=canal,
        archivos=archivos,
        ahora=ahora,
    )
    _avisar_analista(ticket, "El usuario agregó información", texto.strip()[:1000])
    return seguimiento


@transaction.atomic
def ticket_aceptar(*, ticket_id: int, usuario: Usuario, ahora: datetime | None = None) -> Ticket:
    ticket = _bloquear(ticket_id, usuario)
    transicionar(ticket, "aceptar", por=usuario, comentario="El usuario aceptó la respuesta.", ahora=_ahora(ahora))
    return ticket


@transaction.atomic
def ticket_no_conforme(
    *, ticket_id: int, usuario: Usuario, motivo: str, archivos: Sequence[UploadedFile] = (), ahora: datetime | None = None
) -> Ticket:
    """The user is not satisfied: the ticket closes (never reopens) and a NEW ticket, linked to it through
    `origen`, carries the user's reason to the desk. Returns the new ticket."""
    ahora = _ahora(ahora)
    ticket = _bloquear(ticket_id, usuario)
    if not motivo.strip():
        raise DatosInvalidos({"comentario": ["Explique por qué no está conforme con la respuesta."]})
    transicionar(ticket, "no_conforme", por=usuario, comentario=motivo, ahora=ahora)
    return ticket_registrar(
        tipo=ticket.tipo,
        solicitante=ticket.solicitante,
        asunto=f"No conforme con {ticket.numero}: {ticket.asunto}"[:200],
        descripcion=f"{motivo.strip()}\n\n— Respuesta anterior ({ticket.numero}):\n{ticket.respuesta}",
        canal=ticket.canal if ticket.canal != Ticket.Canal.TELEFONO else Ticket.Canal.WEB,
        archivos=archivos,
        motivo=ticket.motivo,
        tramite=ticket.tramite,
        pantalla_opcion=ticket.pantalla_opcion,
        modulo=ticket.modulo,
        ocurrido_en=ticket.ocurrido_en,
        distrito=ticket.distrito,
        referencia=ticket.referencia,
        telefono_contacto=ticket.telefono_contacto or "—",
        origen=ticket,
        # The new ticket keeps the original's files (an incident's screenshots are mandatory).
        adjuntos_previos=list(ticket.adjuntos.all()),
        ahora=ahora,
    )


@transaction.atomic
def ticket_registrar_llamada(
    *,
    por: Usuario,
    email: str,
    nombre: str = "",
    telefono_contacto: str,
    respuesta_inmediata: str = "",
    **datos,
) -> Ticket:
    """An official records a call to 1800-ADUANA as a ticket for the caller (found by e-mail, or a new inactive
    citizen account). A call answered on the spot is recorded answered at once (taken and answered by the
    official), so it counts as an attention and the user can still object."""
    from .cuentas import aviso_activacion, solicitante_por_correo

    if not (por.is_staff and por.has_perm("mesa_servicios.registrar_llamada")):
        raise PermisoDenegado("Solo los funcionarios de la Mesa de Servicios registran llamadas.")
    solicitante, _ = solicitante_por_correo(email=email, nombre=nombre, telefono=telefono_contacto)
    ticket = ticket_registrar(
        solicitante=solicitante,
        canal=Ticket.Canal.TELEFONO,
        registrado_por=por,
        telefono_contacto=telefono_contacto,
        mensaje_adicional=aviso_activacion(solicitante),
        **datos,
    )
    if respuesta_inmediata.strip():
        if not selectors.puede_ver(por, ticket.pk):
            raise PermisoDenegado(
                f"Este requerimiento corresponde a «{ticket.area}», que usted no atiende: regístrelo sin respuesta inmediata."
            )
        ticket_tomar(ticket_id=ticket.pk, por=por, comentario="Atendido en la llamada.")
        ticket = ticket_responder(ticket_id=ticket.pk, por=por, respuesta=respuesta_inmediata)
    return ticket
