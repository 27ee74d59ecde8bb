"""Benchmark settings: the production settings (DEBUG off, manifest static files, the same middleware) plus the
baseline app, served over plain HTTP on loopback. Only bench/correr.py and the seeding command use them."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "solo-para-benchmarks-en-loopback-no-es-secreta")
for _variable in ("DJANGO_SECURE_SSL_REDIRECT", "DJANGO_SESSION_COOKIE_SECURE", "DJANGO_CSRF_COOKIE_SECURE"):
    os.environ.setdefault(_variable, "false")  # plain HTTP on 127.0.0.1, no TLS proxy in front

from senae_portal.settings.production import *  # noqa: E402, F403

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
ROOT_URLCONF = "bench.urls"
STATIC_ROOT = os.environ.get("BENCH_STATIC_ROOT", str(BASE_DIR / "bench" / ".staticfiles"))  # noqa: F405
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
CELERY_TASK_DEFAULT_QUEUE = "bench"  # no worker consumes it; bench/correr.py drops it after the run
