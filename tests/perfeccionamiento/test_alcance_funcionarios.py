"""Scoping matrix of SENAE officials over the régimen 21: every official group × every endpoint (pages, PDFs, API
list and detail, attachment downloads, admin changelists). An official sees a record only if its groups grant the
model's view permission (tramites.roles.GRUPOS); `is_staff` alone grants nothing. A record not visible is a 404."""

import pytest
from django.utils import timezone

from perfeccionamiento.services.anexos import anexo_registrar
from tests.factories import FuncionarioFactory, OperadorFactory
from tramites import roles, selectors
from tramites.models import Transicion
from tramites.services import adjuntos_guardar

from .factories import pdf

pytestmark = pytest.mark.django_db

GRUPOS = {
    "regimenes": roles.REGIMENES,
    "aforo": roles.AFORO,
    "mesa": roles.MESA,
    "analisis": roles.ANALISIS_FUNCIONAL,
    "supervisor": roles.SUPERVISOR,
}
# Who sees the régimen 21, following GRUPOS: Regímenes, Aforo and Supervisor hold perfeccionamiento.view_*; the desk
# groups (Mesa de servicios, Jefatura de Análisis Funcional) hold no permission of the régimen 21.
VE_REGIMEN21 = {"regimenes": True, "aforo": True, "mesa": False, "analisis": False, "supervisor": True}


@pytest.fixture
def registros(con_saldos):
    esc = con_saldos
    hoy = timezone.localdate()
    anexo = anexo_registrar(
        operador=esc.oce.operador,
        por=esc.oce,
        tipo="exportacion",
        fecha=hoy,
        lineas=[{"producto": "CAM-001", "cantidad": "10"}],
        declaracion={"numero": f"028-{hoy.year}-40-00000001", "fecha": hoy},
    )
    adjuntos = {
        "solicitud": adjuntos_guardar(objeto=esc.autorizacion, archivos=[pdf("proceso-productivo.pdf")], por=esc.oce)[0],
        "garantia": adjuntos_guardar(objeto=esc.garantia, archivos=[pdf("poliza-garantia.pdf")], por=esc.oce)[0],
        "anexo": adjuntos_guardar(objeto=anexo, archivos=[pdf("dae-evidencia.pdf")], por=esc.oce)[0],
    }
    saldo = esc.dai_vieja.lineas.first().saldos.first()
    return esc, anexo, saldo, adjuntos


def _urls(esc, anexo, saldo, adjuntos) -> dict[str, str]:
    sol, gar, dai = esc.autorizacion.pk, esc.garantia.pk, esc.dai_vieja.pk
    return {
        # pages and PDFs
        "pagina solicitud": f"/regimen21/solicitudes/{sol}/",
        "pdf autorización": f"/regimen21/solicitudes/{sol}/autorizacion.pdf",
        "pagina garantía": f"/regimen21/garantias/{gar}/",
        "pagina dai": f"/regimen21/dai/{dai}/",
        "pagina insumo": f"/regimen21/codigos/insumos/{esc.tela.pk}/",
        "pagina producto": f"/regimen21/codigos/productos/{esc.camisa.pk}/",
        "pagina existencia": f"/regimen21/existencias/items/{saldo.pk}/",
        "pagina anexo": f"/regimen21/anexos/{anexo.pk}/",
        "pdf anexo": f"/regimen21/anexos/{anexo.pk}/anexo.pdf",
        # attachment downloads
        "adjunto solicitud": f"/adjuntos/{adjuntos['solicitud'].pk}/",
        "adjunto garantía": f"/adjuntos/{adjuntos['garantia'].pk}/",
        "adjunto anexo": f"/adjuntos/{adjuntos['anexo'].pk}/",
    }


