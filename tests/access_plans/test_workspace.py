"""The agency's year on its members' home page: status, due dates, what came back with comments,
the next step, and a start button only for what does not exist yet."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from access_plans import services, workspace
from inventories import services as inventory_services
from inventories.choices import InventoryStatus
from tests.access_plans.conftest import item_data
from tests.inventories.factories import DatasetFactory, InventoryFactory

pytestmark = pytest.mark.clock("2026-05-15T14:00:00Z")


def _home(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("home")).content.decode()


def test_nothing_started_offers_the_inventory_only(client, ado_a):
    page = _home(client, ado_a)
    assert "Start the 2026 inventory." in page
    assert f'action="{reverse("inventories:start", args=["alpha"])}"' in page
    assert 'value="2026"' in page
    assert "Start the 2026 plan" not in page  # the plan comes after the inventory
    assert "December 31, 2026" in page  # the inventory's due date, before it exists


def test_a_started_inventory_is_linked_not_offered_again(client, ado_a, agency_a):
    inventory = InventoryFactory(agency=agency_a, year=2026)
    page = _home(client, ado_a)
    assert "Start the 2026 inventory" not in page
    assert f'href="{inventory.get_absolute_url()}"' in page
    assert "submit the inventory by December 31, 2026" in page


def test_a_submitted_inventory_leads_to_the_plan(client, ado_a, agency_a):
    inventory = InventoryFactory(agency=agency_a, year=2026)
    DatasetFactory(inventory=inventory, title="Autopsies")
    inventory_services.inventory_submit(
        inventory=inventory, attested_name="Alice Adams", attestation="True.", acting_user=ado_a
    )
    page = _home(client, ado_a)
    assert "Start the 2026 access plan from the inventory." in page
    assert f'action="{reverse("access_plans:start", args=["alpha"])}"' in page
    response = client.post(reverse("access_plans:start", args=["alpha"]), {"year": 2026})
    plan = agency_a.access_plans.get()
    assert response.url == plan.get_absolute_url()
    page = _home(client, ado_a)
    assert "Start the 2026 plan" not in page
    assert f'href="{plan.get_absolute_url()}"' in page


def test_a_returned_inventory_shows_the_comments_first(client, ado_a, cdo, agency_a):
    inventory = InventoryFactory(agency=agency_a, year=2026)
    autopsies = DatasetFactory(inventory=inventory, title="Autopsies")
    inventory_services.inventory_submit(
        inventory=inventory, attested_name="Alice Adams", attestation="True.", acting_user=ado_a
    )
    inventory_services.inventory_return(
        inventory=inventory,
        comment="Add the toxicology results.",
        dataset_comments={autopsies.pk: "Say which towns are suppressed."},
        acting_user=cdo,
    )
    status = workspace.year_status(ado_a, agency_a)
    assert status.inventory.status == InventoryStatus.RETURNED
    assert [c.text for c in status.inventory_comments] == [
        "Add the toxicology results.",
        "Say which towns are suppressed.",
    ]
    page = _home(client, ado_a)
    assert "The reviewer returned the inventory" in page
    assert "<strong>Autopsies</strong>: Say which towns are suppressed." in page


def test_changes_requested_shows_the_plan_comments(client, ado_a, cdo, filled_plan_a):
    services.plan_submit(plan=filled_plan_a, acting_user=ado_a)
    item = filled_plan_a.items.get(dataset__title="Subsidy payments")
    services.plan_request_changes(
        plan=filled_plan_a,
        comment="Aggregate by county.",
        item_comments={item.pk: "Name the vendor."},
        acting_user=cdo,
    )
    page = _home(client, ado_a)
    assert "The reviewer requested changes to the plan" in page
    assert "Aggregate by county." in page
    assert "<strong>Subsidy payments</strong>: Name the vendor." in page


def test_items_past_their_target_and_coming_due(client, ado_a, cdo, plan_a, datasets_a):
    for title, target in [
        ("Licensed child care programs", datetime.date(2026, 4, 30)),  # overdue
        ("Child care inspections", datetime.date(2026, 6, 30)),  # within 60 days
    ]:
        services.item_create(
            plan=plan_a,
            dataset=datasets_a[title],
            data=item_data(
                target_date=target, privacy_treatment="aggregate", aggregation_level="town"
            ),
            acting_user=ado_a,
        )
    services.plan_submit(plan=plan_a, acting_user=ado_a)
    services.plan_approve(plan=plan_a, acting_user=cdo)
    status = workspace.year_status(ado_a, plan_a.agency)
    assert [i.dataset.title for i in status.overdue_items] == ["Licensed child care programs"]
    assert [i.dataset.title for i in status.upcoming_items] == ["Child care inspections"]
    assert status.next_step.text == "Publish the 1 planned dataset past the target date."
    page = _home(client, ado_a)
    assert "<strong>Overdue</strong>: Licensed child care programs, target April 30, 2026" in page
    assert "next target June 30, 2026" in page


def test_a_viewer_sees_the_status_without_start_buttons(client, viewer_a):
    page = _home(client, viewer_a)
    assert "Start the 2026 inventory." in page  # what the agency has to do
    assert 'type="submit">Start the 2026 inventory' not in page


def test_another_agencys_year_is_not_shown(client, ado_a, ado_b, agency_b):
    InventoryFactory(agency=agency_b, year=2026)
    page = _home(client, ado_a)
    assert 'id="year-status-beta"' not in page
    assert 'id="year-status-alpha"' in page


def test_list_pages_link_this_years_records_instead_of_starting_them(client, ado_a, agency_a):
    client.force_login(ado_a)
    inventories = client.get(reverse("inventories:list")).content.decode()
    assert 'id="year-alpha"' in inventories  # the start form, nothing exists yet
    inventory = InventoryFactory(agency=agency_a, year=2026)
    inventories = client.get(reverse("inventories:list")).content.decode()
    assert 'id="year-alpha"' not in inventories
    assert f'<a href="{inventory.get_absolute_url()}">open the 2026 inventory</a>' in inventories
    plans = client.get(reverse("access_plans:list")).content.decode()
    assert 'id="plan-year-alpha"' in plans
    plan = services.plan_start(agency=agency_a, year=2026, acting_user=ado_a)
    plans = client.get(reverse("access_plans:list")).content.decode()
    assert 'id="plan-year-alpha"' not in plans
    assert f'<a href="{plan.get_absolute_url()}">open the 2026 access plan</a>' in plans


def test_the_home_page_costs_the_same_queries_at_two_sizes(client, ado_a, plan_a, datasets_a):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("home")).status_code == 200
        return len(queries)

    client.force_login(ado_a)
    services.item_create(
        plan=plan_a,
        dataset=datasets_a["Licensed child care programs"],
        data=item_data(target_date=datetime.date(2026, 4, 30)),
        acting_user=ado_a,
    )
    one = count()
    for title in ["Child care inspections", "Subsidy payments"]:
        services.item_create(
            plan=plan_a,
            dataset=datasets_a[title],
            data=item_data(
                target_date=datetime.date(2026, 6, 1),
                privacy_treatment="aggregate",
                aggregation_level="town",
                eval_unrestricted=True,
            ),
            acting_user=ado_a,
        )
    assert count() == one
