"""Issue #19: data sharing agreements written through /api/v1/, as the agreement form does it:
an ADO records an agreement their agency is party to and changes it; the form's rules answer
400 naming the field and write nothing; other agencies 404, members who are not ADOs 403."""

import datetime

import pytest
from rest_framework.test import APIClient

from sharing.models import Agreement
from tests.inventories.factories import DatasetFactory, InventoryFactory
from tests.sharing.factories import AgreementFactory

MOMENT = datetime.datetime(2026, 6, 1, 14, tzinfo=datetime.UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.clock(MOMENT)]

NEW = {
    "title": "Overdose surveillance",
    "parties": ["alpha", "beta"],
    "with_opm": True,
    "outside_parties": ["UConn Health"],
    "purpose": "Evaluate outcomes.",
    "legal_basis": "CGS §4-67o.",
    "security_terms": "Encrypted at rest.",
    "starts_on": "2026-01-01",
    "ends_on": "2027-12-31",
    "status": "in_force",
}


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_an_ado_records_an_agreement_with_its_datasets(agency_a, agency_b, ado_a):
    dataset = DatasetFactory(inventory=InventoryFactory(agency=agency_a))
    answer = _api(ado_a).post(
        "/api/v1/agreements/", {**NEW, "datasets": [dataset.pk]}, format="json"
    )
    assert answer.status_code == 201, answer.json()
    agreement = Agreement.objects.get()
    assert set(agreement.parties.all()) == {agency_a, agency_b}
    assert list(agreement.datasets.all()) == [dataset]
    assert agreement.created_by == ado_a
    assert {row.history_user for row in agreement.history.all()} == {ado_a}
    body = answer.json()
    assert body["id"] == agreement.pk
    assert body["outside_parties"] == ["UConn Health"]
    assert body["effective_status"] == "in_force"


def test_a_partys_ado_changes_only_what_is_sent(agency_a, agency_b, ado_b):
    agreement = AgreementFactory(parties=[agency_a, agency_b], title="Old title")
    answer = _api(ado_b).patch(
        f"/api/v1/agreements/{agreement.pk}/",
        {"title": "New title", "status": "terminated"},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    agreement.refresh_from_db()
    assert (agreement.title, agreement.status) == ("New title", "terminated")
    assert set(agreement.parties.all()) == {agency_a, agency_b}
    assert answer.json()["effective_status"] == "terminated"
    assert agreement.history.first().history_user == ado_b


def test_the_forms_rules_name_the_field_and_nothing_is_written(agency_a, agency_b, ado_a):
    api = _api(ado_a)
    answer = api.post("/api/v1/agreements/", {**NEW, "ends_on": "2025-01-01"}, format="json")
    assert answer.status_code == 400
    assert answer.json() == {"ends_on": ["The end date cannot be before the start date."]}
    answer = api.post("/api/v1/agreements/", {**NEW, "parties": ["beta"]}, format="json")
    assert answer.json() == {"parties": ["Your agency must be one of the parties."]}
    answer = api.post("/api/v1/agreements/", {**NEW, "parties": ["nowhere"]}, format="json")
    assert answer.json() == {"parties": ["No such agency: nowhere."]}
    answer = api.post("/api/v1/agreements/", {**NEW, "title": ""}, format="json")
    assert "title" in answer.json()
    assert not Agreement.objects.exists()


@pytest.mark.parametrize("persona", ["publisher_a", "viewer_a", "dapa"])
def test_only_an_ado_or_the_cdo_records_one(request, agency_a, agency_b, persona):
    answer = _api(request.getfixturevalue(persona)).post("/api/v1/agreements/", NEW, format="json")
    assert answer.status_code == 403
    assert not Agreement.objects.exists()


def test_the_cdo_records_one_for_any_agencies(agency_a, agency_b, cdo):
    answer = _api(cdo).post("/api/v1/agreements/", {**NEW, "parties": ["beta"]}, format="json")
    assert answer.status_code == 201, answer.json()


@pytest.mark.parametrize(("persona", "code"), [("ado_b", 404), ("publisher_a", 403), ("dapa", 403)])
def test_others_do_not_change_it(request, agency_a, persona, code):
    agreement = AgreementFactory(parties=[agency_a], title="Alpha alone")
    user = request.getfixturevalue(persona)
    answer = _api(user).patch(
        f"/api/v1/agreements/{agreement.pk}/", {"title": "Changed"}, format="json"
    )
    assert answer.status_code == code
    agreement.refresh_from_db()
    assert agreement.title == "Alpha alone"
