"""Request rate limits for the API and for the expensive pages (PDFs, search), counted in the `limites` cache.

- `limites` is Redis when `REDIS_URL` is set, so every gunicorn process and every host counts the same requests;
  otherwise it is local memory (one process: development, tests).
- Who is counted: an API token by itself (`token`), a logged-in user across its sessions and tokens (`user`), an
  anonymous client by IP (`anon`, REMOTE_ADDR unless `DJANGO_NUM_PROXIES` trusted proxies add X-Forwarded-For).
- A view may name a stricter scope (`limite = "pdf"` or `"busqueda"` on a DRF view, `@limitar("pdf")` on a Django
  view); it is counted on top of the general limits, per token, user or IP.
- Rates live in `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]` and are read on every request.
- A cache outage fails open: the request passes and a warning is logged (a Redis outage must not take the API
  down with it).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from functools import wraps

from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

from .models import TokenCliente

logger = logging.getLogger(__name__)

CACHE = "limites"


class _LimiteBase(SimpleRateThrottle):
    """DRF's fixed-window-log throttle on the shared cache, with rates read per request and failing open."""

    @property
    def cache(self):  # type: ignore[override]
        return caches[CACHE]

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except Exception:  # the cache backend's connection errors (redis.ConnectionError, TimeoutError, OSError)
            logger.warning("Límite «%s» sin contar: la caché «%s» no responde.", self.scope, CACHE, exc_info=True)
            return True

    def wait(self) -> float | None:
        espera = super().wait()
        return None if espera is None else max(1.0, espera)


def _quien(request) -> str:
    """The counted identity: the token, else the user, else the client's IP."""
    token = getattr(request, "auth", None)
    if isinstance(token, TokenCliente):
        return f"token-{token.pk}"
    usuario = getattr(request, "user", None)
    if usuario is not None and usuario.is_authenticated:
        return f"usuario-{usuario.pk}"
    return f"ip-{_ip(request)}"


def _ip(request) -> str:
    return BaseThrottle().get_ident(request)


class LimitePorToken(_LimiteBase):
    scope = "token"

    def get_cache_key(self, request, view) -> str | None:
        token = getattr(request, "auth", None)
        if not isinstance(token, TokenCliente):
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk}


class LimitePorUsuario(_LimiteBase):
    scope = "user"

    def get_cache_key(self, request, view) -> str | None:
        if not request.user or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class LimiteAnonimo(_LimiteBase):
    scope = "anon"

    def get_cache_key(self, request, view) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": _ip(request)}


class LimitePorAlcance(_LimiteBase):
    """The stricter limit a view names with `limite = "<scope>"` (none: no extra limit)."""

    def allow_request(self, request, view) -> bool:
        self.scope = getattr(view, "limite", None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def __init__(self) -> None:  # the rate depends on the view: parsed in allow_request
        pass

    def get_cache_key(self, request, view) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": _quien(request)}


def respuesta_429(request: HttpRequest, espera: float | None) -> HttpResponse:
    """Spanish 429 page for the browser (the API answers with its JSON error through the exception handler)."""
    segundos = math.ceil(espera) if espera else 60
    respuesta = render(request, "429.html", {"segundos": segundos}, status=429)
    respuesta["Retry-After"] = str(segundos)
    return respuesta


def limitar(alcance: str) -> Callable:
    """Decorator for a Django view: the scope's rate per user (or IP), plus the general `user`/`anon` limit."""

    def decorador(vista: Callable) -> Callable:
        @wraps(vista)
        def envoltura(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            objetivo = type("Vista", (), {"limite": alcance})()
            limites = [LimitePorAlcance(), LimitePorUsuario(), LimiteAnonimo()]
            esperas = [lim.wait() for lim in limites if not lim.allow_request(request, objetivo)]
            if esperas:
                return respuesta_429(request, max((e for e in esperas if e is not None), default=None))
            return vista(request, *args, **kwargs)

        return envoltura

    return decorador
