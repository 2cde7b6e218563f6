"""The program's lists under /api/v1/: work queues, scorecards, compliance, my reminders.

Built on the world of tests/program/conftest.py: alpha (ADO Alice) has an approved plan with an
overdue item (Tunnels, due 2026-03-31), a retirement (Ferries 1990), a failing publication
(Bridges) and a stale one (Tunnels); beta's inventory waits for review; gamma has nothing.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from program.models import DataRequest, ReminderSent
from publishing.models import RunStatus
from tests.factories import AgencyFactory
from tests.inventories.factories import DatasetFactory, InventoryFactory
from tests.program.conftest import WORLD_DAY, add_publication, retire_ferries

# One clock for the world and the test (tests/clock.py): the day its figures are known for.
pytestmark = pytest.mark.clock(WORLD_DAY)

NOW = WORLD_DAY
QUEUES = ["review", "failing", "stale", "overdue-items", "retirements"]


@pytest.fixture
def api():
    return APIClient()


def _get(api, user, path, **params):
    api.force_authenticate(user)
    return api.get(path, params)


@pytest.mark.parametrize("queue", QUEUES)
def test_queues_are_for_program_staff(api, world, ado_a, queue):
    assert _get(api, ado_a, f"/api/v1/queues/{queue}/").status_code == 403


def test_review_queue_lists_waiting_filings_with_filters(api, world, cdo):
    rows = _get(api, cdo, "/api/v1/queues/review/").json()
    assert [(row["kind"], row["agency"]) for row in rows] == [("Inventory", "beta")]
    assert rows[0]["url"].startswith("http://testserver/inventories/")
    assert _get(api, cdo, "/api/v1/queues/review/", kind="plan").json() == []
    assert _get(api, cdo, "/api/v1/queues/review/", agency="alpha").json() == []
    assert _get(api, cdo, "/api/v1/queues/review/", kind="nonsense").status_code == 400


def test_publication_and_item_queues(api, world, dapa):
    retire_ferries(dapa)
    failing = _get(api, dapa, "/api/v1/queues/failing/").json()
    assert [(row["title"], row["agency"], row["last_run_status"]) for row in failing] == [
        ("Bridges", "alpha", "failed")
    ]
    stale = _get(api, dapa, "/api/v1/queues/stale/").json()
    assert [row["title"] for row in stale] == ["Tunnels"]
    assert stale[0]["overdue_since"] is not None
    overdue = _get(api, dapa, "/api/v1/queues/overdue-items/").json()
    assert [(row["dataset_title"], row["target_date"]) for row in overdue] == [
        ("Tunnels", "2026-03-31")
    ]
    retiring = _get(api, dapa, "/api/v1/queues/retirements/").json()
    assert [(row["dataset_title"], row["agency"], row["status"]) for row in retiring] == [
        ("Ferries 1990", "alpha", "notice_posted")
    ]
    assert retiring[0]["due_at"].startswith("2026-12-01")
    for queue in QUEUES[1:]:
        assert _get(api, dapa, f"/api/v1/queues/{queue}/", agency="beta").json() == []


def test_scorecard_for_staff_and_the_agencys_members_only(api, world, ado_a, ado_b, dapa):
    card = _get(api, ado_a, "/api/v1/agencies/alpha/scorecard/", year=2026).json()
    assert card["agency"] == "alpha"
    assert card["figures"]["planned"] == 2
    assert [item["dataset_title"] for item in card["planned"]] == ["Tunnels", "Bridges"]
    assert [item["dataset_title"] for item in card["retiring"]] == ["Ferries 1990"]
    assert [state["title"] for state in card["failing"]] == ["Bridges"]
    assert [state["title"] for state in card["stale"]] == ["Tunnels"]
    assert _get(api, ado_b, "/api/v1/agencies/alpha/scorecard/").status_code == 404
    assert _get(api, dapa, "/api/v1/agencies/beta/scorecard/").status_code == 200


def test_compliance_report_is_scoped_and_filtered(api, world, ado_a, dapa):
    report = _get(api, dapa, "/api/v1/compliance/", year=2026).json()
    assert report["year"] == 2026
    lines = {line["agency"]: line for line in report["lines"]}
    assert {"alpha", "beta", "gamma"} <= set(lines)  # with the seeded state agencies
    assert report["summary"]["agencies"] == len(lines)
    alpha = lines["alpha"]
    assert (alpha["ado_designated"], alpha["plan_approved"], alpha["planned"]) == (True, True, 2)
    own = _get(api, ado_a, "/api/v1/compliance/", year=2026).json()
    assert [line["agency"] for line in own["lines"]] == ["alpha"]
    assert _get(api, ado_a, "/api/v1/compliance/", agency="beta").json()["lines"] == []
    one = _get(api, dapa, "/api/v1/compliance/", year=2026, agency="gamma").json()
    assert [line["ado_designated"] for line in one["lines"]] == [False]
    assert _get(api, dapa, "/api/v1/compliance/", year="1066").status_code == 400


def _remind(user, kind, days_ago):
    return ReminderSent.objects.create(
        user=user,
        kind=kind,
        condition=f"{kind}:{user.pk}:{days_ago}",
        subject=f"{kind} for {user}",
        body="…",
        sent_at=NOW - datetime.timedelta(days=days_ago),
    )


def test_reminders_are_the_callers_own_with_filters(api, ado_a, ado_b):
    _remind(ado_a, "inventory_due_30", 40)
    _remind(ado_a, "inventory_due_7", 10)
    _remind(ado_b, "inventory_due_7", 10)
    mine = _get(api, ado_a, "/api/v1/reminders/").json()
    assert [row["kind"] for row in mine["results"]] == ["inventory_due_7", "inventory_due_30"]
    assert "alice" in mine["results"][0]["subject"]
    recent = _get(api, ado_a, "/api/v1/reminders/", sent_after="2026-11-01").json()
    assert [row["kind"] for row in recent["results"]] == ["inventory_due_7"]
    by_kind = _get(api, ado_a, "/api/v1/reminders/", kind="inventory_due_30").json()
    assert by_kind["count"] == 1
    assert _get(api, ado_a, "/api/v1/reminders/", kind="bogus").status_code == 400


def _grow(world, ado_a, dapa, n):
    """n more agencies, each with a failing publication, a data request and a reminder."""
    for i in range(n):
        agency = AgencyFactory()
        inventory = InventoryFactory(agency=agency, year=2026)
        dataset = DatasetFactory(inventory=inventory, title=f"Grown {i}")
        add_publication(
            dataset, ado_a, status=RunStatus.FAILED, days_ago=2, portal_id=f"grow-{i:04d}"
        )
        DataRequest.objects.create(
            agency=agency, requester_type="media", summary="x", due_date=datetime.date(2030, 1, 1)
        )
        _remind(dapa, "dataset_stale", agency.pk)


def _count(api, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert api.get(path).status_code == 200
    return len(queries)


PATHS = [
    "/api/v1/queues/review/",
    "/api/v1/queues/failing/",
    "/api/v1/queues/stale/",
    "/api/v1/queues/overdue-items/",
    "/api/v1/queues/retirements/",
    "/api/v1/compliance/?year=2026",
    "/api/v1/reminders/",
    "/api/v1/agencies/alpha/scorecard/?year=2026",
]


def test_query_counts_do_not_grow_with_the_data(api, world, ado_a, dapa):
    api.force_authenticate(dapa)
    _grow(world, ado_a, dapa, 2)
    _count(api, PATHS[0])  # warms the process-wide caches (content types)
    small = {path: _count(api, path) for path in PATHS}
    _grow(world, ado_a, dapa, 12)
    large = {path: _count(api, path) for path in PATHS}
    assert large == small
