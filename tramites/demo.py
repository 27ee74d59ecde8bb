"""Demo data of the shared framework: officials of each group, operators, an agency, delegations.

Later apps add their own `demo.py` with a `sembrar(stdout)` function; `manage.py seed_demo` runs them in
INSTALLED_APPS order, so they can rely on the users created here (see USUARIOS).
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from stdnum.ec import ruc as ruc_ec

from . import roles
from .fsm import transicionar
from .models import AgenteAduana, Delegacion, Distrito, Operador, Transicion, Usuario
from .referencias import asegurar_distritos

CLAVE_DEMO = "Demo-SENAE-2026"  # noqa: S105 - published demo password, README says so

USUARIOS = {
    "admin": "admin@demo.aduana.gob.ec",
    "regimenes": "regimenes@demo.aduana.gob.ec",
    "aforo": "aforo@demo.aduana.gob.ec",
    "mesa": "mesa@demo.aduana.gob.ec",
    "analisis": "analisis@demo.aduana.gob.ec",
    "supervisor": "supervisor@demo.aduana.gob.ec",
    "oce": "oce@textilesandinos.demo.ec",
    "oce2": "oce@conservaspacifico.demo.ec",
    "oce3": "oce@floresdelvalle.demo.ec",
    "oce4": "oce@confeccionesimbabura.demo.ec",
    "agente": "agente@aduanerapichincha.demo.ec",
    "ciudadano": "ciudadano@demo.ec",
}


def ruc_sociedad(base: int) -> str:
    """A valid private-company RUC (third digit 9) built from a number; deterministic, for demo and tests."""
    for n in range(base, base + 1000):
        cuerpo = f"17{9}{n % 1000000:06d}"
        for verificador in range(10):
            candidato = f"{cuerpo}{verificador}001"
            if ruc_ec.is_valid(candidato):
                return candidato
    raise ValueError("no se pudo generar un RUC")


def _usuario(clave: str, nombre: str, apellido: str, **extra) -> Usuario:
    u = Usuario(username=clave, email=USUARIOS[clave], first_name=nombre, last_name=apellido, **extra)
    u.set_password(CLAVE_DEMO)
    u.save()
    return u


def _operador(ruc: str, razon_social: str, tipo: str, email: str, habilitar_por: Usuario | None) -> Operador:
    op = Operador.objects.create(
        ruc=ruc,
        razon_social=razon_social,
        tipo=tipo,
        email=email,
        direccion="Av. Amazonas N34-120, Quito",
        distrito=Distrito.objects.get(codigo="055"),
    )
    Transicion.objects.create(objeto=op, transicion="registrar", desde="", hacia=op.estado, comentario="Registro en línea")
    if habilitar_por:
        transicionar(op, "habilitar", por=habilitar_por, comentario="RUC verificado en el SRI.")
    return op


@transaction.atomic
def sembrar(stdout) -> None:
    roles.configurar_grupos()
    asegurar_distritos()
    admin = _usuario("admin", "Administración", "SENAE", is_staff=True, is_superuser=True)
    funcionarios = {
        "regimenes": ("María", "Cevallos", roles.REGIMENES),
        "aforo": ("Jorge", "Intriago", roles.AFORO),
        "mesa": ("Lucía", "Paredes", roles.MESA),
        "analisis": ("Diego", "Salazar", roles.ANALISIS_FUNCIONAL),
        "supervisor": ("Patricia", "Ortiz", roles.SUPERVISOR),
    }
    creados = {}
    for clave, (nombre, apellido, grupo) in funcionarios.items():
        u = _usuario(clave, nombre, apellido, is_staff=True)
        u.groups.add(Group.objects.get(name=grupo))
        creados[clave] = u
    regimenes = creados["regimenes"]
    textiles = _operador(
        ruc_sociedad(100001),
        "Textiles Andinos S.A.",
        Operador.Tipo.MAQUILA,
        "comercioexterior@textilesandinos.demo.ec",
        regimenes,
    )
    conservas = _operador(
        ruc_sociedad(200001),
        "Conservas del Pacífico C.A.",
        Operador.Tipo.INSTALACION,
        "aduanas@conservaspacifico.demo.ec",
        regimenes,
    )
    flores = _operador(
        ruc_sociedad(300001),
        "Flores del Valle Cía. Ltda.",
        Operador.Tipo.IMPORTADOR,
        "exportaciones@floresdelvalle.demo.ec",
        None,
    )
    imbabura = _operador(
        ruc_sociedad(350001),
        "Confecciones Imbabura S.A.",
        Operador.Tipo.MAQUILA,
        "comex@confeccionesimbabura.demo.ec",
        regimenes,
    )
    _usuario("oce", "Andrea", "Vásconez", operador=textiles, cedula="1714307103")
    _usuario("oce4", "Luis", "Cotacachi", operador=imbabura)
    _usuario("oce2", "Carlos", "Mendoza", operador=conservas)
    _usuario("oce3", "Rosa", "Guamán", operador=flores)
    agencia = AgenteAduana.objects.create(
        ruc=ruc_sociedad(400001),
        nombre="Agencia Aduanera Pichincha",
        licencia="AA-055-0173",
        email="operaciones@aduanerapichincha.demo.ec",
    )
    _usuario("agente", "Fernando", "Quishpe", agente=agencia)
    _usuario("ciudadano", "Gabriela", "Torres")
    hoy = timezone.localdate()
    Delegacion.objects.create(operador=textiles, agente=agencia, desde=hoy - timedelta(days=180), creada_por=admin)
    Delegacion.objects.create(
        operador=conservas, agente=agencia, desde=hoy - timedelta(days=400), hasta=hoy - timedelta(days=35), creada_por=admin
    )
    stdout.write(f"  tramites: {Usuario.objects.count()} usuarios, {Operador.objects.count()} operadores, 1 agencia")
