"""Scoping matrix: who sees which operator's data, in selectors and in the API."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import DelegacionFactory, OperadorFactory
from tramites.selectors import alcance_operador, delegaciones_listar, operadores_listar, puede_ver_operador

pytestmark = pytest.mark.django_db
HOY = timezone.localdate


def test_operador_solo_ve_su_empresa(usuario_operador):
    otro = OperadorFactory()
    visibles = set(operadores_listar(usuario=usuario_operador))
    assert visibles == {usuario_operador.operador}
    assert not puede_ver_operador(usuario_operador, otro.pk)


def test_agente_ve_delegantes_solo_con_delegacion_activa(usuario_agente):
    activa = DelegacionFactory(agente=usuario_agente.agente).operador
    futura = DelegacionFactory(agente=usuario_agente.agente, desde=HOY() + timedelta(days=1)).operador
    vencida = DelegacionFactory(
        agente=usuario_agente.agente, desde=HOY() - timedelta(days=90), hasta=HOY() - timedelta(days=1)
    ).operador
    revocada = DelegacionFactory(agente=usuario_agente.agente, revocada_en=timezone.now()).operador
    de_otro_agente = DelegacionFactory().operador
    ultimo_dia = DelegacionFactory(agente=usuario_agente.agente, hasta=HOY()).operador
    visibles = set(operadores_listar(usuario=usuario_agente))
    assert visibles == {activa, ultimo_dia}
    for invisible in (futura, vencida, revocada, de_otro_agente):
        assert not puede_ver_operador(usuario_agente, invisible.pk)
    # The same delegation read on another day: tomorrow the one ending today no longer counts.
    manana = HOY() + timedelta(days=1)
    from tramites.models import Operador

    assert set(alcance_operador(Operador.objects.all(), usuario=usuario_agente, campo="pk", al=manana)) == {
        activa,
        futura,
    }


def test_funcionario_ve_todo(funcionario):
    OperadorFactory.create_batch(3)
    assert operadores_listar(usuario=funcionario).count() == 3


def test_ciudadano_no_ve_operadores(ciudadano):
    OperadorFactory()
    assert not operadores_listar(usuario=ciudadano).exists()


def test_delegaciones_visibles_por_cada_parte(delegacion, usuario_operador, usuario_agente, ciudadano):
    DelegacionFactory()
    assert list(delegaciones_listar(usuario=usuario_operador)) == [delegacion]
    assert list(delegaciones_listar(usuario=usuario_agente)) == [delegacion]
    assert not delegaciones_listar(usuario=ciudadano).exists()


@pytest.mark.parametrize("rol", ["operador", "agente", "agente_sin_delegacion", "ciudadano", "funcionario"])
def test_api_operadores_respeta_el_alcance(
    rol, cliente_token, delegacion, usuario_operador, usuario_agente, ciudadano, funcionario
):
    from tests.factories import UsuarioAgenteFactory

    ajeno = OperadorFactory()
    usuario = {
        "operador": usuario_operador,
        "agente": usuario_agente,
        "agente_sin_delegacion": UsuarioAgenteFactory(),
        "ciudadano": ciudadano,
        "funcionario": funcionario,
    }[rol]
    cliente = cliente_token(usuario)
    ids = {o["id"] for o in cliente.get("/api/v1/operadores/").json()["results"]}
    esperado = {
        "operador": {delegacion.operador_id},
        "agente": {delegacion.operador_id},
        "agente_sin_delegacion": set(),
        "ciudadano": set(),
        "funcionario": {delegacion.operador_id, ajeno.pk},
    }[rol]
    assert ids == esperado
    detalle = cliente.get(f"/api/v1/operadores/{ajeno.pk}/")
    assert detalle.status_code == (200 if rol == "funcionario" else 404)
    if detalle.status_code == 404:
        assert detalle.json()["code"] == "no_encontrado"


# --- Officials see delegations by their group; who may revoke one (issue 15.3) ---------------------------------

REVOCAR = {
    # role: (HTTP answer, revoked?) — 404 when the delegation is not visible to the role, 403 when visible only.
    "operador": (200, True),
    "otro_operador": (404, False),
    "agente": (403, False),
    "regimenes": (403, False),
    "aforo": (404, False),
    "mesa": (404, False),
    "analisis": (404, False),
    "supervisor_sin_motivo": (400, False),
    "supervisor": (200, True),
}


def _revocador(rol, delegacion, usuario_operador, usuario_agente):
    from tests.factories import FuncionarioFactory, UsuarioOperadorFactory
    from tramites import roles

    grupos = {
        "regimenes": roles.REGIMENES,
        "aforo": roles.AFORO,
        "mesa": roles.MESA,
        "analisis": roles.ANALISIS_FUNCIONAL,
        "supervisor": roles.SUPERVISOR,
        "supervisor_sin_motivo": roles.SUPERVISOR,
    }
    if rol in grupos:
        return FuncionarioFactory(grupos=[grupos[rol]])
    return {"operador": usuario_operador, "otro_operador": UsuarioOperadorFactory(), "agente": usuario_agente}[rol]


@pytest.mark.parametrize("rol", list(REVOCAR))
def test_api_revocar_delegacion_solo_el_operador_o_un_supervisor_con_motivo(
    rol, cliente_token, delegacion, usuario_operador, usuario_agente
):
    from auditlog.models import LogEntry

    from tramites.models import Delegacion

    usuario = _revocador(rol, delegacion, usuario_operador, usuario_agente)
    cuerpo = {"motivo": "Licencia de la agencia suspendida (oficio SENAE-2026-0042)"} if rol == "supervisor" else {}
    r = cliente_token(usuario).post(f"/api/v1/delegaciones/{delegacion.pk}/revocar/", cuerpo, format="json")
    codigo, revocada = REVOCAR[rol]
    assert r.status_code == codigo, r.content
    delegacion = Delegacion.objects.get(pk=delegacion.pk)
    assert (delegacion.revocada_en is not None) == revocada
    if codigo == 404:
        assert r.json()["code"] == "no_encontrado"
    if codigo == 403:
        assert r.json()["code"] == "permiso_denegado"
    if codigo == 400:
        assert r.json()["code"] == "invalido" and "motivo" in r.json()["errors"]
    if revocada:
        assert delegacion.revocada_por == usuario
        assert delegacion.motivo_revocacion == cuerpo.get("motivo", "")
        assert r.json()["motivo_revocacion"] == cuerpo.get("motivo", "")
        cambios = LogEntry.objects.get_for_object(delegacion).filter(action=LogEntry.Action.UPDATE).get().changes_dict
        assert {"revocada_en", "revocada_por"} <= set(cambios)
        assert ("motivo_revocacion" in cambios) == bool(cuerpo)


@pytest.mark.parametrize("rol", list(REVOCAR))
def test_pagina_revocar_delegacion_igual_que_la_api(rol, client, delegacion, usuario_operador, usuario_agente):
    from tramites.models import Delegacion

    usuario = _revocador(rol, delegacion, usuario_operador, usuario_agente)
    client.force_login(usuario)
    datos = {"motivo": "Licencia de la agencia suspendida"} if rol == "supervisor" else {}
    r = client.post(f"/delegaciones/{delegacion.pk}/revocar/", datos)
    codigo, revocada = REVOCAR[rol]
    assert r.status_code == {200: 302, 400: 302}.get(codigo, codigo)
    assert (Delegacion.objects.get(pk=delegacion.pk).revocada_en is not None) == revocada
    if rol == "supervisor_sin_motivo":
        assert "Indique el motivo" in client.get(r.url).content.decode()


@pytest.mark.parametrize(
    ("rol", "ve"),
    [("regimenes", True), ("aforo", False), ("mesa", False), ("analisis", False), ("supervisor", True)],
)
def test_delegaciones_visibles_por_grupo_en_api_y_pagina(rol, ve, cliente_token, client, delegacion):
    funcionario = _revocador(rol, delegacion, None, None)
    assert delegaciones_listar(usuario=funcionario).exists() == ve
    api = cliente_token(funcionario)
    assert bool(api.get("/api/v1/delegaciones/").json()["results"]) == ve
    assert api.get(f"/api/v1/delegaciones/{delegacion.pk}/").status_code == (200 if ve else 404)
    client.force_login(funcionario)
    assert (delegacion.agente.nombre in client.get("/delegaciones/").content.decode()) == ve


def test_admin_no_revoca_por_la_puerta_de_atras(client, delegacion):
    """Regímenes may create delegations in the admin, but not end one by moving its dates or setting revocada_en."""
    from datetime import timedelta

    from tests.factories import FuncionarioFactory
    from tramites.models import Delegacion

    client.force_login(FuncionarioFactory())  # Regímenes especiales: add/change_delegacion
    url = f"/admin/tramites/delegacion/{delegacion.pk}/change/"
    assert client.get(url).status_code == 200
    ayer = timezone.localdate() - timedelta(days=1)
    client.post(
        url,
        {
            "operador": delegacion.operador_id,
            "agente": delegacion.agente_id,
            "desde": (ayer - timedelta(days=30)).isoformat(),
            "hasta": ayer.isoformat(),
            "revocada_en_0": ayer.isoformat(),
            "revocada_en_1": "10:00:00",
        },
    )
    despues = Delegacion.objects.get(pk=delegacion.pk)
    assert (despues.hasta, despues.revocada_en) == (None, None)
    assert despues.activa()
