"""Accounts of people who reach the desk without signing up (by e-mail or by phone).

An unknown sender gets a citizen account created INACTIVE, with no usable password, so nobody can sign in
with it; every notification of their tickets still reaches their e-mail. The acknowledgement carries a link to
activate the account (choose a password) and then follow the tickets in the portal.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tramites.exceptions import DatosInvalidos
from tramites.models import Usuario


def solicitante_por_correo(*, email: str, nombre: str = "", telefono: str = "") -> tuple[Usuario, bool]:
    """The user with that e-mail (case-insensitive), or a new inactive citizen account. Returns (user, created)."""
    email = email.strip().lower()
    usuario = Usuario.objects.filter(email__iexact=email).first()
    if usuario is not None:
        return usuario, False
    partes = nombre.strip().split(" ", 1)
    usuario = Usuario(
        username=email[:150],
        email=email,
        first_name=partes[0][:150] if partes[0] else "",
        last_name=partes[1][:150] if len(partes) > 1 else "",
        telefono=telefono.strip()[:20],
        is_active=False,
    )
    usuario.set_unusable_password()
    usuario.save()
    return usuario, True


def necesita_activacion(usuario: Usuario) -> bool:
    return not usuario.is_active and not usuario.has_usable_password()


def enlace_activacion(usuario: Usuario) -> str:
    """Path of the one-time activation link (Django's token: invalid once a password is set, expires with
    PASSWORD_RESET_TIMEOUT)."""
    uid = urlsafe_base64_encode(force_bytes(usuario.pk))
    return reverse("mesa_servicios:activar", args=[uid, default_token_generator.make_token(usuario)])


def aviso_activacion(usuario: Usuario) -> str:
    """The paragraph added to a ticket's acknowledgement when the desk created the requester's account (e-mail or
    phone channel): how to activate it. Empty for an account already in use."""
    if not necesita_activacion(usuario):
        return ""
    return (
        "\n\nCreamos una cuenta del Portal SENAE con su correo. Para seguir sus tickets en el portal, actívela "
        f"eligiendo una contraseña: {settings.PORTAL_URL_BASE}{enlace_activacion(usuario)}"
    )


@transaction.atomic
def cuenta_activar(*, usuario_id: int, token: str, password: str) -> Usuario:
    usuario = Usuario.objects.select_for_update().get(pk=usuario_id)
    if not necesita_activacion(usuario) or not default_token_generator.check_token(usuario, token):
        raise DatosInvalidos({"token": ["El enlace de activación no es válido o ya se usó."]})
    usuario.set_password(password)
    usuario.is_active = True
    usuario.save(update_fields=["password", "is_active"])
    return usuario
