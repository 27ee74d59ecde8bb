"""Solicitud de autorización: every transition allowed and refused, its rules, scoping of who acts,
notifications, concurrency and the authorization PDF."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from perfeccionamiento.exceptions import OperadorNoElegible, ProrrogaYaSolicitada
from perfeccionamiento.models import SolicitudAutorizacion
from perfeccionamiento.services.autorizaciones import solicitud_corregir, solicitud_crear, solicitud_transicionar
from tests.factories import FuncionarioFactory, OperadorFactory, UsuarioOperadorFactory
from tests.pdf import texto_pdf
from tramites.calendario import sumar_meses
from tramites.exceptions import (
    ArchivoInvalido,
    ComentarioRequerido,
    DatosInvalidos,
    OperadorNoHabilitado,
    PermisoDenegado,
    TransicionNoPermitida,
)
from tramites.fsm import verificar_transicion
from tramites.models import Notificacion, Operador, Transicion

from .factories import SolicitudFactory, pdf

pytestmark = pytest.mark.django_db
E = SolicitudAutorizacion.Estado

CAMPOS = {
    "modalidad": "maquila",
    "operacion": "elaboracion",
    "descripcion_proceso": "Confección de camisas de algodón: corte automático, costura industrial y planchado.",
    "mercancias": "Tela de algodón 5208.12",
    "productos": "Camisas 6205.20",
    "plazo_solicitado_meses": 12,
}


def crear(usuario, **extra):
    return solicitud_crear(operador=usuario.operador, por=usuario, **{**CAMPOS, **extra})


def paso(solicitud, accion, por, comentario="", **datos):
    return solicitud_transicionar(solicitud_id=solicitud.pk, accion=accion, por=por, comentario=comentario, **datos)


def test_camino_completo_con_observacion_y_aprobacion(oce, senae):
    s = crear(oce, archivos=[pdf()], presentar=True)
    assert (s.estado, s.numero) == (E.ENVIADA, f"SOL21-{timezone.localdate().year}-000001")
    paso(s, "tomar", senae)
    paso(s, "observar", senae, "Falta el contrato de maquila.")
    s = solicitud_corregir(solicitud_id=s.pk, por=oce, comentario="Adjunto el contrato.", archivos=[pdf("contrato.pdf")])
    assert s.estado == E.EN_REVISION
    s = paso(s, "aprobar", senae, "Conforme.")
    hoy = timezone.localdate()
    assert s.estado == E.APROBADA
    assert s.numero_autorizacion == f"AUT21-{hoy.year}-000001"
    assert (s.vigencia_desde, s.vigencia_hasta) == (hoy, sumar_meses(hoy, 12) - timedelta(days=1))
    assert s.aprobada_por == senae
    registro = [(t.transicion, t.desde, t.hacia, t.por) for t in Transicion.objects.de(s)]
    assert registro == [
        ("presentar", "borrador", "enviada", oce),
        ("tomar", "enviada", "en_revision", senae),
        ("observar", "en_revision", "observada", senae),
        ("corregir", "observada", "en_revision", oce),
        ("aprobar", "en_revision", "aprobada", senae),
    ]
    # The operator is told about SENAE's decisions; SENAE about the operator's filings.
    asuntos_oce = list(Notificacion.objects.filter(usuario=oce).values_list("asunto", flat=True))
    assert any("Observada" in a for a in asuntos_oce) and any("Aprobada" in a for a in asuntos_oce)
    assert Notificacion.objects.filter(usuario=senae, asunto__contains="Enviada").exists()


def test_presentar_sin_documentos_no_cambia_nada(oce):
    s = crear(oce)
    with pytest.raises(DatosInvalidos) as e:
        paso(s, "presentar", oce)
    assert e.value.errores == {"adjuntos": ["Adjunte al menos un documento que acredite el proceso productivo."]}
    s.refresh_from_db()
    assert (s.estado, s.numero) == (E.BORRADOR, None)


def test_adjunto_falso_no_deja_nada_guardado(oce):
    from django.core.files.uploadedfile import SimpleUploadedFile

    falso = SimpleUploadedFile("proceso.pdf", b"MZ\x90\x00 ejecutable renombrado", content_type="application/pdf")
    with pytest.raises(ArchivoInvalido):
        crear(oce, archivos=[falso], presentar=True)
    assert not SolicitudAutorizacion.objects.exists()


@pytest.mark.parametrize(
    ("campo", "valor", "mensaje"),
    [
        ("plazo_solicitado_meses", 13, "menor o igual a 12"),
        ("plazo_solicitado_meses", 0, "mayor o igual a 1"),
        ("modalidad", "contrabando", "no es una opción válida"),
    ],
)
def test_datos_invalidos_se_explican_por_campo(oce, campo, valor, mensaje):
    with pytest.raises(DatosInvalidos) as e:
        crear(oce, **{campo: valor})
    assert mensaje in " ".join(e.value.errores[campo])
    assert not SolicitudAutorizacion.objects.exists()


def test_solo_personas_juridicas_domiciliadas(oce):
    Operador.objects.filter(pk=oce.operador_id).update(ruc="1714307103001")  # a natural person's RUC
    oce.operador.refresh_from_db()
    with pytest.raises(OperadorNoElegible, match="personas jurídicas"):
        crear(oce)
    Operador.objects.filter(pk=oce.operador_id).update(ruc=OperadorFactory.build().ruc, domiciliado_ecuador=False)
    oce.operador.refresh_from_db()
    with pytest.raises(OperadorNoElegible, match="domiciliado"):
        crear(oce)


def test_operador_no_habilitado_no_presenta():
    u = UsuarioOperadorFactory(operador__estado=Operador.Estado.REGISTRADO)
    with pytest.raises(OperadorNoHabilitado):
        crear(u)


# --- The transition table: every (state, action) pair, allowed or refused ----------------------------

LADO_OPERADOR = {"presentar", "corregir", "solicitar_prorroga", "anular"}
PERMITIDAS = {
    E.BORRADOR: {"presentar", "anular"},
    E.ENVIADA: {"tomar", "anular"},
    E.EN_REVISION: {"observar", "aprobar", "rechazar"},
    E.OBSERVADA: {"corregir"},
    E.APROBADA: {"solicitar_prorroga", "suspender", "revocar", "vencer"},
    E.PRORROGA_SOLICITADA: {"conceder_prorroga", "negar_prorroga", "revocar"},
    E.SUSPENDIDA: {"levantar_suspension", "revocar", "vencer"},
    E.RECHAZADA: set(),
    E.REVOCADA: set(),
    E.VENCIDA: set(),
    E.ANULADA: set(),
}
ACCIONES = sorted(set().union(*PERMITIDAS.values()))


@pytest.mark.parametrize("estado", list(PERMITIDAS))
def test_tabla_de_transiciones(estado, oce, senae):
    vencida_ayer = timezone.localdate() - timedelta(days=1)
    s = SolicitudFactory(
        operador=oce.operador, estado=estado, vigencia_desde=vencida_ayer - timedelta(days=300), vigencia_hasta=vencida_ayer
    )
    for accion in ACCIONES:
        por = None if accion == "vencer" else oce if accion in LADO_OPERADOR else senae
        if accion in PERMITIDAS[estado]:
            verificar_transicion(s, accion, por=por, comentario="motivo")
        else:
            with pytest.raises(TransicionNoPermitida):
                verificar_transicion(s, accion, por=por, comentario="motivo")


def test_vencer_solo_despues_de_la_fecha(senae):
    s = SolicitudFactory(aprobada=True)
    with pytest.raises(TransicionNoPermitida, match="No se cumplen las condiciones"):
        paso(s, "vencer", None)
    SolicitudAutorizacion.objects.filter(pk=s.pk).update(vigencia_hasta=timezone.localdate() - timedelta(days=1))
    assert paso(s, "vencer", None).estado == E.VENCIDA
    assert Transicion.objects.de(s).get().por is None


def test_funcionario_no_actua_por_el_operador_ni_el_operador_decide(oce, senae):
    s = crear(oce, archivos=[pdf()])
    with pytest.raises(PermisoDenegado):
        paso(s, "presentar", senae)
    paso(s, "presentar", oce)
    with pytest.raises(PermisoDenegado):
        paso(s, "tomar", oce)
    with pytest.raises(PermisoDenegado):
        paso(s, "tomar", FuncionarioFactory(grupos=["Aforo"]))  # aforo officials only read régimen 21


def test_otro_operador_no_actua(oce):
    s = crear(oce, archivos=[pdf()])
    with pytest.raises(PermisoDenegado):
        paso(s, "presentar", UsuarioOperadorFactory())


def test_agente_actua_solo_con_delegacion_vigente(oce, agente_de):
    s = crear(oce, archivos=[pdf()])
    vencido = agente_de(oce.operador, hasta=timezone.localdate() - timedelta(days=1))
    with pytest.raises(PermisoDenegado):
        paso(s, "presentar", vencido)
    vigente = agente_de(oce.operador)
    assert paso(s, "presentar", vigente).estado == E.ENVIADA


@pytest.mark.parametrize("accion", ["observar", "rechazar"])
def test_observar_y_rechazar_exigen_motivo(oce, senae, accion):
    s = SolicitudFactory(operador=oce.operador, estado=E.EN_REVISION)
    with pytest.raises(ComentarioRequerido):
        paso(s, accion, senae, "   ")
    s.refresh_from_db()
    assert s.estado == E.EN_REVISION


def test_vigencia_maxima_de_un_anio(oce, senae):
    s = SolicitudFactory(operador=oce.operador, estado=E.EN_REVISION)
    with pytest.raises(DatosInvalidos) as e:
        paso(s, "aprobar", senae, vigencia_hasta=timezone.localdate() + timedelta(days=400))
    assert "un año como máximo" in e.value.errores["vigencia_hasta"][0]
    s.refresh_from_db()
    assert (s.estado, s.numero_autorizacion) == (E.EN_REVISION, None)
    hasta = timezone.localdate() + timedelta(days=90)
    assert paso(s, "aprobar", senae, vigencia_hasta=hasta).vigencia_hasta == hasta


def test_una_sola_prorroga(oce, senae):
    s = SolicitudFactory(operador=oce.operador, aprobada=True)
    hasta = s.vigencia_hasta
    with pytest.raises(ComentarioRequerido):
        paso(s, "solicitar_prorroga", oce, meses=6)
    with pytest.raises(DatosInvalidos):
        paso(s, "solicitar_prorroga", oce, "Temporada alta", meses=24)
    paso(s, "solicitar_prorroga", oce, "Temporada alta", meses=6)
    s = paso(s, "conceder_prorroga", senae)
    assert (s.estado, s.vigencia_hasta) == (E.APROBADA, sumar_meses(hasta, 6))
    with pytest.raises(ProrrogaYaSolicitada) as e:
        paso(s, "solicitar_prorroga", oce, "Otra vez", meses=3)
    assert (e.value.http_status, e.value.code) == (409, "prorroga_ya_solicitada")


def test_prorroga_negada_tampoco_se_repite(oce, senae):
    s = SolicitudFactory(operador=oce.operador, aprobada=True)
    paso(s, "solicitar_prorroga", oce, "Temporada alta", meses=6)
    paso(s, "negar_prorroga", senae, "Sin justificación suficiente.")
    with pytest.raises(ProrrogaYaSolicitada):
        paso(s, "solicitar_prorroga", oce, "Insisto", meses=6)


def test_suspender_levantar_y_revocar(oce, senae):
    s = SolicitudFactory(operador=oce.operador, aprobada=True)
    assert paso(s, "suspender", senae, "Control posterior").estado == E.SUSPENDIDA
    assert paso(s, "levantar_suspension", senae).estado == E.APROBADA
    assert paso(s, "revocar", senae, "Cierre de la planta").estado == E.REVOCADA


@pytest.mark.concurrencia
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_dos_funcionarios_aprueban_a_la_vez_gana_uno():
    if connection.vendor != "postgresql":
        pytest.skip("la concurrencia real se prueba en PostgreSQL")
    s = SolicitudFactory(estado=E.EN_REVISION)
    funcionarios = [FuncionarioFactory(), FuncionarioFactory()]
    resultados: list[str] = []
    barrera = threading.Barrier(2)

    def aprobar(funcionario):
        try:
            barrera.wait()
            paso(s, "aprobar", funcionario)
            resultados.append("aprobada")
        except TransicionNoPermitida as e:
            resultados.append(f"{e.http_status} {e.code}")
        finally:
            connection.close()

    hilos = [threading.Thread(target=aprobar, args=(f,)) for f in funcionarios]
    for h in hilos:
        h.start()
    for h in hilos:
        h.join()
    assert sorted(resultados) == ["409 transicion_no_permitida", "aprobada"]
    s.refresh_from_db()
    assert s.numero_autorizacion.endswith("000001")
    assert Transicion.objects.de(s).filter(transicion="aprobar").count() == 1


def test_copia_desactualizada_da_conflicto_concurrente(oce, senae):
    """Without the service's row lock (e.g. an old in-memory copy), the optimistic lock still refuses."""
    from tramites.exceptions import ConflictoConcurrente
    from tramites.fsm import transicionar

    s = SolicitudFactory(operador=oce.operador, estado=E.EN_REVISION)
    vieja = SolicitudAutorizacion.objects.get(pk=s.pk)
    paso(s, "observar", senae, "Complete")
    with pytest.raises(ConflictoConcurrente), transaction.atomic():
        transicionar(vieja, "rechazar", por=senae, comentario="No procede")
    s.refresh_from_db()
    assert s.estado == E.OBSERVADA


def test_pdf_de_la_autorizacion(client, oce, senae):
    s = crear(oce, archivos=[pdf()], presentar=True)
    client.force_login(oce)
    r = client.get(f"/regimen21/solicitudes/{s.pk}/autorizacion.pdf")
    assert r.status_code == 302  # not yet approved
    paso(s, "tomar", senae)
    s = paso(s, "aprobar", senae, "Conforme")
    r = client.get(f"/regimen21/solicitudes/{s.pk}/autorizacion.pdf")
    assert r["Content-Type"] == "application/pdf"
    texto = texto_pdf(r.content)
    assert s.numero_autorizacion in texto
    assert oce.operador.razon_social in texto and oce.operador.ruc in texto
    assert f"del {s.vigencia_desde:%d/%m/%Y} al {s.vigencia_hasta:%d/%m/%Y}" in texto
    assert "Maquila" in texto and "Elaboración" in texto
    otro = UsuarioOperadorFactory()
    client.force_login(otro)
    assert client.get(f"/regimen21/solicitudes/{s.pk}/autorizacion.pdf").status_code == 404
