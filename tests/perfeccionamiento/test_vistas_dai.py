"""DAI pages: the agent's form (errors on the item's own field), aforo in the admin, the regime control and
the input stock pages with their CSV exports."""

import pytest

from perfeccionamiento.models import DAI, ReglaCanal
from perfeccionamiento.services.dai import dai_crear
from tests.factories import UsuarioOperadorFactory

pytestmark = pytest.mark.django_db


def formulario(esc, *items, **extra):
    datos = {
        "operador": esc.oce.operador.pk,
        "distrito": esc.distrito.pk,
        "autorizacion": esc.autorizacion.pk,
        "garantia": esc.garantia.pk,
        "documento_transporte": "MSCU7654321",
        "item-TOTAL_FORMS": "3",
        "item-INITIAL_FORMS": "0",
        "item-MIN_NUM_FORMS": "1",
        "item-MAX_NUM_FORMS": "1000",
        **extra,
    }
    for i, item in enumerate(items):
        item = {**item, "insumo": esc.tela.pk if item["insumo"] == "TELA-01" else esc.boton.pk}
        datos.update({f"item-{i}-{k}": "" if v is None else v for k, v in item.items()})
    return datos


def test_agente_transmite_desde_el_formulario(client, escenario):
    client.force_login(escenario.agente)
    eleccion = client.get("/regimen21/dai/nueva/").content.decode()  # one delegating operator: straight to its form
    assert escenario.oce.operador.razon_social in eleccion and "Ítems de la declaración" in eleccion
    r = client.post("/regimen21/dai/nueva/", {**formulario(escenario, escenario.linea()), "transmitir": ""})
    dai = DAI.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/regimen21/dai/{dai.pk}/"
    assert dai.estado == "salida_autorizada"
    pagina = client.get(r["Location"]).content.decode()
    assert dai.numero in pagina and "Existencias de esta DAI" in pagina


def test_error_de_item_se_muestra_en_su_campo(client, escenario):
    client.force_login(escenario.agente)
    r = client.post(
        "/regimen21/dai/nueva/", {**formulario(escenario, escenario.linea(subpartida="5208110000")), "transmitir": ""}
    )
    html = r.content.decode()
    mensaje = "Ítem 1: la subpartida 5208110000 no coincide con la del insumo TELA-01 (5208120000)."
    assert html.count(mensaje) == 2  # in the summary and next to the item's field
    assert not DAI.objects.exists()


def test_solo_agentes_transmiten(client, escenario):
    client.force_login(escenario.oce)
    r = client.get("/regimen21/dai/nueva/", follow=True)
    assert "la transmite el agente de aduana" in r.content.decode()


def test_funcionario_de_aforo_autoriza_la_salida_en_el_admin(client, escenario, aforo):
    ReglaCanal.objects.create(nombre="Físico", prioridad=1, canal="fisico")
    dai = dai_crear(por=escenario.agente, lineas=[escenario.linea()], **escenario.cabecera())
    client.force_login(aforo)
    cola = client.get("/admin/perfeccionamiento/dai/?estado__exact=en_aforo").content.decode()
    assert dai.numero in cola
    pagina = client.get(f"/admin/perfeccionamiento/dai/{dai.pk}/change/").content.decode()
    assert "Autorizar salida" in pagina and "Observar" in pagina
    r = client.post(f"/admin/perfeccionamiento/dai/{dai.pk}/transicion/observar/", {"comentario": ""})
    assert "Este campo es requerido" in r.content.decode()
    client.post(f"/admin/perfeccionamiento/dai/{dai.pk}/transicion/autorizar_salida/", {"comentario": "Conforme"})
    dai.refresh_from_db()
    assert dai.estado == "salida_autorizada" and dai.lineas.get().saldos.get().saldo == 1000


def test_control_existencias_y_csv(client, escenario):
    dai = dai_crear(por=escenario.agente, lineas=[escenario.linea(), escenario.linea(escenario.boton)], **escenario.cabecera())
    client.force_login(escenario.oce)
    html = client.get("/regimen21/dai/").content.decode()
    assert dai.numero in html and "Automático" in html
    csv = b"".join(client.get("/regimen21/dai/?formato=csv").streaming_content).decode("utf-8-sig")
    assert dai.numero in csv and csv.splitlines()[0].startswith("DAI,RUC,operador,estado")
    html = client.get("/regimen21/existencias/").content.decode()
    assert "TELA-01" in html and "BOTON-02" in html
    lote = dai.lineas.get(numero=1).saldos.get()
    html = client.get(f"/regimen21/existencias/items/{lote.pk}/").content.decode()
    assert "Ingreso (salida autorizada de la DAI)" in html
    csv = b"".join(client.get(f"/regimen21/existencias/items/{lote.pk}/?formato=csv").streaming_content).decode("utf-8-sig")
    assert "Salida autorizada de la DAI" in csv
    client.force_login(UsuarioOperadorFactory())
    assert client.get(f"/regimen21/existencias/items/{lote.pk}/").status_code == 404
    assert dai.numero not in client.get("/regimen21/dai/").content.decode()


def test_paginas_con_consultas_constantes(client, escenario):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(escenario.oce)
    rutas = ["/regimen21/dai/", "/regimen21/existencias/", "/regimen21/existencias/items/", "/regimen21/garantias/"]

    def consultas():
        cuentas = {}
        for ruta in rutas:
            with CaptureQueriesContext(connection) as c:
                assert client.get(ruta).status_code == 200
            cuentas[ruta] = len(c)
        return cuentas

    dai_crear(por=escenario.agente, lineas=[escenario.linea()], **escenario.cabecera())
    pocas = consultas()
    for _ in range(6):
        dai_crear(por=escenario.agente, lineas=[escenario.linea(), escenario.linea(escenario.boton)], **escenario.cabecera())
    assert consultas() == pocas
