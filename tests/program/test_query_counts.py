"""The dashboard, scorecard, queues and compliance report cost the same number of queries
whatever the number of agencies, datasets, plan items and publications."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from access_plans.choices import Intent
from inventories.choices import InventoryStatus
from publishing.models import RunStatus
from tests.factories import AgencyFactory, MembershipFactory
from tests.inventories.factories import DatasetFactory, InventoryFactory
from tests.program.conftest import WORLD_DAY, add_plan, add_publication

# One clock for the world and the test (tests/clock.py): the day its figures are known for.
pytestmark = pytest.mark.clock(WORLD_DAY)

SEQUENCE = iter(range(1000, 9999))


def _grow(user, agencies: int, datasets: int) -> None:
    """More agencies, each with an ADO, an inventory, a plan and publications."""
    for _ in range(agencies):
        n = next(SEQUENCE)
        agency = AgencyFactory()
        MembershipFactory(agency=agency, role="ado")
        inventory = InventoryFactory(agency=agency, year=2026, status=InventoryStatus.SUBMITTED)
        rows = [DatasetFactory(inventory=inventory) for _ in range(datasets)]
        add_plan(inventory, items=[(rows[0], {}), (rows[1], {"intent": Intent.RETIRE})])
        add_publication(rows[0], user, status=RunStatus.FAILED, days_ago=2, portal_id=f"{n}-a001")
        add_publication(
            rows[2], user, status=RunStatus.SUCCEEDED, days_ago=50, portal_id=f"{n}-b001"
        )


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        reverse("program:dashboard") + "?year=2026",
        reverse("program:export-xlsx") + "?year=2026",
        reverse("program:queues"),
        reverse("program:compliance") + "?year=2026",
    ],
)
def test_staff_pages_queries_do_not_grow(client, dapa, world, url):
    client.force_login(dapa)
    _grow(dapa, agencies=1, datasets=3)
    small = _count(client, url)
    _grow(dapa, agencies=6, datasets=8)
    assert _count(client, url) == small


def test_scorecard_queries_do_not_grow(client, dapa, world, ado_a):
    client.force_login(dapa)
    url = reverse("program:scorecard", args=["alpha"]) + "?year=2026"
    small = _count(client, url)
    inventory = world["alpha"].inventories.get(year=2026)
    for index in range(6):
        dataset = DatasetFactory(inventory=inventory)
        status = RunStatus.FAILED if index % 2 else RunStatus.SUCCEEDED
        add_publication(dataset, ado_a, status=status, days_ago=60, portal_id=f"c{index}00-0001")
    assert _count(client, url) == small


def _log_requests(agency, dataset, count: int) -> None:
    from program.models import DataRequest

    for n in range(count):
        DataRequest.objects.create(
            agency=agency,
            received_on=datetime.date(2026, 1, 1),
            due_date=datetime.date(2026, 1, 10),
            responded_on=datetime.date(2026, 1, 5) if n % 2 else None,
            status="fulfilled" if n % 2 else "open",
            requester_type="public",
            summary=f"Request {n}",
            dataset=dataset,
        )


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/requests/",
        "/dashboard/agencies/alpha/requests/",
        "/dashboard/requests/?format=xlsx",
        "/api/v1/data-requests/",
        "/api/v1/dashboard/?year=2026",
    ],
)
def test_requests_log_and_api_queries_do_not_grow(client, dapa, world, url):
    client.force_login(dapa)
    dataset = world["alpha"].datasets.first()
    _log_requests(world["alpha"], dataset, 2)
    small = _count(client, url)
    _log_requests(world["alpha"], dataset, 12)
    _grow(dapa, agencies=3, datasets=3)
    assert _count(client, url) == small
