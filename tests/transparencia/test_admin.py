"""Admin: rows read-only, definitions visible, supervisors recompute (action or form), every recompute logged,
historical months refused, officials without the permission cannot recompute."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission

from tests.factories import FuncionarioFactory
from tramites import roles
from transparencia.models import EstadisticaMensual, Recalculo

pytestmark = pytest.mark.django_db
GYE = ZoneInfo("America/Guayaquil")
LISTA = "/admin/transparencia/estadisticamensual/"


@pytest.fixture
def cliente_supervisor(client, supervisor):
    client.force_login(supervisor)
    return client


@pytest.fixture
def calculada(db):
    return EstadisticaMensual.objects.create(
        tramite="regimen_21", anio=2026, mes=6, quejas=9, atenciones=9, origen="portal", calculado_en=datetime.now(GYE)
    )


def test_lista_con_definiciones_y_solo_lectura(cliente_supervisor, historico):
    respuesta = cliente_supervisor.get(LISTA)
    html = respuesta.content.decode()
    assert respuesta.status_code == 200
    assert "Definiciones y reglas de cálculo" in html and "Trámites del régimen resueltos en el mes" in html
    assert "Recalcular un mes" in html
    assert 'href="/admin/transparencia/estadisticamensual/add/"' not in html
    fila = EstadisticaMensual.objects.get(tramite="regimen_21", anio=2025, mes=3)
    cambio = cliente_supervisor.get(f"{LISTA}{fila.pk}/change/")
    assert cambio.status_code == 200
    assert "Ninguno (cifra histórica)." in cambio.content.decode()
    assert 'name="atenciones"' not in cambio.content.decode()  # no editable field
    assert cliente_supervisor.post(f"{LISTA}{fila.pk}/change/", {"atenciones": 800}).status_code == 403
    assert cliente_supervisor.get(f"{LISTA}{fila.pk}/delete/").status_code == 403


def test_accion_recalcular_registra_quien_y_respeta_el_historico(
    cliente_supervisor, supervisor, historico, calculada, transicion
):
    transicion("garantia", "aprobar", datetime(2026, 6, 10, 9, tzinfo=GYE))
    historica = EstadisticaMensual.objects.get(tramite="regimen_21", anio=2025, mes=3)
    respuesta = cliente_supervisor.post(
        LISTA, {"action": "recalcular", "_selected_action": [calculada.pk, historica.pk]}, follow=True
    )
    mensajes = [str(m) for m in respuesta.context["messages"]]
    assert any("2025-03" in m and "no se recalculan" in m for m in mensajes)
    assert any("2026-06: 0 quejas, 1 atenciones" in m for m in mensajes)
    calculada.refresh_from_db()
    assert (calculada.quejas, calculada.atenciones) == (0, 1)
    historica.refresh_from_db()
    assert historica.atenciones == 25
    r = Recalculo.objects.get()
    assert (r.por, r.via, r.quejas_antes, r.atenciones_antes) == (supervisor, "administracion", 9, 9)
    cambio = cliente_supervisor.get(f"{LISTA}{calculada.pk}/change/").content.decode()
    assert "Administración (funcionario)" in cambio and "antes 9 y 9" in cambio


def test_formulario_recalcula_un_mes_sin_fila(cliente_supervisor, supervisor, queja):
    queja("mesa_servicios", datetime(2026, 3, 3, 9, tzinfo=GYE))
    pagina = cliente_supervisor.get(f"{LISTA}recalcular/")
    assert pagina.status_code == 200 and "Recalcular un mes" in pagina.content.decode()
    respuesta = cliente_supervisor.post(f"{LISTA}recalcular/", {"tramite": "mesa_servicios", "anio": 2026, "mes": 3})
    assert respuesta.status_code == 302
    fila = EstadisticaMensual.objects.get(tramite="mesa_servicios", anio=2026, mes=3)
    assert (fila.origen, fila.quejas, fila.atenciones) == ("portal", 1, 0)
    assert Recalculo.objects.get().por == supervisor
    futuro = cliente_supervisor.post(f"{LISTA}recalcular/", {"tramite": "mesa_servicios", "anio": 2099, "mes": 1})
    assert futuro.status_code == 200 and "aún no empieza" in futuro.content.decode()


def test_sin_permiso_no_se_recalcula(client, calculada):
    funcionario = FuncionarioFactory(grupos=[roles.MESA])
    funcionario.user_permissions.add(Permission.objects.get(codename="view_estadisticamensual"))
    client.force_login(funcionario)
    lista = client.get(LISTA)
    assert lista.status_code == 200
    assert "Recalcular un mes" not in lista.content.decode()
    assert client.get(f"{LISTA}recalcular/").status_code == 403
    client.post(LISTA, {"action": "recalcular", "_selected_action": [calculada.pk]})
    calculada.refresh_from_db()
    assert calculada.atenciones == 9 and not Recalculo.objects.exists()


def test_el_supervisor_tiene_el_permiso_de_recalcular(supervisor):
    assert supervisor.has_perm("transparencia.recalcular_estadistica")
    assert not FuncionarioFactory(grupos=[roles.MESA]).has_perm("transparencia.recalcular_estadistica")
