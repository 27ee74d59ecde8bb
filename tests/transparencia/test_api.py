"""Open-data API: anonymous, throttled, the API's JSON error shape, documented in OpenAPI."""

import pytest

pytestmark = pytest.mark.django_db


def test_lista_de_tramites_sin_autenticacion(api_client):
    respuesta = api_client.get("/api/v1/transparencia/")
    assert respuesta.status_code == 200
    datos = respuesta.json()
    assert [t["codigo"] for t in datos] == ["regimen_21", "mesa_servicios"]
    assert datos[0]["pagina"] == "http://testserver/transparencia/regimen_21/"
    assert datos[1]["csv"].endswith("/transparencia/mesa_servicios.csv")
    assert datos[1]["definicion_queja"].startswith("Quejas registradas en el mes")


def test_serie_de_un_tramite_y_filtro_por_anio(api_client, historico):
    datos = api_client.get("/api/v1/transparencia/regimen_21/").json()
    assert len(datos["filas"]) == 76 and datos["ultimo_mes"] == "2026-04"
    assert datos["filas"][0] == {
        "anio": 2020,
        "mes": 1,
        "quejas": 0,
        "atenciones": 780,
        "quejas_por_mil": 0.0,
        "origen": "historico",
        "calculado_en": None,
        "parcial": False,
        "alertas": [],
    }
    del_2025 = api_client.get("/api/v1/transparencia/regimen_21/", {"anio": 2025}).json()["filas"]
    assert [f["mes"] for f in del_2025] == list(range(1, 13))
    marzo = del_2025[2]
    assert marzo["atenciones"] == 25 and marzo["alertas"][0]["tipo"] == "mes_bajo"
    enero_2026 = api_client.get("/api/v1/transparencia/regimen_21/", {"anio": 2026}).json()["filas"][0]
    assert enero_2026["quejas_por_mil"] == 3.53


def test_errores_con_la_forma_de_la_api(api_client):
    respuesta = api_client.get("/api/v1/transparencia/aforo/")
    assert respuesta.status_code == 404
    assert respuesta.json() == {
        "code": "tramite_desconocido",
        "message": "No se publican estadísticas del trámite «aforo».",
        "errors": {},
    }
    respuesta = api_client.get("/api/v1/transparencia/regimen_21/", {"anio": "dos mil"})
    assert respuesta.status_code == 400
    assert respuesta.json()["code"] == "invalido" and "anio" in respuesta.json()["errors"]
    assert api_client.post("/api/v1/transparencia/regimen_21/", {}).status_code == 405


def test_limite_de_solicitudes_anonimas(api_client, settings):
    tasas = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {**tasas, "anon": "3/min"}}
    codigos = [api_client.get("/api/v1/transparencia/").status_code for _ in range(4)]
    assert codigos == [200, 200, 200, 429]
    respuesta = api_client.get("/api/v1/transparencia/regimen_21/")
    assert respuesta.status_code == 429
    assert respuesta.json()["code"] == "demasiadas_solicitudes"


def test_documentada_en_openapi(api_client, admin_user):
    api_client.force_authenticate(admin_user)
    esquema = api_client.get("/api/schema/?format=json").json()
    lista = esquema["paths"]["/api/v1/transparencia/"]["get"]
    serie = esquema["paths"]["/api/v1/transparencia/{codigo}/"]["get"]
    assert {} in lista["security"] and {} in serie["security"]  # anonymous allowed (a token is optional)
    assert {"200", "400", "404", "429"} <= set(serie["responses"])
    assert serie["responses"]["404"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert "anio" in {p["name"] for p in serie["parameters"]}
    assert "SerieOutput" in esquema["components"]["schemas"]
    assert {"OrigenEstadisticaEnum", "TipoAlertaEnum"} <= set(esquema["components"]["schemas"])
