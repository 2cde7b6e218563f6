"""The inventory's workflow through /api/v1/ as its users go through it: the ADO submits, the
CDO or a DAPA analyst accepts or returns it; the same services, rules and e-mails as the pages."""

import pytest
from django.core import mail
from rest_framework.test import APIClient

from inventories.choices import InventoryStatus
from inventories.models import Inventory, ReviewComment

ATTEST = {"attested_name": "Alice Adams", "confirm": True}


@pytest.fixture
def api():
    return APIClient()


def _post(api, user, inventory, action: str, body: dict | None = None):
    api.force_authenticate(user)
    return api.post(f"/api/v1/inventories/{inventory.pk}/{action}/", body or {}, format="json")


def _submitted(inventory, ado):
    from inventories import services

    return services.inventory_submit(
        inventory=inventory, attested_name="Alice Adams", attestation="x", acting_user=ado
    )


def test_the_ado_submits_and_the_cdo_and_dapa_are_told(
    api, inventory_a, ado_a, cdo, dapa, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(api, ado_a, inventory_a, "submit", ATTEST)

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted"
    inventory_a.refresh_from_db()
    assert inventory_a.status == InventoryStatus.SUBMITTED
    assert inventory_a.submitted_by == ado_a
    assert inventory_a.attested_name == "Alice Adams"
    assert inventory_a.attestation.startswith("I attest that this inventory lists")
    assert inventory_a.history.latest().history_user == ado_a
    told = sorted(m.to[0] for m in mail.outbox if m.subject.startswith("Inventory submitted"))
    assert told == ["cdo@ct.example", "dapa@ct.example"]


def test_a_submission_needs_the_attestation(api, inventory_a, ado_a):
    response = _post(api, ado_a, inventory_a, "submit", {"attested_name": " ", "confirm": False})

    assert response.status_code == 400
    assert set(response.json()) == {"attested_name", "confirm"}
    inventory_a.refresh_from_db()
    assert inventory_a.status == InventoryStatus.DRAFT


def test_an_empty_inventory_cannot_be_submitted(api, inventory_a, ado_a):
    inventory_a.datasets.all().delete()
    response = _post(api, ado_a, inventory_a, "submit", ATTEST)
    assert response.status_code == 400
    assert response.json() == {"detail": "An inventory with no datasets cannot be submitted."}


def test_only_the_ado_of_the_agency_submits(api, inventory_a, publisher_a, ado_b, cdo):
    assert _post(api, publisher_a, inventory_a, "submit", ATTEST).status_code == 403
    assert _post(api, cdo, inventory_a, "submit", ATTEST).status_code == 403
    assert _post(api, ado_b, inventory_a, "submit", ATTEST).status_code == 404
    assert Inventory.objects.get().status == InventoryStatus.DRAFT


def test_a_submitted_inventory_is_not_submitted_again(api, inventory_a, ado_a):
    _submitted(inventory_a, ado_a)
    response = _post(api, ado_a, inventory_a, "submit", ATTEST)
    assert response.status_code == 400
    assert response.json() == {
        "detail": "The 2026 inventory is submitted: "
        "it can be changed again only if the reviewer returns it."
    }


def test_the_cdo_accepts_and_the_ado_is_told(
    api, inventory_a, ado_a, cdo, django_capture_on_commit_callbacks
):
    _submitted(inventory_a, ado_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(api, cdo, inventory_a, "accept", {"comment": "Thorough, thank you."})

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted"
    assert response.json()["review_comment"] == "Thorough, thank you."
    inventory_a.refresh_from_db()
    assert (inventory_a.status, inventory_a.reviewed_by) == (InventoryStatus.ACCEPTED, cdo)
    accepted = [m for m in mail.outbox if m.subject.startswith("Inventory accepted")]
    assert [m.to for m in accepted] == [["alice@ct.example"]]


def test_dapa_returns_with_comments_on_the_inventory_and_on_a_dataset(
    api, inventory_a, ado_a, dapa, django_capture_on_commit_callbacks
):
    _submitted(inventory_a, ado_a)
    files = inventory_a.datasets.get(title="Child abuse case files")
    body = {
        "comment": "Please complete the descriptions.",
        "dataset_comments": [{"dataset": files.pk, "text": "Name the statute."}],
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(api, dapa, inventory_a, "return", body)

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "returned"
    notes = ReviewComment.objects.order_by("pk").values_list("dataset__title", "text", "author")
    assert list(notes) == [
        (None, "Please complete the descriptions.", dapa.pk),
        ("Child abuse case files", "Name the statute.", dapa.pk),
    ]
    returned = [m for m in mail.outbox if m.subject.startswith("Inventory returned")]
    assert [m.to for m in returned] == [["alice@ct.example"]]


def test_a_return_says_what_to_change_and_names_only_its_own_datasets(
    api, inventory_a, inventory_b, ado_a, cdo
):
    _submitted(inventory_a, ado_a)
    empty = _post(api, cdo, inventory_a, "return", {"comment": "  "})
    foreign = inventory_b.datasets.get()
    elsewhere = _post(
        api,
        cdo,
        inventory_a,
        "return",
        {"dataset_comments": [{"dataset": foreign.pk, "text": "Not yours"}]},
    )
    malformed = _post(api, cdo, inventory_a, "return", {"dataset_comments": [{"dataset": "x"}]})

    assert (empty.status_code, empty.json()) == (
        400,
        {"comment": ["Say what the agency should change."]},
    )
    assert elsewhere.status_code == 400
    assert elsewhere.json() == {
        "detail": "A comment names a dataset that is not in this inventory."
    }
    assert malformed.status_code == 400
    assert "dataset_comments" in malformed.json()
    inventory_a.refresh_from_db()
    assert inventory_a.status == InventoryStatus.SUBMITTED
    assert not ReviewComment.objects.exists()


def test_only_reviewers_decide_and_only_on_a_submitted_inventory(
    api, inventory_a, ado_a, publisher_a, cdo
):
    assert _post(api, cdo, inventory_a, "accept").json() == {
        "detail": "Only a submitted inventory can be accepted."
    }
    _submitted(inventory_a, ado_a)
    for user in (ado_a, publisher_a):
        assert _post(api, user, inventory_a, "accept").status_code == 403
        assert _post(api, user, inventory_a, "return", {"comment": "x"}).status_code == 403
    inventory_a.refresh_from_db()
    assert inventory_a.status == InventoryStatus.SUBMITTED


def test_a_returned_inventory_is_edited_and_submitted_again(api, inventory_a, ado_a, cdo):
    _submitted(inventory_a, ado_a)
    assert _post(api, cdo, inventory_a, "return", {"comment": "Add owners."}).status_code == 200
    dataset = inventory_a.datasets.first()
    api.force_authenticate(ado_a)
    patched = api.patch(
        f"/api/v1/datasets/{dataset.pk}/", {"data_owner": "Licensing"}, format="json"
    )
    assert patched.status_code == 200, patched.content
    assert _post(api, ado_a, inventory_a, "submit", ATTEST).json()["status"] == "submitted"
