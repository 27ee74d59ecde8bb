"""Anexo pages: registration from the form (with its dry-run fragment), errors on the item, the anexo page,
its PDF, the cesionario's acceptance, the officials' admin and the movements per input with CSV."""

import pytest
from django.utils import timezone

from perfeccionamiento.models import AnexoCompensatorio, SaldoInsumo
from perfeccionamiento.services.anexos import anexo_registrar
from tests.pdf import texto_pdf

pytestmark = pytest.mark.django_db


def formulario(esc, *items, tipo="exportacion", **extra):
    datos = {
        "operador": esc.oce.operador.pk,
        "tipo": tipo,
        "fecha": timezone.localdate().isoformat(),
        "declaracion_numero": "028-2026-40-00000917",
        "declaracion_fecha": timezone.localdate().isoformat(),
        "item-TOTAL_FORMS": "3",
        "item-INITIAL_FORMS": "0",
        "item-MIN_NUM_FORMS": "1",
        "item-MAX_NUM_FORMS": "1000",
        **extra,
    }
    for i, item in enumerate(items):
        datos.update({f"item-{i}-{k}": v for k, v in item.items()})
    return datos


def test_simulacion_en_vivo_del_formulario(client, con_saldos):
    client.force_login(con_saldos.oce)
    r = client.post("/regimen21/anexos/simular/", formulario(con_saldos, {"producto": con_saldos.camisa.pk, "cantidad": "550"}))
    html = r.content.decode()
    assert r.status_code == 200 and "El descargo es posible" in html
    assert "017,5" in html and "582,5" in html  # 1 017,5 m required, 582,5 m left (Spanish number format)
    r = client.post("/regimen21/anexos/simular/", formulario(con_saldos, {"producto": con_saldos.camisa.pk, "cantidad": "9000"}))
    assert "saldo insuficiente de TELA-01" in r.content.decode()
    assert not AnexoCompensatorio.objects.exists()


def test_registrar_desde_el_formulario(client, con_saldos):
    client.force_login(con_saldos.oce)
    r = client.post("/regimen21/anexos/nuevo/", formulario(con_saldos, {"producto": con_saldos.camisa.pk, "cantidad": "9000"}))
    html = r.content.decode()
    assert html.count("Ítem 1: saldo insuficiente de TELA-01") == 2  # summary and the item's own field
    r = client.post("/regimen21/anexos/nuevo/", formulario(con_saldos, {"producto": con_saldos.camisa.pk, "cantidad": "100"}))
    anexo = AnexoCompensatorio.objects.get()
    assert r.status_code == 302 and r["Location"] == anexo.get_absolute_url()
    pagina = client.get(r["Location"]).content.decode()
    assert anexo.numero in pagina and "Registrado (por aceptar)" in pagina


def test_pagina_pdf_y_movimientos_del_anexo_aplicado(client, con_saldos, senae):
    esc = con_saldos
    hoy = timezone.localdate()
    anexo = anexo_registrar(
        operador=esc.oce.operador, por=esc.oce, tipo="exportacion", fecha=hoy,
        lineas=[{"producto": "CAM-001", "cantidad": "100"}], declaracion={"numero": "028-2026-40-00000001", "fecha": hoy},
    )  # fmt: skip
    client.force_login(senae)
    pagina = client.get(f"/admin/perfeccionamiento/anexocompensatorio/{anexo.pk}/change/").content.decode()
    assert "Aceptar y aplicar" in pagina
    client.post(f"/admin/perfeccionamiento/anexocompensatorio/{anexo.pk}/transicion/aceptar/", {"comentario": "DAE conforme"})
    anexo.refresh_from_db()
    assert anexo.estado == "aplicado"
    client.force_login(esc.oce)
    pagina = client.get(anexo.get_absolute_url()).content.decode()
    assert "Movimientos de compensación" in pagina and "Descargo por anexo compensatorio" in pagina
    texto = texto_pdf(client.get(f"/regimen21/anexos/{anexo.pk}/anexo.pdf").content)
    assert anexo.numero in texto and "DAE 40 028-2026-40-00000001" in texto and "-185" in texto
    html = client.get(f"/regimen21/movimientos/?insumo={esc.tela.pk}").content.decode()
    assert anexo.numero in html
    csv = b"".join(client.get(f"/regimen21/movimientos/?anexo={anexo.pk}&formato=csv").streaming_content).decode("utf-8-sig")
    assert csv.count("Descargo por anexo compensatorio") == 2


def test_cesionario_acepta_desde_su_pagina(client, con_saldos):
    from tests.factories import UsuarioOperadorFactory

    from .factories import CodigoInsumoFactory, GarantiaFactory, SolicitudFactory

    esc = con_saldos
    cesionario = UsuarioOperadorFactory()
    garantia = GarantiaFactory(autorizacion=SolicitudFactory(operador=cesionario.operador, aprobada=True))
    CodigoInsumoFactory(operador=cesionario.operador, codigo="TEJ-1", subpartida="5208120000", unidad="m")
    anexo = anexo_registrar(
        operador=esc.oce.operador, por=esc.oce, tipo="cesion", fecha=timezone.localdate(),
        lineas=[{"insumo": "TELA-01", "cantidad": "50"}], cesionario=cesionario.operador,
    )  # fmt: skip
    client.force_login(cesionario)
    pagina = client.get(anexo.get_absolute_url()).content.decode()
    assert f"/regimen21/anexos/{anexo.pk}/aceptar/" in pagina and "Rechazar la cesión" in pagina
    r = client.post(f"/regimen21/anexos/{anexo.pk}/aceptar/", {"garantia": garantia.pk})
    assert r.status_code == 302
    assert SaldoInsumo.objects.get(operador=cesionario.operador).saldo == 50
    client.force_login(esc.oce)  # the transferor sees it applied, but cannot accept for the cesionario
    assert f"/regimen21/anexos/{anexo.pk}/aceptar/" not in client.get(anexo.get_absolute_url()).content.decode()
