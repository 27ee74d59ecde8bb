"""Suspended taxes of a DAI line (computed, not paid, while the goods are under régimen 21).

customs value (CIF) = FOB + freight + insurance (the presumptive % of FOB when no insurance is declared)
ad valorem = CIF × tariff rate of the subheading
FODINFA    = CIF × FODINFA rate
ICE        = (CIF + ad valorem + FODINFA) × ICE rate of the subheading
IVA        = (CIF + ad valorem + FODINFA + ICE) × IVA rate
Each amount is rounded to cents (half up). The same function liquidates nationalisations (DAI 10).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENTAVO = Decimal("0.01")
CIEN = Decimal(100)


def centavos(valor: Decimal) -> Decimal:
    return valor.quantize(CENTAVO, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Liquidacion:
    seguro: Decimal
    cif: Decimal
    tasa_ad_valorem: Decimal
    ad_valorem: Decimal
    fodinfa: Decimal
    ice: Decimal
    iva: Decimal

    @property
    def total(self) -> Decimal:
        return self.ad_valorem + self.fodinfa + self.ice + self.iva


def liquidar(
    *,
    fob: Decimal,
    flete: Decimal,
    seguro: Decimal | None,
    tasa_ad_valorem: Decimal,
    tasa_ice: Decimal,
    tasa_fodinfa: Decimal,
    tasa_iva: Decimal,
    tasa_seguro_presuntivo: Decimal,
) -> Liquidacion:
    seguro = centavos(fob * tasa_seguro_presuntivo / CIEN) if seguro is None else seguro
    cif = centavos(fob + flete + seguro)
    ad_valorem = centavos(cif * tasa_ad_valorem / CIEN)
    fodinfa = centavos(cif * tasa_fodinfa / CIEN)
    ice = centavos((cif + ad_valorem + fodinfa) * tasa_ice / CIEN)
    iva = centavos((cif + ad_valorem + fodinfa + ice) * tasa_iva / CIEN)
    return Liquidacion(seguro, cif, tasa_ad_valorem, ad_valorem, fodinfa, ice, iva)
