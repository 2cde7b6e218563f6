"""/api/docs/ (Swagger UI) and the schema: signed-in only, local assets, valid without warnings."""

from django.core.management import call_command


def test_swagger_ui_is_for_signed_in_users(client, ado_a):
    response = client.get("/api/docs/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=/api/docs/")
    assert client.get("/api/docs/?script=").status_code == 302


def test_swagger_ui_page_has_no_inline_code_and_no_cdn(client, ado_a):
    client.force_login(ado_a)
    html = client.get("/api/docs/").content.decode()
    assert "<style" not in html
    assert "<script>" not in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "https://" not in html
    script = client.get("/api/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))


def test_schema_documents_token_authentication(client, dapa):
    client.force_login(dapa)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert schema["components"]["securitySchemes"]["tokenAuth"]["scheme"] == "bearer"
    operation = schema["paths"]["/api/v1/agencies/"]["get"]
    assert {"tokenAuth": []} in operation["security"]
    assert operation["operationId"] == "agencies_list"
