"""Settings shared by every environment. Everything comes from environment variables with safe defaults.

Embedded defaults: SQLite file, eager Celery tasks, console e-mail. Set DATABASE_URL and REDIS_URL for
PostgreSQL and real workers. See the configuration table in README.md.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "si", "sí", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "django_celery_beat",
    "django_htmx",
    "auditlog",
    "tramites",
    "perfeccionamiento",
    "mesa_servicios",
    "transparencia",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tramites.entradas.EntradaInvalidaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "tramites.idempotencia.IdempotenciaMiddleware",
]

ROOT_URLCONF = "senae_portal.urls"
WSGI_APPLICATION = "senae_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tramites.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "tramites.Usuario"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "tramites:panel"
LOGOUT_REDIRECT_URL = "inicio"

LANGUAGE_CODE = "es-ec"
# Spanish only for now: every string of the UI is written in Spanish, and Django's own messages come in es.
# (An English translation needs a full catalogue under locale/ first; see docs/decisions/0002.)
LANGUAGES = [("es", _("Español"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Guayaquil"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024

# --- E-mail -------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Portal SENAE <no-responder@aduana.gob.ec>")

# --- Redis and caches ----------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")


def cache_compartida(alias: str, *, timeout_socket: float = 1) -> dict:
    """A cache every process shares: Redis when there is one (short socket timeouts, so an outage fails fast and
    the caller falls back), local memory otherwise (one process)."""
    if not REDIS_URL:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": alias}
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "senae" if alias == "calendario" else f"senae-{alias}",
        "OPTIONS": {"socket_connect_timeout": timeout_socket, "socket_timeout": timeout_socket},
    }


# The holiday calendar's version token (tramites/calendario.py, ADR 0012), the API and page rate limits
# (tramites/limites.py, ADR 0018) and the rendered PDFs (tramites/pdf.py) are shared by every process, so they live
# in Redis when there is one; each falls back (reads the table, lets the request pass, renders) if Redis is down.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "calendario": cache_compartida("calendario"),
    "limites": cache_compartida("limites", timeout_socket=float(os.environ.get("LIMITES_REDIS_TIMEOUT", "0.5"))),
    "pdf": cache_compartida("pdf"),
}
# Seconds a rendered PDF stays cached (keyed by its content, so a changed record never gets an old PDF).
PDF_CACHE_SEGUNDOS = int(os.environ.get("PDF_CACHE_SEGUNDOS", str(7 * 24 * 3600)))

# --- Celery --------------------------------------------------------------------------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL or "memory://localhost/")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", REDIS_URL or "cache+memory://")
# Without a broker the portal still works: tasks run in-process (eager) when they are sent.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not (REDIS_URL or os.environ.get("CELERY_BROKER_URL")))
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# An unacknowledged task (its worker died) goes back to the queue once it is older than `visibility_timeout`
# seconds (acks_late + Redis); workers look for such tasks every `unacked_restore_interval` seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600")),
    "unacked_restore_interval": int(os.environ.get("CELERY_RESTAURAR_CADA", "60")),
    "unacked_restore_throttle": 1,
    # A broker outage must not hang a request: the outbox (tramites/salidas.py, ADR 0014) publishes after commit
    # with these socket timeouts and the short retry policy below; an unpublished row waits for the sweep.
    "socket_connect_timeout": float(os.environ.get("CELERY_BROKER_TIMEOUT", "1")),
    "socket_timeout": float(os.environ.get("CELERY_BROKER_TIMEOUT", "1")),
}
CELERY_BROKER_CONNECTION_TIMEOUT = float(os.environ.get("CELERY_BROKER_TIMEOUT", "1"))
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = float(os.environ.get("CELERY_BROKER_TIMEOUT", "1"))
CELERY_REDIS_SOCKET_TIMEOUT = float(os.environ.get("CELERY_BROKER_TIMEOUT", "1"))

# --- Transactional outbox (tramites/salidas.py) --------------------------------------------------
SALIDAS_MAX_INTENTOS = int(os.environ.get("SALIDAS_MAX_INTENTOS", "8"))
SALIDAS_REINTENTO_BASE_SEGUNDOS = int(os.environ.get("SALIDAS_REINTENTO_BASE_SEGUNDOS", "30"))
SALIDAS_REINTENTO_MAXIMO_SEGUNDOS = int(os.environ.get("SALIDAS_REINTENTO_MAXIMO_SEGUNDOS", "3600"))
SALIDAS_TAMANO_LOTE = int(os.environ.get("SALIDAS_TAMANO_LOTE", "50"))
CELERY_TIMEZONE = TIME_ZONE

# --- REST API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tramites.api.authentication.TokenClienteAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # A JSON body is an object without NUL characters, or a 400 (tramites/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "tramites.api.parsers.JSONObjetoParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "senae_portal.api.pagination.CursorPorId",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "senae_portal.api.exception_handler.manejar_excepcion",
    # Rate limits (tramites/limites.py, ADR 0018): per token, per user, per IP when anonymous, and the stricter
    # scopes a view names (PDF downloads, full-text search), all counted in the shared `limites` cache.
    "DEFAULT_THROTTLE_CLASSES": [
        "tramites.limites.LimitePorToken",
        "tramites.limites.LimitePorUsuario",
        "tramites.limites.LimiteAnonimo",
        "tramites.limites.LimitePorAlcance",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("LIMITE_ANONIMO", "60/min"),
        "user": os.environ.get("LIMITE_USUARIO", "600/min"),
        "token": os.environ.get("LIMITE_TOKEN", "300/min"),
        "pdf": os.environ.get("LIMITE_PDF", "20/min"),
        "busqueda": os.environ.get("LIMITE_BUSQUEDA", "30/min"),
    },
    # Trusted reverse proxies in front of gunicorn: 0 counts REMOTE_ADDR (a client cannot forge X-Forwarded-For).
    "NUM_PROXIES": int(os.environ.get("DJANGO_NUM_PROXIES", "0")),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API del Portal SENAE",
    "DESCRIPTION": (
        "API REST para el software de los agentes de aduana: régimen 21 (admisión temporal para "
        "perfeccionamiento activo) y Mesa de Servicios. Autenticación: `Authorization: Token <clave>` con "
        "un token de cliente revocable. Todos los errores tienen la forma `{code, message, errors}`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # One named enum per state machine (fields called `estado` or `tipo` exist on many models).
    "ENUM_NAME_OVERRIDES": {
        "EstadoOperadorEnum": "tramites.models.Operador.Estado",
        "TipoOperadorEnum": "tramites.models.Operador.Tipo",
        "EstadoSolicitudEnum": "perfeccionamiento.models.SolicitudAutorizacion.Estado",
        "EstadoGarantiaEnum": "perfeccionamiento.models.Garantia.Estado",
        "TipoGarantiaEnum": "perfeccionamiento.models.Garantia.Tipo",
        "EstadoCodigoEnum": "perfeccionamiento.models.codigos.CodigoBase.Estado",
        "EstadoVersionEnum": "perfeccionamiento.models.VersionCoeficientes.Estado",
        "EstadoDaiEnum": "perfeccionamiento.models.DAI.Estado",
        "CanalAforoEnum": "perfeccionamiento.models.ReglaCanal.Canal",
        "EstadoAnexoEnum": "perfeccionamiento.models.AnexoCompensatorio.Estado",
        "TipoAnexoEnum": "perfeccionamiento.models.AnexoCompensatorio.Tipo",
        "TipoMovimientoEnum": "perfeccionamiento.models.MovimientoInsumo.Tipo",
        "CanalTicketEnum": "mesa_servicios.models.ticket.Ticket.Canal",
        "TipoTicketEnum": "mesa_servicios.models.catalogo.TipoTicket",
        "EstadoTicketEnum": "mesa_servicios.models.ticket.Ticket.Estado",
        "TipoSeguimientoEnum": "mesa_servicios.models.ticket.Seguimiento.Tipo",
        "OrigenEstadisticaEnum": "transparencia.models.EstadisticaMensual.Origen",
        "TipoAlertaEnum": "transparencia.alertas.TipoAlerta",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "senae_portal.api.schema.agregar_respuestas_de_error",
        "senae_portal.api.schema.filtros_vacios",
    ],
}

# --- Portal rules --------------------------------------------------------------------------------
ADJUNTOS_TAMANO_MAXIMO_MB = int(os.environ.get("ADJUNTOS_TAMANO_MAXIMO_MB", "10"))
ADJUNTOS_TIPOS_PERMITIDOS = ["application/pdf", "image/png", "image/jpeg"]
IDEMPOTENCIA_HORAS = int(os.environ.get("IDEMPOTENCIA_HORAS", "24"))
PORTAL_URL_BASE = os.environ.get("PORTAL_URL_BASE", "http://127.0.0.1:8000")
# Régimen 21: legal terms of a guarantee's collection notice, in business days (DOMAIN.md §B3).
GARANTIA_DIAS_IMPUGNACION = int(os.environ.get("GARANTIA_DIAS_IMPUGNACION", "20"))
GARANTIA_DIA_EFECTIVIZACION = int(os.environ.get("GARANTIA_DIA_EFECTIVIZACION", "60"))
# Régimen 21: term of a DAI's goods from release (one year, DOMAIN.md §B2) and the inspection channel when no
# risk rule matches (rules are edited by officials in the admin).
DAI_PLAZO_MESES = int(os.environ.get("DAI_PLAZO_MESES", "12"))
AFORO_CANAL_POR_OMISION = os.environ.get("AFORO_CANAL_POR_OMISION", "automatico")
# Expiry alerts (perfeccionamiento/services/vencimientos.py): lead days before an end date, records per batch
# (one transaction each) and an optional pause between batches to spare the database.
ALERTAS_DIAS_ANTICIPACION = env_list("ALERTAS_DIAS_ANTICIPACION", "90,60,30,15,7,1")
ALERTAS_TAMANO_LOTE = int(os.environ.get("ALERTAS_TAMANO_LOTE", "500"))
ALERTAS_PAUSA_ENTRE_LOTES = float(os.environ.get("ALERTAS_PAUSA_ENTRE_LOTES", "0"))
# Business days the receiving beneficiary has to accept a transfer of ownership (cesión) before it lapses.
ANEXO_CESION_DIAS_ACEPTACION = int(os.environ.get("ANEXO_CESION_DIAS_ACEPTACION", "10"))
# Business days after the compensating declaration's date to file its anexo; later ones are refused (0: no limit).
ANEXO_PLAZO_DIAS_HABILES = int(os.environ.get("ANEXO_PLAZO_DIAS_HABILES", "20"))
# A loss or destruction (DAI 87) that is not force majeure pays the suspended taxes, like a nationalisation.
ANEXO_PERDIDA_TRIBUTA = env_bool("ANEXO_PERDIDA_TRIBUTA", True)
# Business hours (tramites/calendario.py): Monday–Friday, without the holidays of tramites.Feriado (ADR 0012).
JORNADA_INICIO_HORA = int(os.environ.get("JORNADA_INICIO_HORA", "8"))
JORNADA_FIN_HORA = int(os.environ.get("JORNADA_FIN_HORA", "17"))
# Outgoing webhooks to agencies (tramites/red.py, ADR 0016): HTTPS only unless WEBHOOK_PERMITIR_HTTP; ports
# allowed for https (http adds 80); CIDR networks exempt from the public-address check (empty in production);
# connect timeout and total deadline of one attempt, in seconds.
WEBHOOK_PERMITIR_HTTP = env_bool("WEBHOOK_PERMITIR_HTTP", False)
WEBHOOK_PUERTOS_PERMITIDOS = [int(p) for p in env_list("WEBHOOK_PUERTOS_PERMITIDOS", "443")]
WEBHOOK_REDES_PERMITIDAS = env_list("WEBHOOK_REDES_PERMITIDAS", "")
WEBHOOK_TIEMPO_CONEXION = float(os.environ.get("WEBHOOK_TIEMPO_CONEXION", "3"))
WEBHOOK_TIEMPO_TOTAL = float(os.environ.get("WEBHOOK_TIEMPO_TOTAL", "10"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Mesa de Servicios (README, "Configuración") ----------------------------------------------------------
MESA_CORREO_BUZON = os.environ.get("MESA_CORREO_BUZON", "mesadeservicios@aduana.gob.ec")
MESA_CORREO_MOTIVO = os.environ.get("MESA_CORREO_MOTIVO", "otros")
# authserv-id of the receiving MTA's Authentication-Results header; empty: no sender is authenticated
MESA_CORREO_AUTHSERV_ID = os.environ.get("MESA_CORREO_AUTHSERV_ID", "")
MESA_CORREO_TAMANO_MAXIMO = int(os.environ.get("MESA_CORREO_TAMANO_MAXIMO", str(35 * 1024 * 1024)))
MESA_DIAS_CIERRE_AUTOMATICO = int(os.environ.get("MESA_DIAS_CIERRE_AUTOMATICO", "5"))
MESA_ADJUNTOS_MAXIMO = int(os.environ.get("MESA_ADJUNTOS_MAXIMO", "10"))
MESA_IMAP_HOST = os.environ.get("MESA_IMAP_HOST", "")
MESA_IMAP_PORT = int(os.environ.get("MESA_IMAP_PORT", "993"))
MESA_IMAP_USUARIO = os.environ.get("MESA_IMAP_USUARIO", "")
MESA_IMAP_CLAVE = os.environ.get("MESA_IMAP_CLAVE", "")
MESA_IMAP_CARPETA = os.environ.get("MESA_IMAP_CARPETA", "INBOX")
MESA_IMAP_SSL = env_bool("MESA_IMAP_SSL", True)
