from .autorizacion import SolicitudAutorizacion
from .base import Unidad
from .codigos import CodigoInsumo, CodigoProducto, Coeficiente, VersionCoeficientes
from .garantia import Garantia

__all__ = [
    "CodigoInsumo",
    "CodigoProducto",
    "Coeficiente",
    "Garantia",
    "SolicitudAutorizacion",
    "Unidad",
    "VersionCoeficientes",
]
