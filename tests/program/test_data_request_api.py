"""Issue #19: the data requests log written through /api/v1/, as the log's form does it: an ADO
logs a request (its dataset's inventory row learns of it), answers and closes it; the form's
date and status rules answer 400 naming the field; other agencies 404, staff and viewers 403."""

import datetime

import pytest
from rest_framework.test import APIClient

from program.models import DataRequest, RequestStatus
from tests.inventories.factories import DatasetFactory, InventoryFactory
from tests.program.conftest import WORLD_DAY

pytestmark = pytest.mark.clock(WORLD_DAY)

NEW = {
    "agency": "alpha",
    "received_on": "2026-01-05",
    "requester_type": "media",
    "summary": "Bridge inspections since 2020",
    "due_date": "2026-01-20",
}


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.fixture
def entry(agency_a, ado_a) -> DataRequest:
    return DataRequest.objects.create(
        agency=agency_a,
        requester_type="public",
        summary="Road closures",
        received_on=datetime.date(2026, 1, 5),
        due_date=datetime.date(2026, 1, 20),
        created_by=ado_a,
    )


def test_an_ado_logs_a_request_against_a_dataset_and_the_draft_inventory_counts_it(agency_a, ado_a):
    dataset = DatasetFactory(inventory=InventoryFactory(agency=agency_a, year=2026))
    answer = _api(ado_a).post(
        "/api/v1/data-requests/", {**NEW, "dataset": dataset.pk}, format="json"
    )
    assert answer.status_code == 201, answer.json()
    entry = DataRequest.objects.get()
    assert (entry.agency, entry.created_by, entry.dataset) == (agency_a, ado_a, dataset)
    assert answer.json()["dataset"] == dataset.pk
    assert answer.json()["status"] == "open"
    dataset.refresh_from_db()
    assert dataset.requests_per_year == 1  # services.data_request_create fed the draft row
    assert entry.history.get().history_user == ado_a


def test_received_on_defaults_to_today(ado_a):
    body = {name: value for name, value in NEW.items() if name != "received_on"}
    answer = _api(ado_a).post("/api/v1/data-requests/", {**body, "due_date": "2027-12-31"})
    assert answer.status_code == 201, answer.json()
    assert answer.json()["received_on"] == WORLD_DAY.date().isoformat()


def test_the_ado_answers_and_closes_it(entry, ado_a):
    answer = _api(ado_a).patch(
        f"/api/v1/data-requests/{entry.pk}/",
        {"status": "fulfilled", "responded_on": "2026-01-12", "public_reply": "Sent by e-mail."},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    assert (answer.json()["status"], answer.json()["response_days"]) == ("fulfilled", 7)
    entry.refresh_from_db()
    assert (entry.status, entry.responded_on) == (
        RequestStatus.FULFILLED,
        datetime.date(2026, 1, 12),
    )
    assert (entry.summary, entry.public_reply) == ("Road closures", "Sent by e-mail.")
    assert entry.history.first().history_user == ado_a


def test_closing_without_a_response_date_is_refused_naming_the_field(entry, ado_a):
    answer = _api(ado_a).patch(
        f"/api/v1/data-requests/{entry.pk}/", {"status": "denied"}, format="json"
    )
    assert answer.status_code == 400
    assert answer.json() == {"responded_on": ["Give the response date for a closed request."]}
    entry.refresh_from_db()
    assert entry.status == RequestStatus.OPEN


def test_the_forms_date_rules_name_the_field_and_nothing_is_written(ado_a, agency_b):
    answer = _api(ado_a).post(
        "/api/v1/data-requests/", {**NEW, "due_date": "2026-01-01"}, format="json"
    )
    assert answer.status_code == 400
    assert answer.json()["due_date"] == ["The due date cannot be before the request was received."]
    other = DatasetFactory(inventory=InventoryFactory(agency=agency_b))
    answer = _api(ado_a).post("/api/v1/data-requests/", {**NEW, "dataset": other.pk}, format="json")
    assert answer.status_code == 400
    assert "dataset" in answer.json()
    answer = _api(ado_a).post("/api/v1/data-requests/", {**NEW, "summary": ""}, format="json")
    assert "summary" in answer.json()
    answer = _api(ado_a).post("/api/v1/data-requests/", {**NEW, "status": "x"}, format="json")
    assert "status" in answer.json()
    assert not DataRequest.objects.exists()


@pytest.mark.parametrize(("persona", "code"), [("ado_b", 404), ("viewer_a", 403), ("dapa", 403)])
def test_others_neither_log_nor_change(request, entry, persona, code):
    user = request.getfixturevalue(persona)
    logged = _api(user).post("/api/v1/data-requests/", NEW, format="json")
    if code == 404:  # an agency named in the body that the caller cannot see: a field error
        assert (logged.status_code, logged.json()) == (400, {"agency": ["No such agency."]})
    else:
        assert logged.status_code == code
    changed = _api(user).patch(
        f"/api/v1/data-requests/{entry.pk}/", {"summary": "Changed"}, format="json"
    )
    assert changed.status_code == code
    entry.refresh_from_db()
    assert entry.summary == "Road closures"
    assert DataRequest.objects.count() == 1


def test_members_and_staff_read_one_and_other_agencies_do_not(entry, viewer_a, dapa, ado_b):
    assert _api(viewer_a).get(f"/api/v1/data-requests/{entry.pk}/").json()["summary"] == (
        "Road closures"
    )
    assert _api(dapa).get(f"/api/v1/data-requests/{entry.pk}/").status_code == 200
    assert _api(ado_b).get(f"/api/v1/data-requests/{entry.pk}/").status_code == 404
