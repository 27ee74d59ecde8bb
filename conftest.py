"""Root test configuration (shared by every app's tests)."""

import os
import shutil

import pytest

# Playwright's sync API leaves an event loop in the thread; pytest-django's teardown must still use the ORM.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium de Debian no está instalado (apt-get install -y chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def _media_temporal(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _limites_y_pdf_vacios():
    """Rate-limit counters and cached PDFs (in-memory caches in test settings) never leak from one test to another."""
    from django.core.cache import caches

    caches["limites"].clear()
    caches["pdf"].clear()
