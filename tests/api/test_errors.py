"""What schemathesis found, pinned down: bad input gets a documented JSON answer, never a 500."""

import pytest
from rest_framework.test import APIClient

from tests.publishing.helpers import ocme_dataset


@pytest.fixture
def api(dapa):
    client = APIClient()
    client.force_authenticate(dapa)
    return client


@pytest.mark.parametrize(
    "path", ["/api/v1/plans/-1/", "/api/v1/agencies/%C3%A1/", "/api/v1/nothing/here/"]
)
def test_unknown_api_paths_answer_a_json_404(api, path):
    response = api.get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": "No such API endpoint."}


def test_a_missing_trailing_slash_still_redirects(api):
    # The JSON 404 only takes paths ending in "/", so CommonMiddleware's APPEND_SLASH still works.
    response = api.get("/api/v1/agencies")
    assert response.status_code == 301
    assert response.url == "/api/v1/agencies/"


def test_unknown_api_paths_still_need_authentication(db):
    assert APIClient().get("/api/v1/nothing/").status_code == 401


@pytest.mark.parametrize("value", ["-5.46e57", "99999999999999999999", "1.5"])
def test_id_and_year_filters_refuse_what_the_database_cannot_hold(api, value):
    for path, name in [("/api/v1/datasets/", "inventory"), ("/api/v1/plans/", "year")]:
        response = api.get(path, {name: value})
        assert response.status_code == 400, (path, value)
        assert name in response.json()


def test_a_malformed_agency_slug_is_a_400_not_a_database_error(api, cdo, agency_a):
    api.force_authenticate(cdo)
    body = {"agency": "al\x00pha", "year": 2026}
    response = api.post("/api/v1/inventories/", body, format="json")
    assert response.status_code == 400
    assert "agency" in response.json()


def test_reminder_dates_far_from_now_are_fine(api):
    response = api.get("/api/v1/reminders/", {"sent_after": "0434-11-17"})
    assert response.status_code == 200
    assert (
        api.get("/api/v1/reminders/", {"sent_after": "0434-11-17T06:19:05-19:01"}).status_code
        == 400
    )


def test_service_refusals_are_objects_like_every_other_400(api, publisher_a, agency_a):
    api.force_authenticate(publisher_a)
    body = {"dataset": ocme_dataset(agency_a).pk, "mode": "upsert", "row_identifier": "id"}
    pk = api.post("/api/v1/publications/", body, format="json").json()["id"]
    response = api.post(f"/api/v1/publications/{pk}/runs/")  # no source attached yet
    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
