"""The two data-quality rules, as pure functions, on the published series and on edge cases."""

from transparencia.alertas import (
    MINIMO_REPETIDO,
    UMBRAL_BAJO,
    alertas_de_serie,
    meses_bajos,
    meses_repetidos,
    vecinos,
)

from .conftest import cifras_semillas

SEMILLAS = cifras_semillas()


def _atenciones(serie):
    return {m: a for m, (_, a) in serie.items()}


def test_regimen_21_marzo_2025_muy_por_debajo_de_sus_vecinos_y_nada_mas():
    alertas = meses_bajos(_atenciones(SEMILLAS["regimen_21"]))
    assert list(alertas) == [(2025, 3)]
    assert alertas[(2025, 3)].tipo == "mes_bajo"
    assert "25 atenciones" in alertas[(2025, 3)].mensaje
    assert "3 %" in alertas[(2025, 3)].mensaje


def test_mesa_marzo_y_abril_2021_cifras_repetidas_y_nada_mas():
    alertas = meses_repetidos(SEMILLAS["mesa_servicios"])
    assert sorted(alertas) == [(2021, 3), (2021, 4)]
    assert "marzo de 2021" in alertas[(2021, 4)].mensaje
    assert "abril de 2021" in alertas[(2021, 3)].mensaje
    assert "4848" in alertas[(2021, 4)].mensaje.replace("\xa0", "").replace(".", "")


def test_ningun_otro_mes_publicado_esta_senalado():
    assert set(alertas_de_serie(SEMILLAS["regimen_21"])) == {(2025, 3)}
    assert set(alertas_de_serie(SEMILLAS["mesa_servicios"])) == {(2021, 3), (2021, 4)}
    # Régimen 21: 2021-04 (767) and 2021-05 (768) are close but not equal: not flagged
    assert SEMILLAS["regimen_21"][(2021, 4)] != SEMILLAS["regimen_21"][(2021, 5)]


def test_margen_del_umbral_el_mes_ordinario_mas_bajo_queda_lejos():
    """The lowest ordinary month (Mesa, January 2020: neighbours on one side only) is at 43 % of its neighbours."""
    serie = _atenciones(SEMILLAS["mesa_servicios"])
    cercanos = sorted(vecinos(serie, (2020, 1)))
    assert cercanos == [2378, 3478, 3724]
    assert 0.40 < serie[(2020, 1)] / 3478 < 0.45
    assert meses_bajos(serie, umbral=0.40) == {}
    assert list(meses_bajos(serie, umbral=0.45)) == [(2020, 1)]
    assert UMBRAL_BAJO == 0.30


def test_vecinos_por_calendario_no_salta_huecos():
    serie = {(2024, 10): 100, (2024, 11): 100, (2024, 12): 100, (2025, 4): 10}
    assert vecinos(serie, (2025, 4)) == []  # January–March 2025 missing; October 2024 is 6 months away
    assert meses_bajos(serie) == {}  # fewer than two neighbours: no judgement
    assert sorted(vecinos(serie, (2024, 12))) == [100, 100]  # crosses the year boundary


def test_mes_bajo_con_dos_vecinos_y_cero_en_la_mediana():
    assert list(meses_bajos({(2025, 1): 1000, (2025, 2): 200, (2025, 3): 1000})) == [(2025, 2)]
    assert meses_bajos({(2025, 1): 1000, (2025, 2): 300, (2025, 3): 1000}) == {}  # exactly 30 %: not below
    assert meses_bajos({(2025, 1): 0, (2025, 2): 0, (2025, 3): 0}) == {}


def test_repetidos_solo_consecutivos_iguales_en_ambas_cifras_y_con_volumen():
    assert meses_repetidos({(2025, 1): (2, 500), (2025, 2): (3, 500)}) == {}  # quejas differ
    assert meses_repetidos({(2025, 1): (0, 500), (2025, 3): (0, 500)}) == {}  # not consecutive
    pocos = MINIMO_REPETIDO - 1
    assert meses_repetidos({(2025, 1): (0, pocos), (2025, 2): (0, pocos)}) == {}  # small counts coincide by chance
    tres = meses_repetidos({(2024, 12): (1, 900), (2025, 1): (1, 900), (2025, 2): (1, 900)})
    assert sorted(tres) == [(2024, 12), (2025, 1), (2025, 2)]
