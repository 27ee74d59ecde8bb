"""Ecuador's working calendar and concurrency-safe numbering."""

import threading
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction

from tramites.calendario import (
    dias_habiles_entre,
    es_dia_habil,
    segundos_habiles_entre,
    sumar_dias_habiles,
    sumar_horas_habiles,
)
from tramites.models import Secuencia
from tramites.numeracion import formatear, siguiente_numero

GYE = ZoneInfo("America/Guayaquil")


@pytest.mark.django_db
def test_feriados_y_fines_de_semana_no_son_habiles():
    assert not es_dia_habil(date(2026, 2, 16))  # Carnaval
    assert not es_dia_habil(date(2026, 5, 25))  # 24 de mayo, trasladado al lunes
    assert not es_dia_habil(date(2026, 11, 22))  # domingo
    assert es_dia_habil(date(2026, 11, 23))


@pytest.mark.django_db
def test_sumar_dias_habiles_salta_feriados():
    # viernes 30 oct 2026 + 1 hábil: 2 y 3 de noviembre son feriados → miércoles 4
    assert sumar_dias_habiles(date(2026, 10, 30), 1) == date(2026, 11, 4)
    assert dias_habiles_entre(date(2026, 10, 30), date(2026, 11, 4)) == 1


@pytest.mark.django_db
def test_horas_habiles_a_traves_de_un_feriado():
    # viernes 30 oct 16h00 + 3 h hábiles: 1 h el viernes, lunes 2 y martes 3 feriados, 2 h el miércoles 4
    inicio = datetime(2026, 10, 30, 16, 0, tzinfo=GYE)
    assert sumar_horas_habiles(inicio, 3) == datetime(2026, 11, 4, 10, 0, tzinfo=GYE)
    assert segundos_habiles_entre(inicio, datetime(2026, 11, 4, 10, 0, tzinfo=GYE)) == 3 * 3600


@pytest.mark.django_db
def test_fuera_de_jornada_empieza_al_abrir():
    noche = datetime(2026, 11, 23, 22, 30, tzinfo=GYE)
    assert sumar_horas_habiles(noche, 1) == datetime(2026, 11, 24, 9, 0, tzinfo=GYE)
    assert segundos_habiles_entre(noche, datetime(2026, 11, 24, 8, 0, tzinfo=GYE)) == 0


@pytest.mark.django_db
def test_numeracion_consecutiva_y_sin_huecos_al_deshacer():
    with transaction.atomic():
        assert siguiente_numero("X-2026") == 1
        assert siguiente_numero("X-2026") == 2
    try:
        with transaction.atomic():
            siguiente_numero("X-2026")
            raise ValueError("se deshace")
    except ValueError:
        pass
    with transaction.atomic():
        assert siguiente_numero("X-2026") == 3
        assert siguiente_numero("Y-2026") == 1
    assert formatear("MDS", 2026, 123) == "MDS-2026-000123"


def test_numeracion_fuera_de_transaccion_es_un_error(transactional_db):
    with pytest.raises(RuntimeError):
        siguiente_numero("Z")


@pytest.mark.concurrencia
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_numeracion_concurrente_no_repite():
    if connection.vendor != "postgresql":
        pytest.skip("la concurrencia real se prueba en PostgreSQL")
    numeros: list[int] = []
    errores: list[BaseException] = []
    barrera = threading.Barrier(8)

    def trabajar():
        try:
            barrera.wait()
            for _ in range(10):
                with transaction.atomic():
                    numeros.append(siguiente_numero("CONC-2026"))
        except BaseException as e:  # noqa: BLE001 - reported below
            errores.append(e)
        finally:
            connection.close()

    hilos = [threading.Thread(target=trabajar) for _ in range(8)]
    for h in hilos:
        h.start()
    for h in hilos:
        h.join()
    assert not errores
    assert sorted(numeros) == list(range(1, 81))
    assert Secuencia.objects.get(clave="CONC-2026").ultimo == 80


def test_sumar_meses_recorta_al_fin_de_mes():
    from tramites.calendario import sumar_meses

    assert sumar_meses(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert sumar_meses(date(2026, 11, 23), 12) == date(2027, 11, 23)
    assert sumar_meses(date(2027, 12, 15), 3) == date(2028, 3, 15)
