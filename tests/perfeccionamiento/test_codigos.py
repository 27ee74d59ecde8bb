"""Input and product codes and the versioned, immutable input-per-product coefficients."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from perfeccionamiento.exceptions import CodigoNoUtilizable
from perfeccionamiento.models import CodigoInsumo, CodigoProducto, Coeficiente, VersionCoeficientes
from perfeccionamiento.services.codigos import (
    codigo_transicionar,
    insumo_registrar,
    producto_registrar,
    version_registrar,
    version_transicionar,
)
from tramites.exceptions import DatosInvalidos, PermisoDenegado, TransicionNoPermitida
from tramites.fsm import verificar_transicion

from .factories import CodigoInsumoFactory, CodigoProductoFactory, CoeficienteFactory, VersionFactory

pytestmark = pytest.mark.django_db


def hoy():
    return timezone.localdate()


def insumo(usuario, codigo="tela-01", **extra):
    datos = {"descripcion": "Tela de algodón", "subpartida": "5208120000", "unidad": "m", **extra}
    return insumo_registrar(operador=usuario.operador, por=usuario, codigo=codigo, **datos)


def test_registrar_normaliza_y_no_repite(oce):
    i = insumo(oce)
    assert (i.codigo, i.estado) == ("TELA-01", CodigoInsumo.Estado.REGISTRADO)
    with pytest.raises(DatosInvalidos) as e:
        insumo(oce, codigo="TELA-01")
    assert e.value.errores == {"codigo": ["Ya registró el código TELA-01."]}


@pytest.mark.parametrize("subpartida", ["520812000", "5208.12.00.00", "52081200AB", ""])
def test_subpartida_de_diez_digitos(oce, subpartida):
    with pytest.raises(DatosInvalidos) as e:
        insumo(oce, subpartida=subpartida)
    assert "subpartida" in e.value.errores
    assert not CodigoInsumo.objects.exists()


def test_unidad_invalida(oce):
    with pytest.raises(DatosInvalidos) as e:
        producto_registrar(
            operador=oce.operador, por=oce, codigo="CAM", descripcion="Camisa", subpartida="6205200000", unidad="saco"
        )
    assert "unidad" in e.value.errores


def test_transiciones_de_codigos(oce, senae):
    i = insumo(oce)
    with pytest.raises(PermisoDenegado):
        codigo_transicionar(modelo=CodigoInsumo, codigo_id=i.pk, accion="aprobar", por=oce)
    i = codigo_transicionar(modelo=CodigoInsumo, codigo_id=i.pk, accion="aprobar", por=senae)
    assert i.estado == CodigoInsumo.Estado.VIGENTE
    i = codigo_transicionar(modelo=CodigoInsumo, codigo_id=i.pk, accion="inactivar", por=oce, comentario="Ya no lo usamos")
    assert i.estado == CodigoInsumo.Estado.INACTIVO
    with pytest.raises(PermisoDenegado):
        codigo_transicionar(modelo=CodigoInsumo, codigo_id=i.pk, accion="reactivar", por=oce)
    assert codigo_transicionar(modelo=CodigoInsumo, codigo_id=i.pk, accion="reactivar", por=senae).estado == "vigente"
    with pytest.raises(TransicionNoPermitida):
        codigo_transicionar(modelo=CodigoInsumo, codigo_id=i.pk, accion="rechazar", por=senae, comentario="x")


@pytest.mark.parametrize(
    ("estado", "permitidas"),
    [("registrado", {"aprobar", "rechazar"}), ("vigente", {"inactivar"}), ("inactivo", {"reactivar"}), ("rechazado", set())],
)
def test_tabla_de_transiciones_de_codigos(senae, estado, permitidas):
    p = CodigoProductoFactory(estado=estado)
    for accion in ["aprobar", "rechazar", "inactivar", "reactivar"]:
        if accion in permitidas:
            verificar_transicion(p, accion, por=senae, comentario="motivo")
        else:
            with pytest.raises(TransicionNoPermitida):
                verificar_transicion(p, accion, por=senae, comentario="motivo")


@pytest.fixture
def producto(oce):
    return CodigoProductoFactory(operador=oce.operador, codigo="CAM-001", unidad="u")


@pytest.fixture
def insumos(oce):
    return [
        CodigoInsumoFactory(operador=oce.operador, codigo="TELA-01", unidad="m"),
        CodigoInsumoFactory(operador=oce.operador, codigo="BOTON-02", unidad="u"),
    ]


def test_version_con_coeficientes(oce, senae, producto, insumos):
    v = version_registrar(
        producto_id=producto.pk,
        por=oce,
        vigente_desde=hoy(),
        justificacion="Prueba de 500 camisas",
        lineas=[{"insumo": "TELA-01", "coeficiente": "1.85", "desperdicio": "0.15"}, {"insumo": insumos[1].pk, "coeficiente": 9}],
    )
    assert (v.numero, v.estado) == (1, VersionCoeficientes.Estado.PRESENTADA)
    assert {(c.insumo.codigo, c.coeficiente, c.desperdicio) for c in v.coeficientes.all()} == {
        ("TELA-01", Decimal("1.85"), Decimal("0.15")),
        ("BOTON-02", Decimal("9"), Decimal("0")),
    }
    assert version_transicionar(version_id=v.pk, accion="aprobar", por=senae).estado == "aprobada"
    v2 = version_registrar(
        producto_id=producto.pk,
        por=oce,
        vigente_desde=hoy(),
        justificacion="Ajuste",
        lineas=[{"insumo": "TELA-01", "coeficiente": "1.8"}],
    )
    assert v2.numero == 2


@pytest.mark.parametrize(
    ("linea", "mensaje"),
    [
        ({"insumo": "TELA-01", "coeficiente": "0"}, "Línea 1 (TELA-01): el coeficiente debe ser mayor que cero."),
        ({"insumo": "TELA-01", "coeficiente": "-2"}, "Línea 1 (TELA-01): el coeficiente debe ser mayor que cero."),
        ({"insumo": "TELA-01", "coeficiente": "abc"}, "Línea 1 (TELA-01): «abc» no es un número."),
        (
            {"insumo": "TELA-01", "coeficiente": "1", "desperdicio": "2"},
            "Línea 1 (TELA-01): el desperdicio va de 0 al coeficiente (1).",
        ),
        ({"insumo": "TELA-01", "coeficiente": "1.123456789"}, "Línea 1 (TELA-01): use como máximo 8 decimales."),
        (
            {"insumo": "NO-EXISTE", "coeficiente": "1"},
            "Línea 1: el insumo «NO-EXISTE» no es un código de insumo de este operador.",
        ),
    ],
)
def test_coeficientes_invalidos_se_explican_y_no_se_guarda_nada(oce, producto, insumos, linea, mensaje):
    with pytest.raises(DatosInvalidos) as e:
        version_registrar(producto_id=producto.pk, por=oce, vigente_desde=hoy(), justificacion="x", lineas=[linea])
    assert e.value.errores["coeficientes"] == [mensaje]
    assert not VersionCoeficientes.objects.exists()


def test_insumo_repetido_ajeno_y_fecha_retroactiva(oce, producto, insumos):
    ajeno = CodigoInsumoFactory(codigo="AJENO-1")
    with pytest.raises(DatosInvalidos) as e:
        version_registrar(
            producto_id=producto.pk,
            por=oce,
            vigente_desde=hoy() - timedelta(days=1),
            justificacion="x",
            lineas=[
                {"insumo": "TELA-01", "coeficiente": 1},
                {"insumo": "TELA-01", "coeficiente": 2},
                {"insumo": ajeno, "coeficiente": 1},
            ],
        )
    assert e.value.errores["vigente_desde"] == ["La versión entra en vigor hoy o en una fecha futura (no es retroactiva)."]
    assert "Línea 2 (TELA-01): el insumo está repetido." in e.value.errores["coeficientes"]
    assert any("AJENO-1" in m and "no es un código de insumo de este operador" in m for m in e.value.errores["coeficientes"])


def test_aprobar_version_exige_codigos_vigentes(oce, senae, producto):
    pendiente = CodigoInsumoFactory(operador=oce.operador, codigo="HILO-9", estado="registrado")
    v = version_registrar(
        producto_id=producto.pk, por=oce, vigente_desde=hoy(), justificacion="x", lineas=[{"insumo": "HILO-9", "coeficiente": 1}]
    )
    with pytest.raises(CodigoNoUtilizable, match="el insumo HILO-9 está «Registrado"):
        version_transicionar(version_id=v.pk, accion="aprobar", por=senae)
    codigo_transicionar(modelo=CodigoInsumo, codigo_id=pendiente.pk, accion="aprobar", por=senae)
    assert version_transicionar(version_id=v.pk, accion="aprobar", por=senae).estado == "aprobada"


def test_producto_inactivo_no_admite_versiones(oce, producto, insumos):
    CodigoProducto.objects.filter(pk=producto.pk).update(estado="inactivo")
    with pytest.raises(CodigoNoUtilizable):
        version_registrar(producto_id=producto.pk, por=oce, vigente_desde=hoy(), justificacion="x", lineas=[])


def test_version_en_vigor_segun_la_fecha(producto):
    v1 = VersionFactory(producto=producto, numero=1, vigente_desde=hoy() - timedelta(days=30))
    v2 = VersionFactory(producto=producto, numero=2, vigente_desde=hoy() + timedelta(days=30))
    VersionFactory(producto=producto, numero=3, vigente_desde=hoy(), estado="rechazada")
    assert VersionCoeficientes.objects.filter(producto=producto).en_vigor(hoy()).first() == v1
    assert VersionCoeficientes.objects.filter(producto=producto).en_vigor(hoy() + timedelta(days=31)).first() == v2


def test_coeficientes_inmutables():
    c = CoeficienteFactory()
    c.coeficiente = Decimal("9")
    with pytest.raises(ValueError, match="no se modifican"):
        c.save()
    with pytest.raises(ValueError, match="no se eliminan"):
        c.delete()
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError, match="no se modifican"), transaction.atomic():
            Coeficiente.objects.filter(pk=c.pk).update(coeficiente=Decimal("9"))
    assert Coeficiente.objects.get(pk=c.pk).coeficiente == Decimal("1.5")


def test_retirar_version_por_el_operador(oce, senae, producto, insumos):
    v = version_registrar(
        producto_id=producto.pk, por=oce, vigente_desde=hoy(), justificacion="x", lineas=[{"insumo": "TELA-01", "coeficiente": 1}]
    )
    with pytest.raises(PermisoDenegado):
        version_transicionar(version_id=v.pk, accion="retirar", por=senae)
    assert version_transicionar(version_id=v.pk, accion="retirar", por=oce).estado == "retirada"
