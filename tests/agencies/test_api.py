import pytest
from rest_framework.test import APIClient

from accounts.services import token_create


@pytest.fixture
def api():
    return APIClient()


def test_api_needs_authentication(api, db):
    assert api.get("/api/v1/agencies/").status_code in {401, 403}


def test_staff_list_every_agency_with_filters(api, dapa):
    api.force_authenticate(dapa)
    response = api.get("/api/v1/agencies/", {"branch": "municipal", "limit": 50})
    assert response.status_code == 200
    slugs = {row["slug"] for row in response.json()["results"]}
    assert slugs == {"hartford", "new-haven", "stamford", "bridgeport"}
    response = api.get("/api/v1/agencies/", {"participation": "voluntary", "search": "Green"})
    assert [row["slug"] for row in response.json()["results"]] == ["green-bank"]


def test_agency_users_list_only_their_agency(api, ado_a, agency_b):
    api.force_authenticate(ado_a)
    rows = api.get("/api/v1/agencies/").json()["results"]
    assert [row["slug"] for row in rows] == ["alpha"]
    assert rows[0]["ado"]["username"] == "alice"
    assert api.get("/api/v1/agencies/beta/").status_code == 404


def test_token_authentication(api, ado_a):
    _, token = token_create(user=ado_a, name="sync")
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/agencies/alpha/").json()["name"] == "Department of Alpha"


def test_api_root_and_schema(api, ado_a):
    api.force_authenticate(ado_a)
    root = api.get("/api/v1/").json()
    assert {"agencies", "inventories", "datasets", "plans", "plan-items"} <= set(root)
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert "/api/v1/agencies/" in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/agencies/"]["get"]["parameters"]}
    assert {"branch", "participation", "search"} <= parameters


def test_agency_list_query_count_is_constant(api, dapa, django_assert_max_num_queries):
    api.force_authenticate(dapa)
    with django_assert_max_num_queries(6):
        api.get("/api/v1/agencies/", {"limit": 200})
