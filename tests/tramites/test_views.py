"""Browser pages: sign-up, login, password reset, dashboards per role, delegations, tokens, PDF."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import AgenteFactory, OperadorFactory
from tests.pdf import texto_pdf
from tramites.models import Delegacion, Operador, Transicion, Usuario

pytestmark = pytest.mark.django_db

DATOS_REGISTRO = {
    "tipo_cuenta": "ciudadano",
    "first_name": "Gabriela",
    "last_name": "Torres",
    "cedula": "1714307103",
    "email": "gabriela@correo.test",
    "telefono": "0991234567",
    "password1": "Clave-Segura-2026",
    "password2": "Clave-Segura-2026",
}


def test_registro_ciudadano_inicia_sesion(client):
    r = client.post(reverse("tramites:registro"), DATOS_REGISTRO, follow=True)
    assert r.redirect_chain[-1][0] == reverse("tramites:panel")
    assert "Usuario de la Mesa de Servicios" in r.content.decode()
    assert Usuario.objects.get(email="gabriela@correo.test").operador is None


def test_registro_operador_queda_por_verificar_y_avisa_a_senae(client, funcionario):
    datos = {**DATOS_REGISTRO, "tipo_cuenta": "operador", "ruc": "1790085783001", "razon_social": "Nueva S.A."}
    with pytest.MonkeyPatch.context():
        r = client.post(reverse("tramites:registro"), datos, follow=True)
    assert r.status_code == 200
    op = Operador.objects.get(ruc="1790085783001")
    assert op.estado == Operador.Estado.REGISTRADO
    assert Transicion.objects.de(op).get().transicion == "registrar"
    assert funcionario.notificaciones.filter(asunto__contains="Nueva S.A.").exists()


def test_registro_con_ruc_invalido_muestra_error_en_espanol_y_no_guarda(client):
    datos = {**DATOS_REGISTRO, "tipo_cuenta": "operador", "ruc": "1763154690001", "razon_social": "X"}
    r = client.post(reverse("tramites:registro"), datos)
    html = r.content.decode()
    assert r.status_code == 200
    assert "resumen-errores" in html
    assert "El RUC no es válido" in html
    assert not Usuario.objects.filter(email=datos["email"]).exists()


def test_registro_rechaza_correo_repetido_y_ruc_existente(client, usuario_operador):
    datos = {
        **DATOS_REGISTRO,
        "email": usuario_operador.email,
        "tipo_cuenta": "operador",
        "ruc": usuario_operador.operador.ruc,
        "razon_social": "Copia",
    }
    html = client.post(reverse("tramites:registro"), datos).content.decode()
    assert "Ya existe una cuenta con este correo" in html
    assert "Este RUC ya está registrado" in html


def test_registro_contrasenas_distintas(client):
    html = client.post(reverse("tramites:registro"), {**DATOS_REGISTRO, "password2": "otra"}).content.decode()
    assert "Las contraseñas no coinciden" in html


def test_login_y_logout(client, usuario_operador):
    r = client.post(reverse("login"), {"username": usuario_operador.username, "password": "clave-de-prueba-123"})
    assert r.status_code == 302 and r.url == reverse("tramites:panel")
    r = client.post(reverse("logout"))
    assert r.status_code == 302


def test_login_fallido_explica_en_espanol(client, usuario_operador):
    html = client.post(reverse("login"), {"username": usuario_operador.username, "password": "mala"}).content.decode()
    assert "El correo o la contraseña no son correctos" in html


def test_recuperar_contrasena_envia_enlace_que_funciona(client, usuario_operador):
    client.post(reverse("password_reset"), {"email": usuario_operador.email})
    assert len(mail.outbox) == 1
    enlace = re.search(r"https?://[^/]+(/cuenta/reset/\S+)", mail.outbox[0].body).group(1)
    r = client.get(enlace, follow=True)
    r = client.post(r.redirect_chain[-1][0], {"new_password1": "Nueva-Clave-2026", "new_password2": "Nueva-Clave-2026"})
    assert r.status_code == 302
    assert client.login(username=usuario_operador.username, password="Nueva-Clave-2026")


@pytest.mark.parametrize(
    ("fixture", "texto"),
    [
        ("usuario_operador", "Mi empresa"),
        ("usuario_agente", "Operadores que le delegaron"),
        ("funcionario", "Bandeja de revisión"),
        ("ciudadano", "Usuario de la Mesa de Servicios"),
    ],
)
def test_panel_por_rol(client, request, fixture, texto):
    usuario = request.getfixturevalue(fixture)
    client.force_login(usuario)
    r = client.get(reverse("tramites:panel"))
    assert r.status_code == 200
    assert texto in r.content.decode()


def test_panel_exige_sesion(client):
    r = client.get(reverse("tramites:panel"))
    assert r.status_code == 302 and reverse("login") in r.url


def test_operador_delega_y_revoca(client, usuario_operador):
    agente = AgenteFactory()
    client.force_login(usuario_operador)
    r = client.post(reverse("tramites:delegaciones"), {"agente": agente.pk, "desde": "2026-01-01", "hasta": ""})
    assert r.status_code == 302
    d = Delegacion.objects.get(operador=usuario_operador.operador)
    assert d.activa()
    client.post(reverse("tramites:delegacion_revocar", args=[d.pk]))
    d.refresh_from_db()
    assert d.revocada_en is not None and not d.activa()


def test_delegacion_con_fechas_invertidas(client, usuario_operador):
    client.force_login(usuario_operador)
    datos = {"agente": AgenteFactory().pk, "desde": "2026-05-01", "hasta": "2026-01-01"}
    html = client.post(reverse("tramites:delegaciones"), datos).content.decode()
    assert "La fecha final no puede ser anterior a la inicial" in html
    assert not Delegacion.objects.exists()


def test_no_se_revoca_delegacion_ajena(client, usuario_operador):
    from tests.factories import DelegacionFactory

    ajena = DelegacionFactory()
    client.force_login(usuario_operador)
    assert client.post(reverse("tramites:delegacion_revocar", args=[ajena.pk])).status_code == 404
    ajena.refresh_from_db()
    assert ajena.revocada_en is None


def test_token_se_muestra_una_vez_y_autentica(client, usuario_agente, api_client):
    client.force_login(usuario_agente)
    html = client.post(reverse("tramites:tokens"), {"nombre": "Software aduanero"}).content.decode()
    clave = re.search(r'id="clave-nueva">([^<]+)<', html).group(1)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {clave}")
    assert api_client.get("/api/v1/yo/").json()["rol"] == "agente"
    assert clave not in client.get(reverse("tramites:tokens")).content.decode()


def test_constancia_pdf_del_operador(client, usuario_operador):
    client.force_login(usuario_operador)
    r = client.get(reverse("tramites:constancia_pdf"))
    assert r["Content-Type"] == "application/pdf"
    texto = texto_pdf(r.content)
    assert "Constancia de registro de operador de comercio exterior" in texto
    assert usuario_operador.operador.ruc in texto
    assert usuario_operador.operador.razon_social in texto


def test_inicio_publico(client):
    r = client.get("/")
    assert r.status_code == 200
    assert "Regístrese" in r.content.decode()


def test_operador_por_verificar_se_habilita_desde_el_admin(client, funcionario):
    op = OperadorFactory(estado=Operador.Estado.REGISTRADO)
    client.force_login(funcionario)
    pagina = client.get(reverse("admin:tramites_operador_change", args=[op.pk])).content.decode()
    assert "Habilitar" in pagina and "Historial de estados" in pagina
    url = reverse("admin:tramites_operador_transicion", args=[op.pk, "rechazar"])
    assert "Motivo (obligatorio)" in client.post(url, {"comentario": ""}).content.decode()
    op.refresh_from_db()
    assert op.estado == Operador.Estado.REGISTRADO
    client.post(reverse("admin:tramites_operador_transicion", args=[op.pk, "habilitar"]), {"comentario": "Verificado"})
    op.refresh_from_db()
    assert op.estado == Operador.Estado.HABILITADO
