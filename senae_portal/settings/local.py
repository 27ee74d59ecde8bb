"""Developer/demo settings: DEBUG on, a fixed development key, SQLite unless DATABASE_URL is set."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or "solo-para-desarrollo-local-no-usar-en-produccion"  # noqa: S105
# A developer's agency simulator may listen on plain http (still never on a private address unless
# WEBHOOK_REDES_PERMITIDAS names it).
WEBHOOK_PERMITIR_HTTP = env_bool("WEBHOOK_PERMITIR_HTTP", True)

# Tasks run in-process here (no broker): their "succeeded" lines would flood the runserver console.
LOGGING["loggers"]["celery.app.trace"] = {"level": "WARNING"}  # noqa: F405
