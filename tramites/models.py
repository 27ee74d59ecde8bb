"""Shared framework models: users and roles, operators (OCE), customs agents and their delegations,
customs districts, the audited transition log, attachments, notifications and API client tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import FSMField, transition

from .fsm import RegistroFSM


class Usuario(AbstractUser):
    """A person who signs in. Belongs to at most one operator (OCE) or one customs agency."""

    email = models.EmailField("correo electrónico", unique=True)
    cedula = models.CharField("cédula o pasaporte", max_length=20, blank=True)
    telefono = models.CharField("teléfono", max_length=20, blank=True)
    operador = models.ForeignKey(
        "tramites.Operador",
        verbose_name="operador (OCE)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="usuarios",
    )
    agente = models.ForeignKey(
        "tramites.AgenteAduana",
        verbose_name="agencia de aduana",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="usuarios",
    )

    class Meta:
        verbose_name = "usuario"
        verbose_name_plural = "usuarios"
        constraints = [
            models.CheckConstraint(
                name="usuario_operador_o_agente",
                condition=Q(operador__isnull=True) | Q(agente__isnull=True),
                violation_error_message="Un usuario pertenece a un operador o a una agencia, no a ambos.",
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def es_funcionario(self) -> bool:
        return self.is_staff

    @property
    def rol(self) -> str:
        if self.is_staff:
            return "funcionario"
        if self.agente_id:
            return "agente"
        if self.operador_id:
            return "operador"
        return "ciudadano"


class Distrito(models.Model):
    """Customs district (distrito aduanero), codes of the SRI ATS catalogue (table 6)."""

    codigo = models.CharField("código", max_length=3, unique=True)
    nombre = models.CharField(max_length=120)
    activo = models.BooleanField(default=True)

    class Meta:
        ordering = ["codigo"]
        verbose_name = "distrito aduanero"
        verbose_name_plural = "distritos aduaneros"

    def __str__(self) -> str:
        return f"{self.codigo} {self.nombre}"


class Operador(RegistroFSM):
    """Operador de comercio exterior (OCE), identified by its RUC. Verified by SENAE before it files."""

    class Estado(models.TextChoices):
        REGISTRADO = "registrado", "Registrado (por verificar)"
        HABILITADO = "habilitado", "Habilitado"
        RECHAZADO = "rechazado", "Rechazado"
        SUSPENDIDO = "suspendido", "Suspendido"

    class Tipo(models.TextChoices):
        IMPORTADOR = "importador", "Importador / exportador"
        MAQUILA = "maquila", "Maquilador"
        INSTALACION = "instalacion_industrial", "Instalación industrial"
        OTRO = "otro", "Otro OCE"

    ruc = models.CharField("RUC", max_length=13, unique=True)
    razon_social = models.CharField("razón social", max_length=200)
    tipo = models.CharField(max_length=30, choices=Tipo.choices, default=Tipo.IMPORTADOR)
    domiciliado_ecuador = models.BooleanField("domiciliado en Ecuador", default=True)
    direccion = models.CharField("dirección", max_length=250, blank=True)
    email = models.EmailField("correo de notificaciones")
    telefono = models.CharField("teléfono", max_length=20, blank=True)
    distrito = models.ForeignKey(Distrito, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    estado = FSMField(choices=Estado.choices, default=Estado.REGISTRADO, protected=True, db_index=True)

    class Meta:
        ordering = ["razon_social"]
        verbose_name = "operador de comercio exterior"
        verbose_name_plural = "operadores de comercio exterior"
        permissions = [("verificar_operador", "Puede verificar, rechazar y suspender operadores")]

    def __str__(self) -> str:
        return f"{self.razon_social} ({self.ruc})"

    @transition(
        field=estado,
        source=Estado.REGISTRADO,
        target=Estado.HABILITADO,
        permission="tramites.verificar_operador",
        custom={"label": "Habilitar"},
    )
    def habilitar(self) -> None:
        """SENAE verified the RUC and the registration data."""

    @transition(
        field=estado,
        source=Estado.REGISTRADO,
        target=Estado.RECHAZADO,
        permission="tramites.verificar_operador",
        custom={"label": "Rechazar", "requiere_comentario": True},
    )
    def rechazar(self) -> None:
        """The registration data could not be verified."""

    @transition(
        field=estado,
        source=Estado.HABILITADO,
        target=Estado.SUSPENDIDO,
        permission="tramites.verificar_operador",
        custom={"label": "Suspender", "requiere_comentario": True},
    )
    def suspender(self) -> None:
        """The operator may not file new procedures while suspended."""

    @transition(
        field=estado,
        source=Estado.SUSPENDIDO,
        target=Estado.HABILITADO,
        permission="tramites.verificar_operador",
        custom={"label": "Levantar suspensión"},
    )
    def rehabilitar(self) -> None:
        """The suspension is lifted."""


def _secreto_webhook() -> str:
    return secrets.token_hex(32)


class AgenteAduana(models.Model):
    """Licensed customs agency (agente de aduana) whose software integrates over the API."""

    ruc = models.CharField("RUC", max_length=13, unique=True)
    nombre = models.CharField(max_length=200)
    licencia = models.CharField("número de licencia", max_length=30, unique=True)
    email = models.EmailField("correo de notificaciones")
    activo = models.BooleanField(default=True)
    webhook_url = models.URLField(
        "URL de webhook", blank=True, help_text="El portal envía aquí, firmado con HMAC-SHA256, cada cambio de estado."
    )
    webhook_secreto = models.CharField("secreto del webhook", max_length=64, default=_secreto_webhook, editable=False)

    class Meta:
        ordering = ["nombre"]
        verbose_name = "agente de aduana"
        verbose_name_plural = "agentes de aduana"

    def __str__(self) -> str:
        return f"{self.nombre} (licencia {self.licencia})"


class DelegacionQuerySet(models.QuerySet["Delegacion"]):
    def activas(self, al: date | None = None) -> DelegacionQuerySet:
        dia = al or timezone.localdate()
        return self.filter(revocada_en__isnull=True, desde__lte=dia).filter(Q(hasta__isnull=True) | Q(hasta__gte=dia))


class Delegacion(models.Model):
    """An operator lets a customs agent act for it, from a date and optionally until a date."""

    operador = models.ForeignKey(Operador, on_delete=models.PROTECT, related_name="delegaciones")
    agente = models.ForeignKey(AgenteAduana, on_delete=models.PROTECT, related_name="delegaciones")
    desde = models.DateField("vigente desde")
    hasta = models.DateField("vigente hasta", null=True, blank=True)
    revocada_en = models.DateTimeField("revocada en", null=True, blank=True)
    revocada_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="revocada por", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # db_default: rows inserted by raw SQL (bench/sembrar.py) get an empty reason too.
    motivo_revocacion = models.TextField("motivo de la revocación", blank=True, default="", db_default="")
    creada_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    creada_en = models.DateTimeField(auto_now_add=True)

    objects = DelegacionQuerySet.as_manager()

    class Meta:
        ordering = ["-desde"]
        verbose_name = "delegación a agente de aduana"
        verbose_name_plural = "delegaciones a agentes de aduana"
        permissions = [("revocar_delegacion", "Puede revocar la delegación de cualquier operador (con motivo)")]
        constraints = [
            models.CheckConstraint(
                name="delegacion_hasta_posterior",
                condition=Q(hasta__isnull=True) | Q(hasta__gte=models.F("desde")),
                violation_error_message="La fecha final no puede ser anterior a la inicial.",
            )
        ]
        indexes = [models.Index(fields=["agente", "operador"])]

    def __str__(self) -> str:
        return f"{self.operador.razon_social} → {self.agente.nombre}"

    def activa(self, al: date | None = None) -> bool:
        dia = al or timezone.localdate()
        return self.revocada_en is None and self.desde <= dia and (self.hasta is None or self.hasta >= dia)


class TransicionQuerySet(models.QuerySet["Transicion"]):
    def de(self, objeto: models.Model) -> TransicionQuerySet:
        return self.filter(content_type=ContentType.objects.get_for_model(objeto), object_id=objeto.pk)


class Transicion(models.Model):
    """Append-only log of every state change of every audited record (who, when, from, to, comment)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    objeto = GenericForeignKey("content_type", "object_id")
    transicion = models.CharField("transición", max_length=60)
    desde = models.CharField("estado anterior", max_length=40)
    hacia = models.CharField("estado nuevo", max_length=40)
    por = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    en = models.DateTimeField(default=timezone.now, db_index=True)
    comentario = models.TextField(blank=True)

    objects = TransicionQuerySet.as_manager()

    class Meta:
        ordering = ["en", "pk"]
        verbose_name = "transición de estado"
        verbose_name_plural = "transiciones de estado"
        indexes = [models.Index(fields=["content_type", "object_id", "en"])]

    def __str__(self) -> str:
        return f"{self.desde} → {self.hacia} ({self.transicion})"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("El registro de transiciones es de solo agregado: no se modifica.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("El registro de transiciones es de solo agregado: no se elimina.")


def nombre_recortado(nombre: str, maximo: int) -> str:
    """`nombre` cut to `maximo` characters keeping its extension (a 300-character upload name overflowed the
    column and the file system's 255-byte limit: a 500)."""
    nombre = nombre or "archivo"
    if len(nombre) <= maximo:
        return nombre
    base, punto, extension = nombre.rpartition(".")
    if not punto or not base or len(extension) > 10:
        return nombre[:maximo]
    return f"{base[: maximo - len(extension) - 1]}.{extension}"


def ruta_adjunto(instancia: Adjunto, nombre: str) -> str:
    hoy = timezone.localdate()
    # 50 characters of the name (at most 200 bytes in UTF-8): the path fits `archivo` (300) and the file system (255)
    return f"adjuntos/{hoy:%Y/%m}/{secrets.token_hex(8)}-{nombre_recortado(nombre, 50)}"


class Adjunto(models.Model):
    """A validated file attached to any record (supporting documents, screenshots, evidence)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    objeto = GenericForeignKey("content_type", "object_id")
    archivo = models.FileField(upload_to=ruta_adjunto, max_length=300)
    nombre = models.CharField("nombre del archivo", max_length=200)
    descripcion = models.CharField("descripción", max_length=200, blank=True)
    tipo_contenido = models.CharField("tipo de contenido", max_length=100)
    tamano = models.PositiveBigIntegerField("tamaño (bytes)")
    sha256 = models.CharField(max_length=64)
    subido_por = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    subido_en = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["subido_en", "pk"]
        verbose_name = "adjunto"
        verbose_name_plural = "adjuntos"
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.nombre


class Notificacion(models.Model):
    """A message to a user, shown in the portal and sent by e-mail (delivery time recorded)."""

    usuario = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notificaciones")
    asunto = models.CharField(max_length=200)
    mensaje = models.TextField()
    enlace = models.CharField(max_length=300, blank=True)
    creada_en = models.DateTimeField(auto_now_add=True, db_index=True)
    leida_en = models.DateTimeField(null=True, blank=True)
    correo_enviado_en = models.DateTimeField("correo enviado en", null=True, blank=True)

    class Meta:
        ordering = ["-creada_en", "-pk"]
        verbose_name = "notificación"
        verbose_name_plural = "notificaciones"

    def __str__(self) -> str:
        return self.asunto


def _hash_clave(clave: str) -> str:
    return hashlib.sha256(clave.encode()).hexdigest()


class TokenClienteQuerySet(models.QuerySet["TokenCliente"]):
    def vigentes(self) -> TokenClienteQuerySet:
        return self.filter(revocado_en__isnull=True)


class TokenCliente(models.Model):
    """A revocable API token for one piece of client software. Only the SHA-256 of the key is stored."""

    usuario = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tokens")
    nombre = models.CharField("nombre del cliente", max_length=100)
    prefijo = models.CharField(max_length=8, db_index=True)
    clave_hash = models.CharField(max_length=64, unique=True)
    creado_en = models.DateTimeField(auto_now_add=True)
    ultimo_uso = models.DateTimeField("último uso", null=True, blank=True)
    revocado_en = models.DateTimeField("revocado en", null=True, blank=True)

    objects = TokenClienteQuerySet.as_manager()

    class Meta:
        ordering = ["-creado_en"]
        verbose_name = "token de cliente API"
        verbose_name_plural = "tokens de clientes API"

    def __str__(self) -> str:
        return f"{self.nombre} ({self.prefijo}…)"

    @staticmethod
    def generar_clave() -> str:
        return secrets.token_urlsafe(32)

    @staticmethod
    def hash_de(clave: str) -> str:
        return _hash_clave(clave)


class EntregaWebhook(models.Model):
    """One webhook delivery of one state change to one agency: created once (unique), retried with backoff."""

    class Estado(models.TextChoices):
        PENDIENTE = "pendiente", "Pendiente"
        ENTREGADA = "entregada", "Entregada"
        FALLIDA = "fallida", "Fallida (sin más reintentos)"

    agente = models.ForeignKey(AgenteAduana, on_delete=models.CASCADE, related_name="entregas_webhook")
    transicion = models.ForeignKey(Transicion, on_delete=models.PROTECT, related_name="entregas_webhook")
    evento = models.CharField(max_length=120)
    url = models.URLField()
    carga = models.JSONField("carga (JSON)")
    estado = models.CharField(max_length=12, choices=Estado.choices, default=Estado.PENDIENTE, db_index=True)
    intentos = models.PositiveIntegerField(default=0)
    ultimo_codigo_http = models.PositiveIntegerField("último código HTTP", null=True, blank=True)
    ultimo_error = models.TextField("último error", blank=True)
    creada_en = models.DateTimeField(auto_now_add=True)
    entregada_en = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-creada_en", "-pk"]
        verbose_name = "entrega de webhook"
        verbose_name_plural = "entregas de webhooks"
        constraints = [models.UniqueConstraint(fields=["transicion", "agente"], name="webhook_una_entrega_por_agente")]

    def __str__(self) -> str:
        return f"{self.evento} → {self.agente.nombre}"


class SolicitudIdempotente(models.Model):
    """The first response to an API write sent with an `Idempotency-Key`; a retry gets it back verbatim."""

    propietario = models.CharField(max_length=64, help_text="SHA-256 de la credencial o del usuario de la sesión.")
    clave = models.CharField(max_length=255)
    metodo = models.CharField(max_length=10)
    ruta = models.CharField(max_length=500)
    huella = models.CharField("huella del cuerpo", max_length=64)
    codigo_http = models.PositiveIntegerField(null=True, blank=True)
    tipo_contenido = models.CharField(max_length=100, blank=True)
    cuerpo = models.BinaryField(default=b"")
    escritura_confirmada_en = models.DateTimeField(
        "escritura confirmada en", null=True, blank=True, help_text="Cuándo confirmó la primera escritura de la solicitud."
    )
    creada_en = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "solicitud idempotente"
        verbose_name_plural = "solicitudes idempotentes"
        constraints = [models.UniqueConstraint(fields=["propietario", "clave"], name="idempotencia_clave_unica")]

    def __str__(self) -> str:
        return f"{self.metodo} {self.ruta} ({self.clave})"


class Secuencia(models.Model):
    """Last number issued per numbering key (e.g. `MDS-2026`); see tramites/numeracion.py."""

    clave = models.CharField(max_length=60, unique=True)
    ultimo = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "secuencia de numeración"
        verbose_name_plural = "secuencias de numeración"

    def __str__(self) -> str:
        return f"{self.clave}: {self.ultimo}"


class Feriado(models.Model):
    """One day of the holiday calendar, national (`distrito` empty) or of one customs district.

    `descanso` says whether the day is rested. A holiday the 2016 law moves has two rows: the original day with
    `descanso=False` (it is worked) and the day actually rested with `descanso=True`. A district row prevails over
    the national row of the same date for that district. Read through `tramites.calendario` (ADR 0012).
    """

    class Origen(models.TextChoices):
        LEY = "ley", "Ley (calculado por el portal)"
        LOCAL = "local", "Feriado local (cantonal o provincial)"
        DECRETO_ADICIONAL = "decreto_adicional", "Día de descanso adicional decretado"
        DECRETO_TRASLADO = "decreto_traslado", "Traslado decretado"

    fecha = models.DateField()
    nombre = models.CharField(max_length=200)
    distrito = models.ForeignKey(
        Distrito,
        verbose_name="distrito",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feriados",
        help_text="Vacío: feriado nacional. Con distrito: solo cuenta para los plazos de ese distrito.",
    )
    origen = models.CharField(max_length=20, choices=Origen.choices)
    descanso = models.BooleanField(
        "día de descanso",
        default=True,
        help_text="Desmárquelo si ese día se trabaja (p. ej. cuando un decreto traslada el descanso a otra fecha).",
    )
    base_legal = models.CharField(
        "base legal u observación", max_length=200, blank=True, help_text="Decreto, ordenanza o acuerdo que lo dispone."
    )
    actualizado_en = models.DateTimeField("actualizado en", auto_now=True)

    class Meta:
        ordering = ["fecha", "distrito__codigo"]
        verbose_name = "feriado"
        verbose_name_plural = "calendario de feriados"
        constraints = [
            models.UniqueConstraint(
                fields=["fecha"],
                condition=Q(distrito__isnull=True),
                name="feriado_nacional_unico_por_fecha",
                violation_error_message="Ya existe un feriado nacional en esa fecha; edítelo en lugar de crear otro.",
            ),
            models.UniqueConstraint(
                fields=["fecha", "distrito"],
                condition=Q(distrito__isnull=False),
                name="feriado_distrito_unico_por_fecha",
                violation_error_message="Ese distrito ya tiene un feriado en esa fecha; edítelo en lugar de crear otro.",
            ),
            models.CheckConstraint(
                name="feriado_local_con_distrito",
                condition=~Q(origen="local") | Q(distrito__isnull=False),
                violation_error_message="Un feriado local necesita el distrito donde rige.",
            ),
            models.CheckConstraint(
                name="feriado_de_ley_nacional",
                condition=~Q(origen="ley") | Q(distrito__isnull=True),
                violation_error_message="Los feriados de ley son nacionales.",
            ),
        ]

    def __str__(self) -> str:
        ambito = self.distrito.nombre if self.distrito_id else "nacional"
        return f"{self.fecha:%d/%m/%Y} {self.nombre} ({ambito})"


class SalidaQuerySet(models.QuerySet["Salida"]):
    def pendientes_vencidas(self, *, ahora=None) -> SalidaQuerySet:
        return self.filter(estado=Salida.Estado.PENDIENTE, proximo_intento__lte=ahora or timezone.now())


class Salida(models.Model):
    """Transactional outbox: one side effect (e-mail, webhook, task) written in the same transaction as the
    change that causes it, delivered after commit by a worker or by the periodic sweep (tramites/salidas.py)."""

    class Estado(models.TextChoices):
        PENDIENTE = "pendiente", "Pendiente"
        ENTREGADA = "entregada", "Entregada"
        FALLIDA = "fallida", "Fallida (sin más reintentos)"

    manejador = models.CharField("manejador", max_length=100, help_text="Nombre registrado en tramites.salidas.")
    argumentos = models.JSONField("argumentos (JSON)", default=dict)
    clave = models.CharField("clave de idempotencia", max_length=200, unique=True)
    estado = models.CharField(max_length=12, choices=Estado.choices, default=Estado.PENDIENTE)
    intentos = models.PositiveIntegerField(default=0)
    proximo_intento = models.DateTimeField("próximo intento", default=timezone.now)
    ultimo_error = models.TextField("último error", blank=True)
    creada_en = models.DateTimeField(auto_now_add=True, db_index=True)
    actualizada_en = models.DateTimeField(auto_now=True)
    entregada_en = models.DateTimeField(null=True, blank=True)

    objects = SalidaQuerySet.as_manager()

    class Meta:
        ordering = ["-creada_en", "-pk"]
        verbose_name = "mensaje saliente"
        verbose_name_plural = "mensajes salientes"
        permissions = [("reencolar_salida", "Puede volver a poner en cola un mensaje saliente")]
        indexes = [models.Index(fields=["proximo_intento"], name="salida_pendiente_idx", condition=Q(estado="pendiente"))]

    def __str__(self) -> str:
        return f"{self.manejador} ({self.clave})"
