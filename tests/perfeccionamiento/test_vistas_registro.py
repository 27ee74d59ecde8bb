"""Operator pages and the officials' admin for authorization, guarantees and codes."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from perfeccionamiento.models import Garantia, SolicitudAutorizacion, VersionCoeficientes
from tests.factories import UsuarioFactory, UsuarioOperadorFactory
from tramites.models import Transicion

from .factories import CodigoInsumoFactory, CodigoProductoFactory, GarantiaFactory, SolicitudFactory, pdf

pytestmark = pytest.mark.django_db
E = SolicitudAutorizacion.Estado
FORM = {
    "modalidad": "maquila",
    "operacion": "elaboracion",
    "descripcion_proceso": "Confección de camisas de algodón: corte automático, costura industrial y planchado.",
    "mercancias": "Tela de algodón 5208.12",
    "productos": "Camisas 6205.20",
    "plazo_solicitado_meses": "12",
}


def test_operador_presenta_una_solicitud_desde_el_formulario(client, oce):
    client.force_login(oce)
    r = client.post("/regimen21/solicitudes/nueva/", {**FORM, "adjuntos": [pdf()], "presentar": ""})
    s = SolicitudAutorizacion.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/regimen21/solicitudes/{s.pk}/"
    assert s.estado == E.ENVIADA
    pagina = client.get(r["Location"]).content.decode()
    assert s.numero in pagina and "proceso.pdf" in pagina and "Presentar" in pagina  # timeline entry


def test_formulario_explica_cada_error_en_espanol(client, oce):
    client.force_login(oce)
    r = client.post("/regimen21/solicitudes/nueva/", {"descripcion_proceso": "corto", "plazo_solicitado_meses": "20"})
    html = r.content.decode()
    assert r.status_code == 200 and 'role="alert"' in html
    assert "Este campo es requerido." in html
    assert "Asegúrese de que este valor tenga al menos 40 carácter(es)" in html
    assert "Asegúrese de que este valor es menor o igual a 12." in html
    assert not SolicitudAutorizacion.objects.exists()


def test_borrador_sin_documentos_y_luego_presentado(client, oce):
    client.force_login(oce)
    client.post("/regimen21/solicitudes/nueva/", {**FORM, "guardar": ""})
    s = SolicitudAutorizacion.objects.get()
    assert s.estado == E.BORRADOR
    r = client.post(f"/regimen21/solicitudes/{s.pk}/editar/", {**FORM, "presentar": ""})
    assert "Adjunte al menos un documento" in r.content.decode()
    r = client.post(f"/regimen21/solicitudes/{s.pk}/editar/", {**FORM, "adjuntos": [pdf()], "presentar": ""})
    s.refresh_from_db()
    assert r.status_code == 302 and s.estado == E.ENVIADA


def test_correccion_de_una_solicitud_observada(client, oce, senae):
    s = SolicitudFactory(operador=oce.operador, estado=E.OBSERVADA, numero="SOL21-2026-000009")
    Transicion.objects.create(
        objeto=s, transicion="observar", desde="en_revision", hacia="observada", por=senae, comentario="Falta el plano"
    )
    client.force_login(oce)
    pagina = client.get(f"/regimen21/solicitudes/{s.pk}/editar/").content.decode()
    assert "Falta el plano" in pagina and "Enviar corrección" in pagina
    r = client.post(
        f"/regimen21/solicitudes/{s.pk}/editar/",
        {**FORM, "corregir": "", "comentario": "Plano adjunto", "adjuntos": [pdf("plano.pdf")]},
    )
    s.refresh_from_db()
    assert r.status_code == 302 and s.estado == E.EN_REVISION
    assert Transicion.objects.de(s).last().comentario == "Plano adjunto"


def test_prorroga_desde_la_pagina_y_la_segunda_se_explica(client, oce):
    s = SolicitudFactory(operador=oce.operador, aprobada=True)
    client.force_login(oce)
    r = client.post(f"/regimen21/solicitudes/{s.pk}/prorroga/", {"meses": "6", "comentario": "Temporada alta"})
    assert r.status_code == 302
    SolicitudAutorizacion.objects.filter(pk=s.pk).update(estado=E.APROBADA, prorroga_resuelta=True)
    r = client.post(f"/regimen21/solicitudes/{s.pk}/prorroga/", {"meses": "6", "comentario": "Otra"})
    assert "ya usó su única prórroga" in r.content.decode()


def test_paginas_ajenas_son_404(client, oce):
    ajena, garantia = SolicitudFactory(), GarantiaFactory()
    client.force_login(oce)
    assert client.get(f"/regimen21/solicitudes/{ajena.pk}/").status_code == 404
    assert client.get(f"/regimen21/garantias/{garantia.pk}/").status_code == 404
    assert client.post(f"/regimen21/solicitudes/{ajena.pk}/accion/anular/").status_code == 404
    assert (
        ajena.numero is None
        and str(ajena.pk) not in client.get("/regimen21/solicitudes/").content.decode().split("Borrador ")[1:]
    )


def test_ciudadano_no_presenta_solicitudes(client):
    client.force_login(UsuarioFactory())
    r = client.get("/regimen21/solicitudes/nueva/", follow=True)
    assert "Solo un operador de comercio exterior" in r.content.decode()


def test_accion_no_permitida_se_explica(client, oce):
    s = SolicitudFactory(operador=oce.operador, estado=E.EN_REVISION)
    client.force_login(oce)
    r = client.post(f"/regimen21/solicitudes/{s.pk}/accion/anular/", follow=True)
    assert "No se puede «Anular» un registro en estado «En revisión»." in r.content.decode()


def test_garantia_vencida_en_el_formulario(client, oce):
    s = SolicitudFactory(operador=oce.operador, aprobada=True)
    client.force_login(oce)
    hoy = timezone.localdate()
    datos = {
        "autorizacion": s.pk,
        "tipo": "general",
        "forma": "poliza",
        "entidad_emisora": "Seguros Equinoccial",
        "numero_documento": "PA-1",
        "monto": "1000",
        "vigencia_desde": hoy - timedelta(days=90),
        "vigencia_hasta": hoy - timedelta(days=1),
        "adjuntos": [pdf()],
    }
    r = client.post("/regimen21/garantias/nueva/", datos)
    assert "La garantía venció el" in r.content.decode()
    assert not Garantia.objects.exists()
    datos.update(vigencia_hasta=hoy + timedelta(days=200), adjuntos=[pdf()])
    r = client.post("/regimen21/garantias/nueva/", datos)
    assert r.status_code == 302 and Garantia.objects.get().estado == "solicitada"


def test_nueva_version_con_coeficiente_cero(client, oce):
    producto = CodigoProductoFactory(operador=oce.operador)
    tela = CodigoInsumoFactory(operador=oce.operador, codigo="TELA-01")
    client.force_login(oce)
    datos = {
        "vigente_desde": timezone.localdate().isoformat(),
        "justificacion": "Prueba",
        "coef-TOTAL_FORMS": "1",
        "coef-INITIAL_FORMS": "0",
        "coef-MIN_NUM_FORMS": "1",
        "coef-MAX_NUM_FORMS": "1000",
        "coef-0-insumo": tela.pk,
        "coef-0-coeficiente": "0",
    }
    r = client.post(f"/regimen21/codigos/productos/{producto.pk}/versiones/nueva/", datos)
    assert "El coeficiente debe ser mayor que cero." in r.content.decode()
    datos["coef-0-coeficiente"] = "1.85"
    r = client.post(f"/regimen21/codigos/productos/{producto.pk}/versiones/nueva/", datos)
    assert r.status_code == 302
    assert VersionCoeficientes.objects.get().coeficientes.get().coeficiente == Decimal("1.85")


def test_registrar_codigo_desde_la_pagina(client, oce):
    client.force_login(oce)
    r = client.post(
        "/regimen21/codigos/insumo/nuevo/",
        {"codigo": "tela-01", "descripcion": "Tela", "subpartida": "5208.1200.00", "unidad": "m"},
    )
    assert r.status_code == 302
    r = client.post(
        "/regimen21/codigos/insumo/nuevo/",
        {"codigo": "tela-01", "descripcion": "Tela", "subpartida": "5208120000", "unidad": "m"},
    )
    assert "Ya registró el código TELA-01." in r.content.decode()


# --- Admin -------------------------------------------------------------------------------------------


def test_funcionario_aprueba_en_la_administracion(client, senae):
    s = SolicitudFactory(estado=E.EN_REVISION, numero="SOL21-2026-000100")
    client.force_login(senae)
    pagina = client.get(f"/admin/perfeccionamiento/solicitudautorizacion/{s.pk}/change/").content.decode()
    assert "Aprobar" in pagina and "Observar" in pagina and "Presentar" not in pagina
    r = client.post(f"/admin/perfeccionamiento/solicitudautorizacion/{s.pk}/transicion/rechazar/", {"comentario": ""})
    assert "Este campo es requerido" in r.content.decode()
    r = client.post(f"/admin/perfeccionamiento/solicitudautorizacion/{s.pk}/transicion/aprobar/", {"comentario": "Conforme"})
    assert r.status_code == 302
    s.refresh_from_db()
    assert s.estado == E.APROBADA and s.numero_autorizacion


def test_funcionario_de_aforo_solo_lee(client):
    from tests.factories import FuncionarioFactory

    s = SolicitudFactory(estado=E.EN_REVISION)
    client.force_login(FuncionarioFactory(grupos=["Aforo"]))
    pagina = client.get(f"/admin/perfeccionamiento/solicitudautorizacion/{s.pk}/change/").content.decode()
    assert "transicion/aprobar" not in pagina
    r = client.post(f"/admin/perfeccionamiento/solicitudautorizacion/{s.pk}/transicion/aprobar/", {"comentario": "x"})
    s.refresh_from_db()
    assert s.estado == E.EN_REVISION
    assert r.status_code in (302, 403)


def test_cola_de_garantias_con_filtros(client, senae):
    GarantiaFactory(estado="solicitada", entidad_emisora="Aseguradora Única")
    GarantiaFactory(estado="aprobada", entidad_emisora="Banco Otro")
    client.force_login(senae)
    html = client.get("/admin/perfeccionamiento/garantia/?estado__exact=solicitada").content.decode()
    assert "Aseguradora Única" in html and "Banco Otro" not in html
    html = client.get("/admin/perfeccionamiento/garantia/?q=Banco").content.decode()
    assert "Banco Otro" in html


def test_panel_muestra_el_regimen_21(client, oce):
    SolicitudFactory(operador=oce.operador, estado=E.OBSERVADA, numero="SOL21-X")
    client.force_login(oce)
    html = client.get("/panel/").content.decode()
    assert "Régimen 21" in html and "por corregir" in html
    assert UsuarioOperadorFactory  # another operator's data never appears (scoped selectors)
