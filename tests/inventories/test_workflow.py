import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from inventories import services
from inventories.choices import InventoryStatus
from inventories.models import Dataset, Inventory, ReviewComment


def _url(name, inventory, *args):
    return reverse(f"inventories:{name}", args=[inventory.agency.slug, inventory.year, *args])


def test_starting_a_year_carries_the_datasets_forward(inventory_a, ado_a):
    new = services.inventory_start(agency=inventory_a.agency, year=2027, acting_user=ado_a)
    assert new.due_date.isoformat() == "2027-12-31"
    assert sorted(new.datasets.values_list("title", flat=True)) == sorted(
        inventory_a.datasets.values_list("title", flat=True)
    )
    old_uids = set(inventory_a.datasets.values_list("uid", flat=True))
    assert set(new.datasets.values_list("uid", flat=True)) == old_uids
    assert new.datasets.first().history.latest().history_user == ado_a
    with pytest.raises(ValidationError, match="already has a 2027 inventory"):
        services.inventory_start(agency=inventory_a.agency, year=2027, acting_user=ado_a)


def test_submitted_inventory_is_read_only_until_returned(client, inventory_a, ado_a, cdo):
    services.inventory_submit(
        inventory=inventory_a, attested_name="Alice Adams", attestation="x", acting_user=ado_a
    )
    dataset = inventory_a.datasets.first()
    with pytest.raises(ValidationError, match="submitted"):
        services.dataset_update(dataset=dataset, data={"title": "Changed"}, acting_user=ado_a)
    client.force_login(ado_a)
    response = client.post(
        _url("dataset_edit", inventory_a, dataset.pk), {"title": "Changed"}, follow=True
    )
    assert "can be changed again only if the reviewer returns it" in response.content.decode()
    dataset.refresh_from_db()
    assert dataset.title != "Changed"
    services.inventory_return(inventory=inventory_a, comment="Fix it", acting_user=cdo)
    services.dataset_update(dataset=dataset, data={"title": "Changed"}, acting_user=ado_a)


def test_full_cycle_through_the_pages(client, inventory_a, ado_a, cdo):
    client.force_login(ado_a)
    response = client.post(
        _url("submit", inventory_a), {"attested_name": "Alice Adams", "confirm": "on"}
    )
    assert response.status_code == 302
    inventory_a.refresh_from_db()
    assert inventory_a.status == InventoryStatus.SUBMITTED
    assert inventory_a.submitted_by == ado_a
    assert inventory_a.attested_name == "Alice Adams"
    assert "CGS §4-67o" in inventory_a.attestation

    flagged = inventory_a.datasets.get(title="Child abuse case files")
    client.force_login(cdo)
    response = client.post(
        _url("review", inventory_a),
        {"decision": "return", "comment": "Add temporal coverage", f"note-{flagged.pk}": "Why?"},
    )
    assert response.status_code == 302
    inventory_a.refresh_from_db()
    assert inventory_a.status == InventoryStatus.RETURNED
    assert ReviewComment.objects.get(dataset=flagged).text == "Why?"

    client.force_login(ado_a)
    page = client.get(_url("detail", inventory_a)).content.decode()
    assert "Add temporal coverage" in page
    assert "1 comment" in page
    assert "Why?" in client.get(_url("dataset", inventory_a, flagged.pk)).content.decode()
    client.post(_url("submit", inventory_a), {"attested_name": "Alice Adams", "confirm": "on"})

    client.force_login(cdo)
    client.post(_url("review", inventory_a), {"decision": "accept", "comment": ""})
    inventory_a.refresh_from_db()
    assert inventory_a.status == InventoryStatus.ACCEPTED
    assert inventory_a.reviewed_by == cdo
    statuses = [h.status for h in inventory_a.history.order_by("history_date")]
    assert statuses == ["draft", "submitted", "returned", "submitted", "accepted"]


def test_return_needs_a_comment(inventory_a, ado_a, cdo):
    services.inventory_submit(
        inventory=inventory_a, attested_name="A", attestation="x", acting_user=ado_a
    )
    with pytest.raises(ValidationError, match="Say what the agency should change"):
        services.inventory_return(inventory=inventory_a, comment=" ", acting_user=cdo)


def test_attestation_requires_the_checkbox_and_name(client, inventory_a, ado_a):
    client.force_login(ado_a)
    response = client.post(_url("submit", inventory_a), {"attested_name": ""})
    assert response.status_code == 200
    inventory_a.refresh_from_db()
    assert inventory_a.status == InventoryStatus.DRAFT


def test_empty_inventory_cannot_be_submitted(agency_a, ado_a):
    inventory = services.inventory_start(agency=agency_a, year=2026, acting_user=ado_a)
    with pytest.raises(ValidationError, match="no datasets"):
        services.inventory_submit(
            inventory=inventory, attested_name="A", attestation="x", acting_user=ado_a
        )


@pytest.mark.parametrize(
    ("persona", "status"),
    [("ado_a", 200), ("publisher_a", 403), ("viewer_a", 403), ("cdo", 403), ("ado_b", 404)],
)
def test_only_the_ado_submits(client, request, inventory_a, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_url("submit", inventory_a)).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [("cdo", 200), ("dapa", 200), ("ado_a", 403), ("publisher_a", 403), ("ado_b", 404)],
)
def test_cdo_and_dapa_review(client, request, inventory_a, ado_a, persona, status):
    services.inventory_submit(
        inventory=inventory_a, attested_name="A", attestation="x", acting_user=ado_a
    )
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_url("review", inventory_a)).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [("ado_a", 200), ("publisher_a", 200), ("viewer_a", 403), ("dapa", 403), ("ado_b", 404)],
)
def test_who_may_add_datasets(client, request, inventory_a, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_url("dataset_create", inventory_a)).status_code == status


def test_other_agency_cannot_see_or_touch_datasets(client, inventory_a, inventory_b, ado_b):
    client.force_login(ado_b)
    secret = inventory_a.datasets.get(title="Child abuse case files")
    for name, args in [("detail", ()), ("dataset", (secret.pk,)), ("export", ("csv",))]:
        assert client.get(_url(name, inventory_a, *args)).status_code == 404
    assert client.post(_url("dataset_delete", inventory_a, secret.pk)).status_code == 404
    # Agency B's own inventory URL with agency A's dataset id: not found either.
    assert client.get(_url("dataset", inventory_b, secret.pk)).status_code == 404
    assert Dataset.objects.filter(pk=secret.pk).exists()
    listed = client.get(reverse("inventories:list")).context["inventories"]
    assert list(listed) == [inventory_b]


def test_ado_starts_a_year_from_the_list_page(client, inventory_a, ado_a):
    client.force_login(ado_a)
    response = client.post(reverse("inventories:start", args=["alpha"]), {"year": 2027})
    new = Inventory.objects.get(agency=inventory_a.agency, year=2027)
    assert response.url == new.get_absolute_url()
    assert new.datasets.count() == 2
