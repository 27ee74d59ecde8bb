"""Holiday calendar (tramites.Feriado, ADR 0012): each holiday the 2016 law moves counts once (the day rested),
Carnival and 1 January / 25 December within the week never move, local holidays count only in their district,
officials' decreed extra days and moves count at once, a year never seeded still has the law's holidays, and
only the right officials edit the table in the admin. Expected dates are worked out by hand from the law."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from tests.factories import FuncionarioFactory
from tramites import calendario, roles
from tramites.calendario import (
    dias_habiles_entre,
    es_dia_habil,
    es_feriado,
    feriados,
    nombre_feriado,
    segundos_habiles_entre,
    sumar_dias_habiles,
    sumar_horas_habiles,
)
from tramites.models import Distrito, Feriado
from tramites.referencias import asegurar_distritos
from tramites.services import feriados_asegurar

pytestmark = pytest.mark.django_db
GYE = ZoneInfo("America/Guayaquil")
Origen = Feriado.Origen


@pytest.fixture
def guayaquil(db):
    asegurar_distritos()
    return Distrito.objects.get(codigo="028")


@pytest.fixture
def quito(db):
    asegurar_distritos()
    return Distrito.objects.get(codigo="055")


def nacional(fecha: date) -> Feriado:
    return Feriado.objects.get(fecha=fecha, distrito__isnull=True)


# --- Moved holidays count once ------------------------------------------------------------------------


def test_veinte_dias_habiles_desde_el_26_04_2024_terminan_el_28_05_2024():
    # Fri 26/04 → 29, 30/04, 1/05 (Wed, worked: rest moved), 2/05; Fri 3/05 rested; 6–10, 13–17, 20–23/05;
    # Fri 24/05 rested (Pichincha, a Friday, stays); 27/05 is the 19th, 28/05 the 20th.
    assert sumar_dias_habiles(date(2024, 4, 26), 20) == date(2024, 5, 28)
    assert dias_habiles_entre(date(2024, 4, 26), date(2024, 5, 28)) == 20


def test_1_de_mayo_de_2024_se_trabaja_y_se_descansa_el_viernes_3():
    assert es_dia_habil(date(2024, 5, 1)) and not es_feriado(date(2024, 5, 1))
    assert nombre_feriado(date(2024, 5, 1)) is None
    assert not es_dia_habil(date(2024, 5, 3))
    assert nombre_feriado(date(2024, 5, 3)).startswith("Día del Trabajo")
    # The table keeps both days, so officials see where the rest went.
    original, descanso = nacional(date(2024, 5, 1)), nacional(date(2024, 5, 3))
    assert (original.origen, original.descanso) == (Origen.LEY, False)
    assert "03/05/2024" in original.nombre
    assert (descanso.origen, descanso.descanso) == (Origen.LEY, True)


def test_feriados_de_2024_cada_uno_una_vez():
    assert set(feriados(2024)) == {
        date(2024, 1, 1),  # Monday
        date(2024, 2, 12),  # Carnival Monday
        date(2024, 2, 13),  # Carnival Tuesday: never moved to Monday
        date(2024, 3, 29),  # Good Friday
        date(2024, 5, 3),  # 1 May (Wed) → Fri
        date(2024, 5, 24),  # Friday, stays
        date(2024, 8, 9),  # 10 Aug (Sat) → Fri before
        date(2024, 10, 11),  # 9 Oct (Wed) → Fri
        date(2024, 11, 1),  # 2 Nov (Sat) → Fri before
        date(2024, 11, 4),  # 3 Nov (Sun) → Mon after
        date(2024, 12, 25),  # Wednesday: 25 December never moves
    }
    assert es_dia_habil(date(2024, 10, 9))
    assert es_dia_habil(date(2024, 12, 27))


def test_feriados_trasladados_de_2019():
    assert set(feriados(2019)) == {
        date(2019, 1, 1),  # Tuesday: 1 January never moves to Monday
        date(2019, 3, 4),
        date(2019, 3, 5),  # Carnival
        date(2019, 4, 19),  # Good Friday
        date(2019, 5, 3),  # 1 May (Wed) → Fri 3
        date(2019, 5, 24),  # Friday, stays
        date(2019, 8, 9),  # 10 Aug (Sat) → Fri 9
        date(2019, 10, 11),  # 9 Oct (Wed) → Fri 11
        date(2019, 11, 1),  # 2 Nov (Sat) → Fri 1
        date(2019, 11, 4),  # 3 Nov (Sun) → Mon 4
        date(2019, 12, 25),  # Wednesday, stays
    }
    assert es_dia_habil(date(2018, 12, 31)) and not es_dia_habil(date(2019, 1, 1))
    assert es_dia_habil(date(2019, 5, 1)) and es_dia_habil(date(2019, 10, 9))
    # Thu 25/04/2019 + 10 business days: 26, 29, 30/04, 1, 2/05 (worked), Fri 3 rested, 6–10/05 → Fri 10/05.
    assert sumar_dias_habiles(date(2019, 4, 25), 10) == date(2019, 5, 10)


def test_carnaval_lunes_y_martes_no_son_habiles():
    for dia in (date(2024, 2, 12), date(2024, 2, 13), date(2019, 3, 4), date(2019, 3, 5)):
        assert not es_dia_habil(dia)
        assert nombre_feriado(dia) == "Carnaval"
    # Fri 9/02/2024 + 1 business day skips the weekend and both Carnival days.
    assert sumar_dias_habiles(date(2024, 2, 9), 1) == date(2024, 2, 14)


def test_traslados_de_dos_dias_y_entre_anios():
    # 2022: 2 Nov (Wed) → Fri 4; 3 Nov (Thu) stays; Wednesday 2 is worked.
    assert es_dia_habil(date(2022, 11, 2))
    assert not es_dia_habil(date(2022, 11, 3)) and not es_dia_habil(date(2022, 11, 4))
    # 1 January 2022 was a Saturday: rested on Friday 31 December 2021.
    assert not es_dia_habil(date(2021, 12, 31))


# --- Local holidays, decreed days, cancellations -------------------------------------------------------


def test_feriado_local_solo_cuenta_en_su_distrito(guayaquil, quito):
    Feriado.objects.create(fecha=date(2024, 7, 25), nombre="Fundación de Guayaquil", distrito=guayaquil, origen=Origen.LOCAL)
    assert not es_dia_habil(date(2024, 7, 25), distrito=guayaquil)
    assert not es_dia_habil(date(2024, 7, 25), distrito=guayaquil.pk)  # an id works too
    assert nombre_feriado(date(2024, 7, 25), distrito=guayaquil) == "Fundación de Guayaquil"
    assert es_dia_habil(date(2024, 7, 25))
    assert es_dia_habil(date(2024, 7, 25), distrito=quito)
    # Wed 24/07/2024 + 1 business day: Thu 25 nationally, Fri 26 in Guayaquil.
    assert sumar_dias_habiles(date(2024, 7, 24), 1) == date(2024, 7, 25)
    assert sumar_dias_habiles(date(2024, 7, 24), 1, distrito=guayaquil) == date(2024, 7, 26)
    assert dias_habiles_entre(date(2024, 7, 24), date(2024, 7, 26), distrito=guayaquil) == 1
    # National holidays still count in the district.
    assert not es_dia_habil(date(2024, 5, 3), distrito=guayaquil)


def test_horas_habiles_con_el_feriado_del_distrito(guayaquil):
    Feriado.objects.create(fecha=date(2024, 7, 25), nombre="Fundación de Guayaquil", distrito=guayaquil, origen=Origen.LOCAL)
    inicio = datetime(2024, 7, 24, 16, 0, tzinfo=GYE)  # Wednesday, 1 h before closing
    assert sumar_horas_habiles(inicio, 3) == datetime(2024, 7, 25, 10, 0, tzinfo=GYE)
    assert sumar_horas_habiles(inicio, 3, distrito=guayaquil) == datetime(2024, 7, 26, 10, 0, tzinfo=GYE)
    fin = datetime(2024, 7, 26, 10, 0, tzinfo=GYE)
    assert segundos_habiles_entre(inicio, fin) == (1 + 9 + 2) * 3600
    assert segundos_habiles_entre(inicio, fin, distrito=guayaquil) == (1 + 2) * 3600


def test_dia_adicional_decretado_cuenta_desde_que_se_registra():
    dia = date(2024, 12, 24)  # Tuesday
    assert es_dia_habil(dia)
    assert sumar_dias_habiles(date(2024, 12, 23), 1) == dia
    Feriado.objects.create(fecha=dia, nombre="Descanso por Navidad", origen=Origen.DECRETO_ADICIONAL, base_legal="Decreto 123")
    assert not es_dia_habil(dia)
    assert sumar_dias_habiles(date(2024, 12, 23), 1) == date(2024, 12, 26)


def test_anular_un_dia_sembrado_lo_vuelve_habil():
    pichincha = nacional(date(2024, 5, 24))
    assert not es_dia_habil(pichincha.fecha)
    pichincha.descanso = False
    pichincha.base_legal = "Decreto de traslado"
    pichincha.save()
    assert es_dia_habil(date(2024, 5, 24))
    assert sumar_dias_habiles(date(2024, 4, 26), 20) == date(2024, 5, 27)


def test_traslado_decretado_anula_un_dia_y_agrega_otro(guayaquil):
    agosto = nacional(date(2024, 8, 9))
    agosto.descanso = False
    agosto.save()
    Feriado.objects.create(fecha=date(2024, 8, 12), nombre="Primer Grito de Independencia", origen=Origen.DECRETO_TRASLADO)
    assert es_dia_habil(date(2024, 8, 9)) and not es_dia_habil(date(2024, 8, 12))
    assert not es_dia_habil(date(2024, 8, 12), distrito=guayaquil)


def test_fila_del_distrito_prevalece_sobre_la_nacional(guayaquil):
    Feriado.objects.create(
        fecha=date(2024, 10, 11), nombre="Independencia de Guayaquil (se descansa el 9)", distrito=guayaquil,
        origen=Origen.DECRETO_TRASLADO, descanso=False,
    )  # fmt: skip
    Feriado.objects.create(fecha=date(2024, 10, 9), nombre="Independencia de Guayaquil", distrito=guayaquil, origen=Origen.LOCAL)
    assert es_dia_habil(date(2024, 10, 11), distrito=guayaquil) and not es_dia_habil(date(2024, 10, 9), distrito=guayaquil)
    assert not es_dia_habil(date(2024, 10, 11)) and es_dia_habil(date(2024, 10, 9))


def test_un_feriado_local_necesita_distrito_y_no_se_repite(guayaquil):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="distrito"):
        Feriado(fecha=date(2024, 7, 25), nombre="Fundación", origen=Origen.LOCAL).full_clean()
    with pytest.raises(ValidationError, match="Ya existe un feriado nacional"):
        Feriado(fecha=date(2024, 5, 3), nombre="Otro", origen=Origen.DECRETO_ADICIONAL).full_clean()


# --- Seeding and years without rows ---------------------------------------------------------------------


def test_la_siembra_tras_migrate_es_idempotente_y_no_pisa_ediciones():
    assert Feriado.objects.filter(distrito__isnull=True, fecha__year=2024, origen=Origen.LEY).count() == 16
    editado = nacional(date(2024, 5, 24))
    editado.nombre, editado.descanso = "Batalla de Pichincha (trasladado por decreto)", False
    editado.save()
    nacional(date(2024, 12, 25)).delete()  # a missing law row comes back
    assert feriados_asegurar(anios=[2024]) == 1
    assert feriados_asegurar(anios=[2024]) == 0
    editado.refresh_from_db()
    assert (editado.nombre, editado.descanso) == ("Batalla de Pichincha (trasladado por decreto)", False)
    assert nacional(date(2024, 12, 25)).descanso


def test_un_anio_sin_filas_tiene_los_feriados_de_la_ley():
    assert not Feriado.objects.filter(fecha__year=2090).exists()
    # 2090: 1 Jan (Sun) → Mon 2; 24 May (Wed) → Fri 26; 10 Aug (Thu) → Fri 11; the rest fall on their day.
    assert set(feriados(2090)) == {
        date(2090, 1, 2), date(2090, 2, 27), date(2090, 2, 28), date(2090, 4, 14), date(2090, 5, 1),
        date(2090, 5, 26), date(2090, 8, 11), date(2090, 10, 9), date(2090, 11, 2), date(2090, 11, 3),
        date(2090, 12, 25),
    }  # fmt: skip
    assert es_dia_habil(date(2090, 5, 24))
    # An official's row for that year adds to the computed days instead of replacing them.
    Feriado.objects.create(fecha=date(2090, 3, 1), nombre="Descanso decretado", origen=Origen.DECRETO_ADICIONAL)
    assert not es_dia_habil(date(2090, 3, 1)) and not es_dia_habil(date(2090, 5, 26))
    assert feriados_asegurar(anios=[2090]) == 14  # 11 rested days and 3 worked originals; 1 March is the official's
    assert not es_dia_habil(date(2090, 3, 1)) and not es_dia_habil(date(2090, 5, 26))


# --- Cache ------------------------------------------------------------------------------------------------


def test_lecturas_repetidas_no_consultan_la_base(django_assert_num_queries):
    feriados(2024)
    with django_assert_num_queries(0):
        sumar_dias_habiles(date(2024, 4, 26), 20)
        es_dia_habil(date(2024, 5, 1))


@pytest.fixture
def version_renovada_al_final():
    yield
    calendario._nueva_version()  # drop what this test cached from rows it changed without the signals


def test_otro_proceso_ve_el_cambio_cuando_se_renueva_la_version(version_renovada_al_final):
    dia = date(2024, 5, 24)
    assert not es_dia_habil(dia)  # cached for the current version
    # Another process changes the row (an UPDATE without this process's signals) and commits, renewing the version.
    Feriado.objects.filter(fecha=dia, distrito__isnull=True).update(descanso=False)
    assert not es_dia_habil(dia)  # this process still has the old version cached
    calendario._nueva_version()  # what the other process's on_commit does in the shared cache
    assert es_dia_habil(dia)


def test_guardar_un_feriado_renueva_la_version_al_confirmar(django_capture_on_commit_callbacks):
    antes = calendario._version_vigente()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        Feriado.objects.create(fecha=date(2024, 12, 31), nombre="Descanso de fin de año", origen=Origen.DECRETO_ADICIONAL)
    assert calendario._nueva_version in callbacks
    assert calendario._version_vigente() != antes
    assert not es_dia_habil(date(2024, 12, 31))


def test_un_cambio_deshecho_no_queda_en_la_cache():
    dia = date(2024, 12, 30)
    assert es_dia_habil(dia)
    try:
        with transaction.atomic():
            Feriado.objects.create(fecha=dia, nombre="Descanso", origen=Origen.DECRETO_ADICIONAL)
            assert not es_dia_habil(dia)
            raise RuntimeError("se deshace")
    except RuntimeError:
        pass
    assert es_dia_habil(dia)


# --- Admin --------------------------------------------------------------------------------------------


def test_regimenes_agrega_un_feriado_local_en_el_admin(client, guayaquil):
    client.force_login(FuncionarioFactory(grupos=[roles.REGIMENES]))
    r = client.post(
        "/admin/tramites/feriado/add/",
        {"fecha": "2024-07-25", "nombre": "Fundación de Guayaquil", "distrito": guayaquil.pk, "origen": "local",
         "descanso": "on", "base_legal": "Ordenanza municipal"},
    )  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:2000]
    assert not es_dia_habil(date(2024, 7, 25), distrito=guayaquil)
    r = client.get("/admin/tramites/feriado/", {"anio": "2024", "ambito": str(guayaquil.pk)})
    assert r.status_code == 200 and "Fundación de Guayaquil" in r.content.decode()
    r = client.get("/admin/tramites/feriado/", {"anio": "2024", "ambito": "nacional", "q": "Trabajo"})
    assert "Día del Trabajo" in r.content.decode() and "Fundación de Guayaquil" not in r.content.decode()


def test_el_origen_ley_no_se_elige_ni_se_borra_en_el_admin(client):
    client.force_login(FuncionarioFactory(grupos=[roles.SUPERVISOR]))
    r = client.post("/admin/tramites/feriado/add/", {"fecha": "2024-12-31", "nombre": "X", "origen": "ley", "descanso": "on"})
    assert r.status_code == 200 and not Feriado.objects.filter(fecha=date(2024, 12, 31)).exists()
    ley = nacional(date(2024, 5, 24))
    assert client.get(f"/admin/tramites/feriado/{ley.pk}/delete/").status_code == 403
    r = client.post(f"/admin/tramites/feriado/{ley.pk}/change/", {"nombre": ley.nombre, "base_legal": "Decreto 9"})
    assert r.status_code == 302
    ley.refresh_from_db()
    assert (ley.descanso, ley.fecha, ley.base_legal) == (False, date(2024, 5, 24), "Decreto 9")
    assert es_dia_habil(date(2024, 5, 24))


def test_sin_permiso_no_se_agrega_un_feriado(client):
    client.force_login(FuncionarioFactory(grupos=[roles.AFORO]))
    r = client.post(
        "/admin/tramites/feriado/add/",
        {"fecha": "2024-12-31", "nombre": "Descanso", "origen": "decreto_adicional", "descanso": "on"},
    )
    assert r.status_code == 403
    assert not Feriado.objects.filter(fecha=date(2024, 12, 31)).exists()
    assert es_dia_habil(date(2024, 12, 31))


def test_los_cambios_quedan_en_auditlog():
    from auditlog.models import LogEntry

    f = Feriado.objects.create(fecha=date(2024, 12, 31), nombre="Descanso", origen=Origen.DECRETO_ADICIONAL)
    assert LogEntry.objects.get_for_object(f).count() == 1


def test_la_ventana_sembrada_va_de_2017_a_dos_anios_adelante():
    from tramites.services import feriados_anios_a_sembrar
    from tramites.tasks import asegurar_feriados_task

    assert feriados_anios_a_sembrar(hoy=date(2026, 12, 1)) == range(2017, 2029)
    assert asegurar_feriados_task() == 0  # already seeded after migrate
    assert Feriado.objects.filter(distrito__isnull=True, fecha__year=2017, origen=Origen.LEY).exists()


@pytest.mark.django_db(transaction=True)
def test_un_cambio_confirmado_se_ve_sin_transaccion_abierta():
    """Autocommit: the save commits at once and renews the shared version, so the cached year is read again."""
    dia = date(2024, 12, 30)
    antes = calendario._version_vigente()
    assert es_dia_habil(dia)  # cached under the current version
    Feriado.objects.create(fecha=dia, nombre="Descanso de fin de año", origen=Origen.DECRETO_ADICIONAL)
    assert calendario._version_vigente() != antes
    assert not es_dia_habil(dia)
    Feriado.objects.filter(fecha=dia).delete()
    assert es_dia_habil(dia)
