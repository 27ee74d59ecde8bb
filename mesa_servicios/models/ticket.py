"""The ticket: an audited state machine with a gap-free number, routed to an area's queue, with an SLA clock
that counts business hours only and pauses while the desk waits for the user."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import FSMField, transition

from tramites.calendario import segundos_habiles_entre, sumar_horas_habiles
from tramites.fsm import RegistroFSM
from tramites.models import Adjunto

from .catalogo import Area, Motivo, TipoTicket


def _es_solicitante(ticket: Ticket, usuario) -> bool:
    """El usuario que registró el ticket."""
    return bool(usuario and usuario.is_authenticated and ticket.solicitante_id == usuario.pk)


def _atiende_mesa(ticket: Ticket, usuario) -> bool:
    """Funcionario de la mesa con `mesa_servicios.atender_ticket` (y el ticket en su cola)."""
    return bool(usuario and usuario.is_active and usuario.is_staff and usuario.has_perm("mesa_servicios.atender_ticket"))


def solo_sistema(ticket: Ticket, usuario) -> bool:
    """El sistema (tarea periódica); `por=None` omite la verificación de permiso."""
    return False


class Ticket(RegistroFSM):
    Tipo = TipoTicket

    class Estado(models.TextChoices):
        REGISTRADO = "registrado", "Registrado"
        ASIGNADO = "asignado", "Asignado"
        EN_ANALISIS = "en_analisis", "En análisis"
        PENDIENTE_USUARIO = "pendiente_usuario", "Pendiente de información del usuario"
        VINCULADO = "vinculado", "Vinculado a un incidente principal"
        RESPONDIDO = "respondido", "Respondido"
        CERRADO = "cerrado", "Cerrado"

    ABIERTOS = (
        Estado.REGISTRADO,
        Estado.ASIGNADO,
        Estado.EN_ANALISIS,
        Estado.PENDIENTE_USUARIO,
        Estado.VINCULADO,
        Estado.RESPONDIDO,
    )
    SIN_RESPUESTA = (Estado.REGISTRADO, Estado.ASIGNADO, Estado.EN_ANALISIS, Estado.PENDIENTE_USUARIO, Estado.VINCULADO)

    class Canal(models.TextChoices):
        WEB = "web", "Portal web"
        CORREO = "correo", "Correo electrónico"
        TELEFONO = "telefono", "Teléfono (1800-ADUANA)"
        API = "api", "API (software del agente)"

    class Tramite(models.TextChoices):
        MESA_SERVICIOS = "mesa_servicios", "Mesa de Servicios"
        REGIMEN_21 = "regimen_21", "Admisión temporal para perfeccionamiento activo (régimen 21)"
        OTRO = "otro", "Otro trámite de SENAE"

    class Modulo(models.TextChoices):
        PORTAL_EXTERNO = "portal_externo", "ECUAPASS – portal externo (operadores)"
        PORTAL_INTERNO = "portal_interno", "ECUAPASS – portal interno (funcionarios)"
        VUE = "vue", "Ventanilla Única Ecuatoriana (VUE)"
        PAGINA_WEB = "pagina_web", "Página web de SENAE"
        OTRO = "otro", "Otro sistema"

    class Resultado(models.TextChoices):
        CONFORME = "conforme", "Respuesta aceptada por el usuario"
        NO_CONFORME = "no_conforme", "Usuario no conforme (continúa en un ticket nuevo)"
        SIN_OBJECION = "sin_objecion", "Cerrado: el usuario no objetó la respuesta a tiempo"
        SIN_INFORMACION = "sin_informacion", "Cerrado: el usuario no aportó la información a tiempo"
        DESCARTADO = "descartado", "Descartado"

    numero = models.CharField("número", max_length=20, unique=True, editable=False)
    tipo = models.CharField(max_length=12, choices=TipoTicket.choices)
    canal = models.CharField(max_length=10, choices=Canal.choices, default=Canal.WEB)
    estado = FSMField(choices=Estado.choices, default=Estado.REGISTRADO, protected=True, db_index=True)
    solicitante = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets_mesa",
        verbose_name="usuario solicitante",
        help_text="Vacío mientras el ticket llegado por correo no esté verificado.",
    )
    # An e-mail whose sender the receiving MTA did not authenticate: no account until the From: address confirms it
    verificado = models.BooleanField(
        default=True,
        db_default=True,
        help_text="Falso para un correo cuyo remitente no se pudo autenticar, hasta que lo confirme.",
    )
    correo_sin_verificar = models.EmailField(
        "remitente sin verificar",
        max_length=254,
        blank=True,
        db_default="",
        help_text="Dirección From: de un ticket no verificado.",
    )
    registrado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Funcionario que registró la llamada (canal telefónico).",
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="tickets", verbose_name="área (cola)")
    asignado_a = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets_mesa_asignados",
        verbose_name="analista asignado",
    )
    asunto = models.CharField(max_length=200)
    descripcion = models.TextField("descripción")
    telefono_contacto = models.CharField("teléfono de contacto", max_length=20, blank=True)
    # Incidente en ECUAPASS
    pantalla_opcion = models.CharField(
        "campo, pantalla u opción del sistema", max_length=250, blank=True, help_text="Nombre completo, tal como aparece."
    )
    modulo = models.CharField("sistema", max_length=20, choices=Modulo.choices, blank=True)
    ocurrido_en = models.DateTimeField("fecha y hora exacta del incidente", null=True, blank=True)
    distrito = models.ForeignKey(
        "tramites.Distrito", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="distrito"
    )
    referencia = models.CharField(
        "número de trámite o declaración", max_length=60, blank=True, help_text="DAI, DAE, manifiesto… si aplica."
    )
    # Consulta
    motivo = models.ForeignKey(Motivo, on_delete=models.PROTECT, null=True, blank=True, related_name="tickets")
    # Queja
    tramite = models.CharField("trámite", max_length=20, choices=Tramite.choices, blank=True)
    # Links: not satisfied → new ticket (origen); duplicates of an outage → one parent incident (padre)
    origen = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="continuaciones",
        verbose_name="continúa el ticket",
        help_text="Ticket anterior cuya respuesta el usuario no aceptó.",
    )
    padre = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicados",
        verbose_name="incidente principal",
    )
    # Answer and closing
    respuesta = models.TextField(blank=True, help_text="Última respuesta enviada al usuario.")
    respuesta_publica = models.BooleanField(
        "mostrar como sugerencia",
        default=False,
        help_text="La pregunta y la respuesta (sin datos del usuario) pueden sugerirse a otros usuarios.",
    )
    primera_respuesta_en = models.DateTimeField("primera respuesta en", null=True, blank=True)
    respondido_en = models.DateTimeField("respondido en", null=True, blank=True)
    cierre_automatico_en = models.DateTimeField(
        "cierre automático en", null=True, blank=True, db_index=True, help_text="Si el usuario no actúa antes."
    )
    cerrado_en = models.DateTimeField("cerrado en", null=True, blank=True)
    resultado = models.CharField(max_length=16, choices=Resultado.choices, blank=True)
    # SLA clock (business seconds); deadline fields are NULL while the clock is paused or stopped
    sla_horas = models.PositiveSmallIntegerField("plazo (horas hábiles)")
    sla_porcentaje_aviso = models.PositiveSmallIntegerField("aviso al consumir (%)", default=75)
    sla_consumido_seg = models.PositiveIntegerField("segundos hábiles consumidos", default=0)
    sla_desde = models.DateTimeField("reloj corriendo desde", null=True, blank=True)
    sla_vence_en = models.DateTimeField("vence en", null=True, blank=True, db_index=True)
    sla_aviso_en = models.DateTimeField("aviso en", null=True, blank=True, db_index=True)
    sla_cumplido = models.BooleanField("plazo cumplido", null=True, blank=True)
    busqueda = SearchVectorField(null=True, editable=False)

    adjuntos = GenericRelation(Adjunto)

    class Meta:
        ordering = ["-creado_en", "-pk"]
        verbose_name = "ticket"
        verbose_name_plural = "tickets"
        permissions = [
            ("atender_ticket", "Puede atender tickets de su cola (analizar, solicitar información, responder)"),
            ("asignar_ticket", "Puede asignar tickets a analistas"),
            ("registrar_llamada", "Puede registrar llamadas como tickets"),
            ("ver_todas_las_colas", "Puede ver los tickets de todas las áreas"),
        ]
        indexes = [
            models.Index(fields=["tipo", "tramite", "creado_en"], name="mesa_ticket_tipo_tramite"),
            models.Index(fields=["primera_respuesta_en"], name="mesa_ticket_primera_resp"),
            models.Index(fields=["area", "estado"], name="mesa_ticket_cola"),
            models.Index(fields=["solicitante", "creado_en"], name="mesa_ticket_solicitante"),
        ]
        constraints = [
            models.CheckConstraint(
                name="mesa_ticket_verificado_con_solicitante",
                condition=Q(verificado=True, solicitante__isnull=False)
                | (Q(verificado=False, solicitante__isnull=True) & ~Q(correo_sin_verificar="")),
                violation_error_message="Un ticket verificado tiene solicitante; uno sin verificar, solo el remitente.",
            ),
            models.CheckConstraint(
                name="mesa_incidente_datos_obligatorios",
                condition=~Q(tipo="incidente")
                | (Q(ocurrido_en__isnull=False, distrito__isnull=False) & ~Q(pantalla_opcion="") & ~Q(modulo="")),
                violation_error_message="Un incidente necesita pantalla u opción, sistema, fecha y hora, y distrito.",
            ),
            models.CheckConstraint(
                name="mesa_consulta_con_motivo",
                condition=~Q(tipo="consulta") | Q(motivo__isnull=False),
                violation_error_message="Una consulta necesita su motivo.",
            ),
            models.CheckConstraint(
                name="mesa_queja_con_tramite",
                condition=~Q(tipo="queja") | ~Q(tramite=""),
                violation_error_message="Una queja necesita el trámite al que se refiere.",
            ),
            models.UniqueConstraint(
                fields=["origen"],
                condition=Q(origen__isnull=False),
                name="mesa_una_continuacion_por_ticket",
                violation_error_message="Este ticket ya tiene un ticket de continuación.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.numero} · {self.asunto}"

    # --- SLA clock (own fields only; the services pass `ahora`; holidays of the ticket's district) --------

    @property
    def sla_segundos_objetivo(self) -> int:
        return self.sla_horas * 3600

    def sla_consumido(self, ahora: datetime | None = None) -> int:
        """Business seconds consumed so far (the running stretch included)."""
        if self.sla_desde is None:
            return self.sla_consumido_seg
        return self.sla_consumido_seg + segundos_habiles_entre(self.sla_desde, ahora or timezone.now(), distrito=self.distrito_id)

    def sla_iniciar(self, ahora: datetime) -> None:
        """Start (or resume) the clock: deadlines from the business seconds that remain."""
        self.sla_desde = ahora
        restante = max(0, self.sla_segundos_objetivo - self.sla_consumido_seg)
        hasta_aviso = max(0, self.sla_segundos_objetivo * self.sla_porcentaje_aviso // 100 - self.sla_consumido_seg)
        self.sla_vence_en = sumar_horas_habiles(ahora, restante / 3600, distrito=self.distrito_id)
        self.sla_aviso_en = sumar_horas_habiles(ahora, hasta_aviso / 3600, distrito=self.distrito_id)

    def sla_pausar(self, ahora: datetime) -> None:
        self.sla_consumido_seg = self.sla_consumido(ahora)
        self.sla_desde = self.sla_vence_en = self.sla_aviso_en = None

    def sla_detener(self, ahora: datetime) -> None:
        """Stop the clock at the first answer and record whether the target was met."""
        if self.sla_cumplido is not None:
            return
        self.sla_pausar(ahora)
        self.sla_cumplido = self.sla_consumido_seg <= self.sla_segundos_objetivo

    def sla_situacion(self, ahora: datetime | None = None) -> str:
        """One of: en_plazo, en_riesgo, vencido, pausado, cumplido, incumplido."""
        if self.sla_cumplido is not None:
            return "cumplido" if self.sla_cumplido else "incumplido"
        if self.sla_desde is None:
            return "pausado"
        ahora = ahora or timezone.now()
        if self.sla_vence_en and ahora >= self.sla_vence_en:
            return "vencido"
        if self.sla_aviso_en and ahora >= self.sla_aviso_en:
            return "en_riesgo"
        return "en_plazo"

    SITUACIONES_SLA = {
        "en_plazo": "En plazo",
        "en_riesgo": "En riesgo",
        "vencido": "Plazo vencido",
        "pausado": "Pausado (esperando al usuario)",
        "cumplido": "Respondido a tiempo",
        "incumplido": "Respondido fuera de plazo",
    }

    def sla_situacion_texto(self) -> str:
        return self.SITUACIONES_SLA[self.sla_situacion()]

    @property
    def abierto(self) -> bool:
        return self.estado != self.Estado.CERRADO

    # --- Transitions (declarations only: services lock, check scope and call tramites.fsm.transicionar) -------

    @transition(
        field=estado,
        source=[Estado.REGISTRADO, Estado.ASIGNADO],
        target=Estado.ASIGNADO,
        permission="mesa_servicios.asignar_ticket",
        custom={"label": "Asignar a un analista"},
    )
    def asignar(self, *, analista) -> None:
        self.asignado_a = analista

    @transition(
        field=estado,
        source=[Estado.REGISTRADO, Estado.ASIGNADO],
        target=Estado.EN_ANALISIS,
        permission=_atiende_mesa,
        custom={"label": "Tomar y analizar"},
    )
    def tomar(self, *, analista) -> None:
        self.asignado_a = analista

    @transition(
        field=estado,
        source=Estado.ASIGNADO,
        target=Estado.EN_ANALISIS,
        permission=_atiende_mesa,
        custom={"label": "Iniciar análisis"},
    )
    def iniciar_analisis(self) -> None:
        """The assigned analyst starts working on the ticket."""

    @transition(
        field=estado,
        source=Estado.EN_ANALISIS,
        target=Estado.PENDIENTE_USUARIO,
        permission=_atiende_mesa,
        custom={"label": "Solicitar información al usuario", "requiere_comentario": True},
    )
    def solicitar_informacion(self, *, ahora: datetime, cierre_automatico_en: datetime) -> None:
        self.sla_pausar(ahora)
        self.cierre_automatico_en = cierre_automatico_en

    @transition(
        field=estado,
        source=Estado.PENDIENTE_USUARIO,
        target=Estado.EN_ANALISIS,
        permission=_es_solicitante,
        custom={"label": "Aportar información", "admin": False},
    )
    def aportar_informacion(self, *, ahora: datetime) -> None:
        self.cierre_automatico_en = None
        self.sla_iniciar(ahora)

    @transition(
        field=estado,
        source=Estado.EN_ANALISIS,
        target=Estado.RESPONDIDO,
        permission=_atiende_mesa,
        custom={"label": "Responder"},
    )
    def responder(self, *, respuesta: str, publica: bool, ahora: datetime, cierre_automatico_en: datetime) -> None:
        self._registrar_respuesta(respuesta, publica, ahora, cierre_automatico_en)

    @transition(
        field=estado,
        source=Estado.VINCULADO,
        target=Estado.RESPONDIDO,
        permission=_atiende_mesa,
        custom={"label": "Responder con la respuesta del incidente principal", "admin": False},
    )
    def responder_por_principal(self, *, respuesta: str, ahora: datetime, cierre_automatico_en: datetime) -> None:
        self._registrar_respuesta(respuesta, False, ahora, cierre_automatico_en)

    def _registrar_respuesta(self, respuesta: str, publica: bool, ahora: datetime, cierre_automatico_en: datetime) -> None:
        self.respuesta = respuesta
        self.respuesta_publica = publica
        self.respondido_en = ahora
        self.primera_respuesta_en = self.primera_respuesta_en or ahora
        self.cierre_automatico_en = cierre_automatico_en
        self.sla_detener(ahora)

    @transition(
        field=estado,
        source=Estado.RESPONDIDO,
        target=Estado.CERRADO,
        permission=_es_solicitante,
        custom={"label": "Acepto la respuesta", "admin": False},
    )
    def aceptar(self, *, ahora: datetime) -> None:
        self._cerrar(self.Resultado.CONFORME, ahora)

    @transition(
        field=estado,
        source=Estado.RESPONDIDO,
        target=Estado.CERRADO,
        permission=_es_solicitante,
        custom={"label": "No estoy conforme", "requiere_comentario": True, "admin": False},
    )
    def no_conforme(self, *, ahora: datetime) -> None:
        self._cerrar(self.Resultado.NO_CONFORME, ahora)

    @transition(
        field=estado,
        source=[Estado.RESPONDIDO, Estado.PENDIENTE_USUARIO],
        target=Estado.CERRADO,
        permission=solo_sistema,
        custom={"label": "Cerrar por falta de respuesta del usuario", "admin": False},
    )
    def cerrar_por_inactividad(self, *, ahora: datetime) -> None:
        resultado = self.Resultado.SIN_OBJECION if self.estado == self.Estado.RESPONDIDO else self.Resultado.SIN_INFORMACION
        self._cerrar(resultado, ahora)

    @transition(
        field=estado,
        source=[Estado.REGISTRADO, Estado.ASIGNADO, Estado.EN_ANALISIS],
        target=Estado.VINCULADO,
        permission=_atiende_mesa,
        custom={"label": "Vincular a un incidente principal"},
    )
    def vincular(self, *, padre: Ticket) -> None:
        self.padre = padre

    @transition(
        field=estado,
        source=Estado.VINCULADO,
        target=Estado.EN_ANALISIS,
        permission=_atiende_mesa,
        custom={"label": "Desvincular del incidente principal"},
    )
    def desvincular(self, *, analista) -> None:
        self.padre = None
        self.asignado_a = analista

    @transition(
        field=estado,
        source=[Estado.REGISTRADO, Estado.ASIGNADO, Estado.EN_ANALISIS],
        target=Estado.CERRADO,
        permission=_atiende_mesa,
        custom={"label": "Descartar", "requiere_comentario": True},
    )
    def descartar(self, *, ahora: datetime) -> None:
        self.sla_pausar(ahora)
        self._cerrar(self.Resultado.DESCARTADO, ahora)

    def _cerrar(self, resultado: str, ahora: datetime) -> None:
        self.resultado = resultado
        self.cerrado_en = ahora
        self.cierre_automatico_en = None


class Seguimiento(models.Model):
    """One message of a ticket's conversation (the user's, the analyst's, or an internal note)."""

    class Tipo(models.TextChoices):
        MENSAJE = "mensaje", "Mensaje del usuario"
        SOLICITUD = "solicitud_informacion", "Solicitud de información"
        RESPUESTA = "respuesta", "Respuesta de la Mesa de Servicios"
        NOTA = "nota_interna", "Nota interna"

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="seguimientos")
    tipo = models.CharField(max_length=24, choices=Tipo.choices)
    canal = models.CharField(max_length=10, choices=Ticket.Canal.choices, default=Ticket.Canal.WEB)
    autor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    texto = models.TextField()
    creado_en = models.DateTimeField(default=timezone.now)

    adjuntos = GenericRelation(Adjunto)

    class Meta:
        ordering = ["creado_en", "pk"]
        verbose_name = "seguimiento"
        verbose_name_plural = "seguimientos"
        indexes = [models.Index(fields=["ticket", "creado_en"], name="mesa_seguimiento_ticket")]

    def __str__(self) -> str:
        return f"{self.get_tipo_display()} ({self.creado_en:%d/%m/%Y %H:%M})"

    @property
    def visible_para_usuario(self) -> bool:
        return self.tipo != self.Tipo.NOTA


class AvisoSla(models.Model):
    """A breach warning already sent: one per ticket and threshold, whatever the job's re-runs."""

    class Umbral(models.TextChoices):
        RIESGO = "riesgo", "En riesgo"
        VENCIDO = "vencido", "Vencido"

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="avisos_sla")
    umbral = models.CharField(max_length=8, choices=Umbral.choices)
    creado_en = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "aviso de SLA"
        verbose_name_plural = "avisos de SLA"
        constraints = [models.UniqueConstraint(fields=["ticket", "umbral"], name="mesa_un_aviso_por_umbral")]

    def __str__(self) -> str:
        return f"{self.ticket.numero}: {self.get_umbral_display()}"
