"""Test settings: fast hashing, in-memory e-mail, plain static storage."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR

SECRET_KEY = "clave-de-pruebas-no-secreta"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / ".pytest-media" / str(os.getpid())
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405
ALLOWED_HOSTS = ["*"]  # the test client and live_server use several host names

# Unit tests run tasks in-process; tests/test_celery_worker.py switches this off to use a real worker on Redis.
CELERY_TASK_ALWAYS_EAGER = True
# Real-worker tests under pytest-xdist: each test process gets its own queue, so a worker started by one
# process never takes a task meant for another process's test database.
CELERY_TASK_DEFAULT_QUEUE = f"pruebas-{os.environ.get('PYTEST_XDIST_WORKER', 'principal')}"

# Rate limits and the PDF cache count per test process, in memory (tests/conftest.py empties them before each test);
# the rates are high so the suite's many requests never meet them. tests/tramites/test_limites.py lowers them and
# points `limites` at Redis to count across processes.
CACHES = {
    **CACHES,  # noqa: F405
    "limites": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "limites"},
    "pdf": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pdf"},
}
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": dict.fromkeys(REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "100000/min"),  # noqa: F405
}

# Webhook tests deliver to receivers on 127.0.0.1 over http on ephemeral ports; tests/tramites/test_webhooks_ssrf.py
# puts the production rules back (no loopback, ports 443/80) and checks each refusal.
WEBHOOK_PERMITIR_HTTP = True
WEBHOOK_PUERTOS_PERMITIDOS = None
WEBHOOK_REDES_PERMITIDAS = ["127.0.0.1/32"]
WEBHOOK_TIEMPO_CONEXION = 2
WEBHOOK_TIEMPO_TOTAL = 2
