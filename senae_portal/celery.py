"""Celery application. Broker and backend come from settings (REDIS_URL); without it tasks run eagerly."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "senae_portal.settings.local")

app = Celery("senae_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
