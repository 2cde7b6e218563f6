from django.urls import reverse

from inventories import services
from inventories.choices import InventoryStatus


def _submit(inventory, ado):
    services.inventory_submit(
        inventory=inventory, attested_name="A", attestation="x", acting_user=ado
    )


def test_cdo_filters_inventories_by_year_status_and_agency(client, cdo, inventory_a, inventory_b):
    client.force_login(cdo)
    url = reverse("admin:inventories_inventory_changelist")
    response = client.get(
        url, {"status__exact": "draft", "agency__id__exact": inventory_a.agency_id}
    )
    assert list(response.context["cl"].result_list) == [inventory_a]
    response = client.get(url, {"year": 2026})
    assert response.context["cl"].result_count == 2


def test_admin_accept_action(client, cdo, inventory_a, ado_a):
    _submit(inventory_a, ado_a)
    client.force_login(cdo)
    client.post(
        reverse("admin:inventories_inventory_changelist"),
        {"action": "accept", "_selected_action": [inventory_a.pk]},
    )
    inventory_a.refresh_from_db()
    assert inventory_a.status == InventoryStatus.ACCEPTED
    assert inventory_a.reviewed_by == cdo


def test_admin_return_action_asks_for_a_comment(client, cdo, inventory_a, ado_a):
    _submit(inventory_a, ado_a)
    client.force_login(cdo)
    url = reverse("admin:inventories_inventory_changelist")
    data = {"action": "return_with_comment", "_selected_action": [inventory_a.pk]}
    response = client.post(url, data)
    assert "Comment to the agencies" in response.content.decode()
    client.post(url, {**data, "apply": "1", "comment": ""})
    inventory_a.refresh_from_db()
    assert inventory_a.status == InventoryStatus.SUBMITTED
    client.post(url, {**data, "apply": "1", "comment": "List the bridge data too."})
    inventory_a.refresh_from_db()
    assert inventory_a.status == InventoryStatus.RETURNED
    assert inventory_a.comments.get().text == "List the bridge data too."


def test_accepting_a_draft_in_the_admin_is_refused(client, cdo, inventory_a):
    client.force_login(cdo)
    response = client.post(
        reverse("admin:inventories_inventory_changelist"),
        {"action": "accept", "_selected_action": [inventory_a.pk]},
        follow=True,
    )
    assert "Only a submitted inventory can be accepted." in response.content.decode()
    inventory_a.refresh_from_db()
    assert inventory_a.status == InventoryStatus.DRAFT


def test_agency_users_cannot_reach_inventory_admin(client, ado_a, inventory_a):
    client.force_login(ado_a)
    response = client.get(reverse("admin:inventories_inventory_changelist"))
    assert response.status_code == 302
