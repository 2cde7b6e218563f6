"""The plan page and the plan list cost the same number of queries at two sizes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from access_plans import services
from tests.access_plans.conftest import item_data
from tests.factories import AgencyFactory
from tests.inventories.factories import DatasetFactory, InventoryFactory


def _grow(plan, ado, count: int) -> None:
    for _ in range(count):
        dataset = DatasetFactory(inventory=plan.inventory, has_unique_identifiers=True)
        services.item_create(
            plan=plan,
            dataset=dataset,
            data=item_data(privacy_treatment="remove_identifiers", identifiers_removed="name"),
            acting_user=ado,
        )


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_plan_page_queries_do_not_grow_with_items(client, ado_a, filled_plan_a):
    client.force_login(ado_a)
    url = filled_plan_a.get_absolute_url()
    small = _count(client, url)
    _grow(filled_plan_a, ado_a, 10)
    assert _count(client, url) == small


@pytest.mark.parametrize("name", ["access_plans:list", "access_plans:metrics"])
def test_list_queries_do_not_grow_with_plans(client, cdo, ado_a, filled_plan_a, name):
    services.plan_submit(plan=filled_plan_a, acting_user=ado_a)
    client.force_login(cdo)
    url = reverse(name)
    small = _count(client, url)
    for _index in range(5):
        agency = AgencyFactory()
        inventory = InventoryFactory(agency=agency, year=2026)
        plan = services.plan_start(agency=agency, year=2026, acting_user=None)
        dataset = DatasetFactory(inventory=inventory)
        services.item_create(plan=plan, dataset=dataset, data=item_data(), acting_user=None)
        services.plan_submit(plan=plan, acting_user=cdo)
    assert len(client.get(url).context["rows" if "metrics" in name else "plans"]) == 6
    assert _count(client, url) == small


def test_api_queries_do_not_grow(client, cdo, filled_plan_a, ado_a):
    client.force_login(cdo)
    small = _count(client, "/api/v1/plan-items/")
    _grow(filled_plan_a, ado_a, 10)
    assert _count(client, "/api/v1/plan-items/") == small
