"""Input and product codes and the versioned input-per-product tables (cuadros insumo-producto)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from tramites.exceptions import DatosInvalidos
from tramites.models import Operador, Usuario
from tramites.numeros import NumeroInvalido, a_decimal

from ..exceptions import CodigoNoUtilizable
from ..models import CodigoInsumo, CodigoProducto, Coeficiente, VersionCoeficientes
from .comun import bloquear, ejecutar_transicion, exigir_actuar_por, validar_modelo


def _codigo_registrar(modelo, *, operador: Operador, por: Usuario, codigo: str, **campos):
    exigir_actuar_por(por, operador)
    codigo = (codigo or "").strip().upper()
    if modelo.objects.filter(operador=operador, codigo=codigo).exists():
        raise DatosInvalidos({"codigo": [f"Ya registró el código {codigo}."]})
    objeto = modelo(operador=operador, creado_por=por, codigo=codigo, **campos)
    validar_modelo(objeto)
    objeto.save()
    return objeto


@transaction.atomic
def insumo_registrar(*, operador: Operador, por: Usuario, codigo: str, descripcion: str, subpartida: str, unidad: str):
    return _codigo_registrar(
        CodigoInsumo, operador=operador, por=por, codigo=codigo, descripcion=descripcion, subpartida=subpartida, unidad=unidad
    )


@transaction.atomic
def producto_registrar(*, operador: Operador, por: Usuario, codigo: str, descripcion: str, subpartida: str, unidad: str):
    return _codigo_registrar(
        CodigoProducto, operador=operador, por=por, codigo=codigo, descripcion=descripcion, subpartida=subpartida, unidad=unidad
    )


@transaction.atomic
def codigo_transicionar(
    *, modelo: type[CodigoInsumo] | type[CodigoProducto], codigo_id: int, accion: str, por: Usuario | None, comentario: str = ""
):
    """aprobar, rechazar, reactivar (SENAE); inactivar (SENAE or the operator)."""
    return ejecutar_transicion(modelo, pk=codigo_id, accion=accion, por=por, comentario=comentario, preparadores={}, datos={})


def _decimal(valor, etiqueta: str, errores: list[str]) -> Decimal | None:
    try:
        numero = a_decimal(valor)
    except NumeroInvalido as e:
        errores.append(f"{etiqueta}: {e}")
        return None
    if not numero.is_finite():
        errores.append(f"{etiqueta}: «{valor}» no es un número.")
        return None
    if numero.as_tuple().exponent < -8:
        errores.append(f"{etiqueta}: use como máximo 8 decimales.")
        return None
    return numero


@transaction.atomic
def version_registrar(
    *, producto_id: int, por: Usuario, vigente_desde: date, justificacion: str, lineas: list[dict]
) -> VersionCoeficientes:
    """File a new version of a product's input-per-product table. Each line: `insumo` (a CodigoInsumo of the
    same operator, or its code), `coeficiente` (> 0, input units per product unit, waste included) and
    `desperdicio` (0 ≤ desperdicio ≤ coeficiente). All lines are checked; nothing is saved if one is wrong."""
    producto = bloquear(CodigoProducto, producto_id)
    exigir_actuar_por(por, producto.operador)
    errores: dict[str, list[str]] = {}
    if producto.estado in (CodigoProducto.Estado.RECHAZADO, CodigoProducto.Estado.INACTIVO):
        raise CodigoNoUtilizable(motivo=f"El código de producto {producto.codigo} está «{producto.get_estado_display()}».")
    if vigente_desde is None or vigente_desde < timezone.localdate():
        errores["vigente_desde"] = ["La versión entra en vigor hoy o en una fecha futura (no es retroactiva)."]
    if not (justificacion or "").strip():
        errores["justificacion"] = ["Explique de dónde salen los coeficientes."]
    insumos = {i.pk: i for i in CodigoInsumo.objects.filter(operador=producto.operador)}
    por_codigo = {i.codigo: i for i in insumos.values()}
    mensajes: list[str] = []
    vistos: set[int] = set()
    filas = []
    if not lineas:
        mensajes.append("Indique al menos un insumo con su coeficiente.")
    for n, linea in enumerate(lineas, start=1):
        ref = linea.get("insumo")
        insumo = ref if isinstance(ref, CodigoInsumo) else insumos.get(ref) or por_codigo.get(str(ref or "").strip().upper())
        etiqueta = f"Línea {n}"
        if insumo is None or insumo.operador_id != producto.operador_id:
            mensajes.append(f"{etiqueta}: el insumo «{ref}» no es un código de insumo de este operador.")
            continue
        etiqueta = f"Línea {n} ({insumo.codigo})"
        if insumo.estado in (CodigoInsumo.Estado.RECHAZADO, CodigoInsumo.Estado.INACTIVO):
            mensajes.append(f"{etiqueta}: el insumo está «{insumo.get_estado_display()}».")
        if insumo.pk in vistos:
            mensajes.append(f"{etiqueta}: el insumo está repetido.")
        vistos.add(insumo.pk)
        coeficiente = _decimal(linea.get("coeficiente"), etiqueta, mensajes)
        desperdicio = _decimal(linea.get("desperdicio") or 0, etiqueta, mensajes)
        if coeficiente is not None and coeficiente <= 0:
            mensajes.append(f"{etiqueta}: el coeficiente debe ser mayor que cero.")
        elif coeficiente is not None and desperdicio is not None and not 0 <= desperdicio <= coeficiente:
            mensajes.append(f"{etiqueta}: el desperdicio va de 0 al coeficiente ({coeficiente}).")
        filas.append((insumo, coeficiente, desperdicio))
    if mensajes:
        errores["coeficientes"] = mensajes
    if errores:
        raise DatosInvalidos(errores)
    numero = (VersionCoeficientes.objects.filter(producto=producto).aggregate(m=Max("numero"))["m"] or 0) + 1
    version = VersionCoeficientes.objects.create(
        operador=producto.operador,
        producto=producto,
        numero=numero,
        vigente_desde=vigente_desde,
        justificacion=justificacion.strip(),
        creada_por=por,
    )
    Coeficiente.objects.bulk_create([Coeficiente(version=version, insumo=i, coeficiente=c, desperdicio=d) for i, c, d in filas])
    return version


def _exigir_codigos_vigentes(version: VersionCoeficientes, **_) -> dict:
    motivos = []
    if version.producto.estado != CodigoProducto.Estado.VIGENTE:
        motivos.append(f"el código de producto {version.producto.codigo} está «{version.producto.get_estado_display()}»")
    for c in version.coeficientes.select_related("insumo"):
        if c.insumo.estado != CodigoInsumo.Estado.VIGENTE:
            motivos.append(f"el insumo {c.insumo.codigo} está «{c.insumo.get_estado_display()}»")
    if motivos:
        raise CodigoNoUtilizable(motivo="Apruebe primero los códigos: " + "; ".join(motivos) + ".")
    return {}


@transaction.atomic
def version_transicionar(*, version_id: int, accion: str, por: Usuario | None, comentario: str = "") -> VersionCoeficientes:
    """aprobar (every code it uses must be in force), rechazar (SENAE); retirar (the operator)."""
    return ejecutar_transicion(
        VersionCoeficientes,
        pk=version_id,
        accion=accion,
        por=por,
        comentario=comentario,
        preparadores={"aprobar": _exigir_codigos_vigentes},
        datos={},
    )
