from dataclasses import dataclass
from decimal import Decimal

import pytest

from tests.factories import DelegacionFactory, FuncionarioFactory, UsuarioAgenteFactory, UsuarioOperadorFactory
from tramites.models import Distrito, Usuario
from tramites.referencias import asegurar_distritos

from .factories import CodigoInsumoFactory, GarantiaFactory, SolicitudFactory, TarifaFactory, TasasFactory


@pytest.fixture
def oce(db):
    """A user of an enabled operator (a private company, domiciled in Ecuador)."""
    return UsuarioOperadorFactory()


@pytest.fixture
def senae(db):
    """An official of Regímenes Especiales."""
    return FuncionarioFactory()


@pytest.fixture
def aforo(db):
    """An official of Aforo."""
    return FuncionarioFactory(grupos=["Aforo"])


@pytest.fixture
def agente_de(db):
    """A customs agency's user with an active delegation from the given operator."""

    def _agente(operador, **delegacion):
        usuario = UsuarioAgenteFactory()
        DelegacionFactory(operador=operador, agente=usuario.agente, **delegacion)
        return usuario

    return _agente


@dataclass
class Escenario:
    oce: Usuario
    agente: Usuario
    autorizacion: object
    garantia: object
    tela: object
    boton: object
    distrito: Distrito

    def linea(self, de=None, **extra) -> dict:
        """A valid item of `de` (an input code; the fabric by default), with `extra` fields overridden."""
        insumo = de or self.tela
        datos = {
            "insumo": insumo.codigo,
            "subpartida": insumo.subpartida,
            "descripcion": insumo.descripcion,
            "pais_origen": "CN",
            "cantidad": "1000",
            "unidad": insumo.unidad,
            "fob": "10000.00",
            "flete": "800.00",
            "seguro": "100.00",
        }
        return {**datos, **extra}

    def cabecera(self, **extra) -> dict:
        return {
            "operador": self.oce.operador,
            "distrito": self.distrito,
            "autorizacion": self.autorizacion,
            "garantia": self.garantia,
            "documento_transporte": "MSCU1234567",
            **extra,
        }


@pytest.fixture
def escenario(db, oce, agente_de):
    """An operator ready for régimen 21: approved authorization and general guarantee (USD 100,000), two
    approved input codes with tariff rates, general tax rates, and its agency with an active delegation."""
    asegurar_distritos()
    TasasFactory()
    TarifaFactory(subpartida="5208120000", ad_valorem=Decimal("10"))
    TarifaFactory(subpartida="9606220000", descripcion="Botones", ad_valorem=Decimal("20"), ice=Decimal("0"))
    autorizacion = SolicitudFactory(operador=oce.operador, aprobada=True)
    return Escenario(
        oce=oce,
        agente=agente_de(oce.operador),
        autorizacion=autorizacion,
        garantia=GarantiaFactory(autorizacion=autorizacion),
        tela=CodigoInsumoFactory(operador=oce.operador, codigo="TELA-01", subpartida="5208120000", unidad="m"),
        boton=CodigoInsumoFactory(operador=oce.operador, codigo="BOTON-02", subpartida="9606220000", unidad="u"),
        distrito=Distrito.objects.get(codigo="028"),
    )


@pytest.fixture
def con_saldos(escenario, aforo):
    """Two released DAI (the first one older): fabric 1000 m + buttons 5000 u, then fabric 600 m; and the shirt
    CAM-001 with its approved table (1.85 m of fabric and 9 buttons per shirt)."""
    from datetime import timedelta

    from django.utils import timezone

    from perfeccionamiento.models import SaldoInsumo
    from perfeccionamiento.services.dai import dai_crear

    from .factories import CodigoProductoFactory, CoeficienteFactory, VersionFactory

    esc = escenario
    vieja = dai_crear(por=esc.agente, lineas=[esc.linea(), esc.linea(esc.boton, cantidad="5000", fob="500")], **esc.cabecera())
    nueva = dai_crear(
        por=esc.agente, lineas=[esc.linea(cantidad="600", fob="6000")], **esc.cabecera(documento_transporte="HLCU2")
    )
    SaldoInsumo.objects.filter(linea__dai=vieja).update(fecha_ingreso=timezone.localdate() - timedelta(days=40))
    camisa = CodigoProductoFactory(operador=esc.oce.operador, codigo="CAM-001", unidad="u")
    version = VersionFactory(producto=camisa, numero=1, vigente_desde=timezone.localdate() - timedelta(days=60))
    CoeficienteFactory(version=version, insumo=esc.tela, coeficiente=Decimal("1.85"), desperdicio=Decimal("0.15"))
    CoeficienteFactory(version=version, insumo=esc.boton, coeficiente=Decimal("9"), desperdicio=Decimal("0"))
    esc.dai_vieja, esc.dai_nueva, esc.camisa, esc.version = vieja, nueva, camisa, version
    return esc
