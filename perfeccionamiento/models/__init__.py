from .alertas import AlertaVencimiento, EntregaAlerta
from .anexo import AnexoCompensatorio, CorreccionAnexo, DeclaracionCompensatoria, LineaAnexo, LiquidacionNacionalizacion
from .autorizacion import SolicitudAutorizacion
from .base import Unidad
from .codigos import CodigoInsumo, CodigoProducto, Coeficiente, VersionCoeficientes
from .dai import DAI, DAIVencidaConSaldo, LineaDAI
from .garantia import Garantia
from .parametros import ReglaCanal, TarifaArancelaria, TasasGenerales
from .saldos import MovimientoInsumo, SaldoInsumo

__all__ = [
    "AlertaVencimiento",
    "EntregaAlerta",
    "AnexoCompensatorio",
    "CorreccionAnexo",
    "DeclaracionCompensatoria",
    "LineaAnexo",
    "LiquidacionNacionalizacion",
    "DAI",
    "DAIVencidaConSaldo",
    "CodigoInsumo",
    "CodigoProducto",
    "Coeficiente",
    "Garantia",
    "LineaDAI",
    "MovimientoInsumo",
    "ReglaCanal",
    "SaldoInsumo",
    "SolicitudAutorizacion",
    "TarifaArancelaria",
    "TasasGenerales",
    "Unidad",
    "VersionCoeficientes",
]