def _api(esc, anexo, saldo) -> dict[str, tuple[str, int]]:
    base = "/api/v1/regimen21"
    return {
        "solicitudes": (f"{base}/solicitudes/", esc.autorizacion.pk),
        "garantias": (f"{base}/garantias/", esc.garantia.pk),
        "dais": (f"{base}/dais/", esc.dai_vieja.pk),
        "codigos-insumo": (f"{base}/codigos-insumo/", esc.tela.pk),
        "codigos-producto": (f"{base}/codigos-producto/", esc.camisa.pk),
        "versiones": (f"{base}/versiones/", esc.version.pk),
        "saldos": (f"{base}/saldos/", saldo.pk),
        "anexos": (f"{base}/anexos/", anexo.pk),
    }


@pytest.mark.parametrize("rol", list(GRUPOS))
def test_paginas_pdf_y_adjuntos_segun_el_grupo(rol, registros, client):
    esc, anexo, saldo, adjuntos = registros
    client.force_login(FuncionarioFactory(grupos=[GRUPOS[rol]]))
    esperado = 200 if VE_REGIMEN21[rol] else 404
    for nombre, url in _urls(esc, anexo, saldo, adjuntos).items():
        assert client.get(url).status_code == esperado, (rol, nombre)


@pytest.mark.parametrize("rol", list(GRUPOS))
def test_api_lista_y_detalle_segun_el_grupo(rol, registros, cliente_token):
    esc, anexo, saldo, _ = registros
    api = cliente_token(FuncionarioFactory(grupos=[GRUPOS[rol]]))
    for nombre, (lista, pk) in _api(esc, anexo, saldo).items():
        ids = {fila["id"] for fila in api.get(lista).json()["results"]}
        assert (pk in ids) == VE_REGIMEN21[rol], (rol, nombre)
        r = api.get(f"{lista}{pk}/")
        assert r.status_code == (200 if VE_REGIMEN21[rol] else 404), (rol, nombre)
        if r.status_code == 404:
            assert r.json()["code"] == "no_encontrado"
    movimientos = api.get("/api/v1/regimen21/movimientos/").json()["results"]
    assert bool(movimientos) == VE_REGIMEN21[rol]


@pytest.mark.parametrize("rol", list(GRUPOS))
def test_admin_y_registros_genericos_segun_el_grupo(rol, registros, client):
    esc, anexo, saldo, adjuntos = registros
    funcionario = FuncionarioFactory(grupos=[GRUPOS[rol]])
    client.force_login(funcionario)
    for modelo in ("solicitudautorizacion", "garantia", "dai", "anexocompensatorio", "codigoinsumo"):
        r = client.get(f"/admin/perfeccionamiento/{modelo}/")
        assert r.status_code == (200 if VE_REGIMEN21[rol] else 403), (rol, modelo)
    # Every group holds tramites.view_adjunto: the list shows only files of records the official may see.
    pagina = client.get("/admin/tramites/adjunto/")
    assert pagina.status_code == 200
    for adjunto in adjuntos.values():
        assert (adjunto.nombre in pagina.content.decode()) == VE_REGIMEN21[rol], (rol, adjunto.nombre)
    assert set(selectors.adjuntos_visibles(funcionario)) == (set(adjuntos.values()) if VE_REGIMEN21[rol] else set())
    # The transition log of the régimen 21 records, the same way.
    historia = Transicion.objects.de(anexo)
    assert historia.exists()
    assert selectors.transiciones_visibles(funcionario).filter(pk__in=historia).exists() == VE_REGIMEN21[rol]


def test_operador_y_agente_siguen_viendo_lo_suyo(registros, client, agente_de):
    """The narrowed official rules leave the operator and its agency as they were, including attachments."""
    esc, anexo, saldo, adjuntos = registros
    for usuario in (esc.oce, esc.agente):
        client.force_login(usuario)
        for nombre, url in _urls(esc, anexo, saldo, adjuntos).items():
            assert client.get(url).status_code == 200, (usuario, nombre)
    client.force_login(agente_de(OperadorFactory()))  # an agency of another operator
    for nombre, url in _urls(esc, anexo, saldo, adjuntos).items():
        assert client.get(url).status_code == 404, nombre
