from .anexo import AnexoCompensatorio, CorreccionAnexo, DeclaracionCompensatoria, LineaAnexo, LiquidacionNacionalizacion
from .autorizacion import SolicitudAutorizacion
from .base import Unidad
from .codigos import CodigoInsumo, CodigoProducto, Coeficiente, VersionCoeficientes
from .dai import DAI, LineaDAI
from .garantia import Garantia
from .parametros import ReglaCanal, TarifaArancelaria, TasasGenerales
from .saldos import MovimientoInsumo, SaldoInsumo

__all__ = [
    "AnexoCompensatorio",
    "CorreccionAnexo",
    "DeclaracionCompensatoria",
    "LineaAnexo",
    "LiquidacionNacionalizacion",
    "DAI",
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
