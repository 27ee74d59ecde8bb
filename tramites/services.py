"""Writes of the shared framework. Every state change: lock, check, transition, save, log, effects on commit."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, models, transaction
from django.utils import timezone

from . import calendario, red
from .exceptions import ArchivoInvalido, DatosInvalidos, NoEncontrado, OperadorNoHabilitado, PermisoDenegado
from .fsm import transicionar
from .models import Adjunto, AgenteAduana, Delegacion, Feriado, Notificacion, Operador, TokenCliente, Usuario, nombre_recortado
from .validators import normalizar_cedula, normalizar_ruc, verificar_archivo


@transaction.atomic
def usuario_registrar(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    cedula: str = "",
    telefono: str = "",
    ruc: str = "",
    razon_social: str = "",
    tipo_operador: str = Operador.Tipo.IMPORTADOR,
) -> Usuario:
    """Sign-up ("Regístrese"): a citizen, or the first user of a new operator pending SENAE verification."""
    errores: dict[str, list[str]] = {}
    email = email.strip().lower()
    if Usuario.objects.filter(email__iexact=email).exists():
        errores["email"] = ["Ya existe una cuenta con este correo. ¿Olvidó su contraseña?"]
    if cedula:
        try:
            cedula = normalizar_cedula(cedula)
        except ValidationError as e:
            errores["cedula"] = e.messages
    operador = None
    if ruc:
        try:
            ruc = normalizar_ruc(ruc)
        except ValidationError as e:
            errores["ruc"] = e.messages
        else:
            if Operador.objects.filter(ruc=ruc).exists():
                errores["ruc"] = ["Este RUC ya está registrado. Pida al administrador de su empresa que le cree una cuenta."]
        if not razon_social.strip():
            errores["razon_social"] = ["Indique la razón social del operador."]
    if errores:
        raise DatosInvalidos(errores)
    if ruc:
        operador = Operador.objects.create(ruc=ruc, razon_social=razon_social.strip(), tipo=tipo_operador, email=email)
    usuario = Usuario(
        username=email,
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        cedula=cedula,
        telefono=telefono.strip(),
        operador=operador,
    )
    usuario.set_password(password)
    usuario.save()
    if operador is not None:
        from .models import Transicion

        Transicion.objects.create(
            objeto=operador, transicion="registrar", desde="", hacia=operador.estado, por=usuario, comentario="Registro en línea"
        )
        notificar(
            usuarios=Usuario.objects.filter(is_staff=True, groups__name="Regímenes especiales").distinct(),
            asunto=f"Nuevo operador por verificar: {operador.razon_social}",
            mensaje=f"El operador {operador.razon_social} (RUC {operador.ruc}) se registró y espera verificación.",
            enlace=f"/admin/tramites/operador/{operador.pk}/change/",
        )
    return usuario


@transaction.atomic
def operador_transicionar(*, operador_id: int, accion: str, funcionario: Usuario, comentario: str = "") -> Operador:
    operador = Operador.objects.select_for_update().get(pk=operador_id)
    if accion not in {"habilitar", "rechazar", "suspender", "rehabilitar"}:
        raise NoEncontrado(f"Acción desconocida: {accion}.")
    transicionar(operador, accion, por=funcionario, comentario=comentario)
    notificar(
        usuarios=operador.usuarios.filter(is_active=True),
        asunto=f"Su registro como operador está «{operador.get_estado_display()}»",
        mensaje=comentario or f"SENAE cambió el estado de {operador.razon_social} a «{operador.get_estado_display()}».",
        enlace="/panel/",
    )
    return operador


def exigir_operador_habilitado(operador: Operador) -> None:
    """Guard for every filing service: only operators verified by SENAE may file procedures."""
    if operador.estado != Operador.Estado.HABILITADO:
        raise OperadorNoHabilitado(ruc=operador.ruc)


@transaction.atomic
def delegacion_crear(*, operador: Operador, agente: AgenteAduana, desde: date, hasta: date | None, por: Usuario) -> Delegacion:
    if not (por.is_staff or por.operador_id == operador.pk):
        raise PermisoDenegado()
    errores: dict[str, list[str]] = {}
    if hasta is not None and hasta < desde:
        errores["hasta"] = ["La fecha final no puede ser anterior a la inicial."]
    if not agente.activo:
        errores["agente"] = ["El agente de aduana no está activo."]
    if errores:
        raise DatosInvalidos(errores)
    return Delegacion.objects.create(operador=operador, agente=agente, desde=desde, hasta=hasta, creada_por=por)


def puede_revocar_como_senae(usuario: Usuario) -> bool:
    return bool(usuario.is_staff and usuario.is_active and usuario.has_perm("tramites.revocar_delegacion"))


@transaction.atomic
def delegacion_revocar(*, delegacion_id: int, por: Usuario, motivo: str = "") -> Delegacion:
    """The operator's own users revoke its delegations; an official only with `tramites.revocar_delegacion`
    (the Supervisor group) and a reason. Who, when and why stay on the row and in the audit log.
    The caller has already found the delegation through `delegaciones_listar` (404 when not visible)."""
    delegacion = Delegacion.objects.select_for_update().get(pk=delegacion_id)
    motivo = (motivo or "").strip()
    if not (por.operador_id and por.operador_id == delegacion.operador_id):
        if not puede_revocar_como_senae(por):
            raise PermisoDenegado("Solo el operador que delegó, o un supervisor de SENAE con motivo, puede revocarla.")
        if not motivo:
            raise DatosInvalidos({"motivo": ["Indique el motivo por el que SENAE revoca esta delegación."]})
    if delegacion.revocada_en is None:
        delegacion.revocada_en = timezone.now()
        delegacion.revocada_por = por
        delegacion.motivo_revocacion = motivo
        delegacion.save(update_fields=["revocada_en", "revocada_por", "motivo_revocacion"])
    return delegacion


@transaction.atomic
def token_crear(*, usuario: Usuario, nombre: str) -> tuple[TokenCliente, str]:
    """Create a client token; the clear key is returned once and never stored."""
    nombre = nombre.strip()
    if not nombre:
        raise DatosInvalidos({"nombre": ["Indique el nombre del software cliente."]})
    clave = TokenCliente.generar_clave()
    token = TokenCliente.objects.create(usuario=usuario, nombre=nombre, prefijo=clave[:8], clave_hash=TokenCliente.hash_de(clave))
    return token, clave


@transaction.atomic
def agente_configurar_webhook(*, usuario: Usuario, url: str) -> AgenteAduana:
    if not usuario.agente_id:
        raise PermisoDenegado("Solo los usuarios de una agencia de aduana configuran su webhook.")
    agente = AgenteAduana.objects.select_for_update().get(pk=usuario.agente_id)
    url = url.strip()
    if url:
        try:
            red.validar_url(url)  # resolved and checked now, and again at every delivery (DNS may change)
        except red.DestinoNoPermitido as e:
            raise DatosInvalidos({"webhook_url": [str(e)]}, "La URL de webhook no está permitida.") from e
    agente.webhook_url = url
    agente.save(update_fields=["webhook_url"])
    return agente


@transaction.atomic
def token_revocar(*, token_id: int, por: Usuario) -> TokenCliente:
    token = TokenCliente.objects.select_for_update().get(pk=token_id)
    if not (por.is_staff or token.usuario_id == por.pk):
        raise PermisoDenegado()
    if token.revocado_en is None:
        token.revocado_en = timezone.now()
        token.save(update_fields=["revocado_en"])
    return token


def adjuntos_guardar(
    *, objeto: models.Model, archivos: Iterable[UploadedFile], por: Usuario | None, descripcion: str = ""
) -> list[Adjunto]:
    """Validate every file first; save them only if all are valid (nothing partial)."""
    archivos = list(archivos)
    verificados = []
    for archivo in archivos:
        try:
            verificados.append(verificar_archivo(archivo))
        except ValidationError as e:
            raise ArchivoInvalido(e.messages[0], campo="adjuntos") from None
    guardados = []
    with transaction.atomic():
        for archivo, info in zip(archivos, verificados, strict=True):
            guardados.append(
                Adjunto.objects.create(
                    objeto=objeto,
                    archivo=archivo,
                    nombre=nombre_recortado(archivo.name, 200),
                    descripcion=descripcion,
                    tipo_contenido=info.tipo_contenido,
                    tamano=info.tamano,
                    sha256=info.sha256,
                    subido_por=por,
                )
            )
    return guardados


def notificar(
    *, usuarios: Iterable[Usuario], asunto: str, mensaje: str, enlace: str = "", responder_a: str = ""
) -> list[Notificacion]:
    """In-portal notification now; the e-mail leaves by the transactional outbox (tramites.salidas) after commit.

    `responder_a`: Reply-To address of the e-mail (e.g. the service desk's mailbox, so replies come back to it).
    """
    with transaction.atomic():
        creadas = Notificacion.objects.bulk_create(
            [Notificacion(usuario=u, asunto=asunto[:200], mensaje=mensaje, enlace=enlace) for u in usuarios]
        )
        notificaciones_encolar_correos(notificaciones=creadas, responder_a=responder_a)
    return creadas


def notificaciones_encolar_correos(*, notificaciones: Iterable[Notificacion], responder_a: str = "") -> None:
    """One outbox row per notification e-mail, in the caller's transaction."""
    from .salidas import salidas_encolar

    extra = {"responder_a": responder_a} if responder_a else {}
    salidas_encolar(
        manejador="tramites.correo_notificacion",
        lote=[(f"correo-notificacion:{n.pk}", {"notificacion_id": n.pk, **extra}) for n in notificaciones],
    )


def notificacion_enviar_correo(*, notificacion_id: int, responder_a: str = "") -> bool:
    """Send one notification's e-mail exactly once (row lock + sent timestamp). Returns True if sent now."""
    from django.conf import settings
    from django.core.mail import EmailMessage

    with transaction.atomic():
        n = Notificacion.objects.select_for_update().select_related("usuario").filter(pk=notificacion_id).first()
        if n is None or n.correo_enviado_en is not None or not n.usuario.email:
            return False
        enlace = f"\n\n{settings.PORTAL_URL_BASE}{n.enlace}" if n.enlace else ""
        EmailMessage(
            n.asunto,
            f"{n.mensaje}{enlace}\n\n— Portal SENAE",
            to=[n.usuario.email],
            reply_to=[responder_a] if responder_a else None,
        ).send()
        n.correo_enviado_en = timezone.now()
        n.save(update_fields=["correo_enviado_en"])
    return True


def notificacion_marcar_leida(*, usuario: Usuario, notificacion_id: int | None = None) -> int:
    qs = Notificacion.objects.filter(usuario=usuario, leida_en__isnull=True)
    if notificacion_id is not None:
        qs = qs.filter(pk=notificacion_id)
    return qs.update(leida_en=timezone.now())


def funcionario_crear(*, username: str, email: str, grupos: list[str], password: str, **extra) -> Usuario:
    try:
        with transaction.atomic():
            u = Usuario.objects.create_user(username=username, email=email, password=password, is_staff=True, **extra)
            u.groups.set(Group.objects.filter(name__in=grupos))
    except IntegrityError as e:
        raise DatosInvalidos({"username": ["Ya existe ese usuario."]}) from e
    return u


@transaction.atomic
def registro_transicionar(
    *, modelo: type[models.Model], pk: int, accion: str, por: Usuario | None, comentario: str = "", **datos
) -> models.Model:
    """Generic locked transition for records whose transition has no extra business rule."""
    objeto = modelo.objects.select_for_update().get(pk=pk)
    transicionar(objeto, accion, por=por, comentario=comentario, **datos)
    return objeto


# --- Holiday calendar ---------------------------------------------------------------------------------

# The 2016 holiday law applies from 2017; the table is kept seeded up to two years ahead (ADR 0012).
FERIADOS_DESDE_ANIO = 2017
FERIADOS_ANIOS_ADELANTE = 2


def feriados_anios_a_sembrar(*, hoy: date | None = None) -> range:
    hoy = hoy or timezone.localdate()
    return range(FERIADOS_DESDE_ANIO, hoy.year + FERIADOS_ANIOS_ADELANTE + 1)


def feriados_asegurar(*, anios: Iterable[int], using: str = DEFAULT_DB_ALIAS) -> int:
    """Create the law's national holidays of `anios` that are missing (computed by `calendario.feriados_de_ley`:
    each moved holiday counted once, its original day kept as a worked day). Only dates with no national row are
    created: what officials edited or entered stays. Returns how many rows were created."""
    anios = list(anios)
    if not anios:
        return 0
    with transaction.atomic(using=using):
        ocupadas = set(
            Feriado.objects.using(using)
            .filter(distrito__isnull=True, fecha__gte=date(min(anios), 1, 1), fecha__lte=date(max(anios), 12, 31))
            .values_list("fecha", flat=True)
        )
        nuevas = [
            Feriado(fecha=fecha, nombre=nombre, descanso=descanso, origen=Feriado.Origen.LEY)
            for anio in anios
            for fecha, (descanso, nombre) in calendario.feriados_de_ley(anio).items()
            if fecha not in ocupadas
        ]
        Feriado.objects.using(using).bulk_create(nuevas, ignore_conflicts=True)
        if nuevas:
            calendario.invalidar(using=using)
    return len(nuevas)


def feriados_asegurar_tras_migrate(*, using: str = DEFAULT_DB_ALIAS, **_kwargs) -> None:
    """post_migrate (and after the test database is flushed): the seeded range, if the table exists yet."""
    if Feriado._meta.db_table in connections[using].introspection.table_names():
        feriados_asegurar(anios=feriados_anios_a_sembrar(), using=using)
