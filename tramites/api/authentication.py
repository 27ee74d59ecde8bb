"""Per-client revocable tokens for agent software: `Authorization: Token <clave>`."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from tramites.models import TokenCliente


class TokenClienteAuthentication(authentication.TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key: str):
        token = TokenCliente.objects.vigentes().select_related("usuario").filter(clave_hash=TokenCliente.hash_de(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed("Token inválido o revocado.")
        if not token.usuario.is_active:
            raise exceptions.AuthenticationFailed("El usuario del token está inactivo.")
        ahora = timezone.now()
        if token.ultimo_uso is None or (ahora - token.ultimo_uso).total_seconds() > 60:
            TokenCliente.objects.filter(pk=token.pk).update(ultimo_uso=ahora)
        return token.usuario, token


class TokenClienteScheme(OpenApiAuthenticationExtension):
    target_class = "tramites.api.authentication.TokenClienteAuthentication"
    name = "tokenCliente"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Token de cliente revocable: `Token <clave>`. Se crea en «Mi cuenta → Tokens de API».",
        }
