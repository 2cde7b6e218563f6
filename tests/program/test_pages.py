"""Scorecard, work queues and compliance report: the lists behind the figures."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from access_plans.models import AccessPlan
from inventories.models import Inventory
from program import compliance
from program.models import DataRequest
from tests.program.conftest import WORLD_DAY, retire_ferries

# One clock for the world and the test (tests/clock.py): the day its figures are known for.
pytestmark = pytest.mark.clock(WORLD_DAY)

NOW = WORLD_DAY


def test_scorecard_lists_what_is_behind_the_figures(client, ado_a, world):
    client.force_login(ado_a)
    response = client.get(reverse("program:scorecard", args=["alpha"]), {"year": 2026})
    card = response.context["card"]
    assert [item.dataset.title for item, _ in card.planned] == ["Tunnels", "Bridges"]
    assert [state.title for state in card.failing] == ["Bridges"]
    assert [state.title for state in card.stale] == ["Tunnels"]
    assert [item.dataset.title for item in card.retiring] == ["Ferries 1990"]
    html = response.content.decode()
    assert reverse("publishing:detail", args=[card.failing[0].pk]) in html


def test_scorecard_counts_requests_per_dataset(client, ado_a, world):
    bridges = world["alpha"].datasets.get(title="Bridges")
    for _ in range(3):
        DataRequest.objects.create(
            agency=world["alpha"],
            requester_type="public",
            summary="Bridges",
            dataset=bridges,
            due_date=timezone.localdate(),
        )
    client.force_login(ado_a)
    response = client.get(reverse("program:scorecard", args=["alpha"]))
    card = response.context["card"]
    assert card.frequently_requested == [("Bridges", bridges.get_absolute_url(), 3, False)]
    assert "consider marking it frequently requested" in response.content.decode()


def test_queues_oldest_first(client, cdo, world):
    Inventory.objects.filter(agency__slug="beta").update(submitted_at=NOW - datetime.timedelta(9))
    plan = AccessPlan.objects.get(agency__slug="alpha")
    AccessPlan.objects.filter(pk=plan.pk).update(
        status="submitted", submitted_at=NOW - datetime.timedelta(days=20)
    )
    client.force_login(cdo)
    queues = client.get(reverse("program:queues")).context["queues"]
    assert [entry.kind for entry in queues.review] == ["Access plan", "Inventory"]
    assert [state.title for state in queues.failing] == ["Bridges"]
    assert [state.title for state in queues.stale] == ["Tunnels"]
    assert queues.overdue_items == []  # the plan is no longer approved


def test_queues_list_overdue_items_and_retirements(client, cdo, world, ado_a):
    retire_ferries(ado_a)
    client.force_login(cdo)
    queues = client.get(reverse("program:queues")).context["queues"]
    # Tunnels was due on 2026-03-31 and is not published; Bridges is published.
    assert [item.dataset.title for item in queues.overdue_items] == ["Tunnels"]
    assert [r.publication.dataset.title for r in queues.retiring] == ["Ferries 1990"]


def test_compliance_figures(world):
    Inventory.objects.filter(agency__slug="alpha").update(
        submitted_at=datetime.datetime(2026, 12, 20, tzinfo=datetime.UTC)
    )
    Inventory.objects.filter(agency__slug="beta").update(
        submitted_at=datetime.datetime(2027, 1, 3, tzinfo=datetime.UTC)
    )
    lines = {line.row.agency.slug: line for line in compliance.report(2026)}
    alpha, beta, gamma = lines["alpha"], lines["beta"], lines["gamma"]
    assert (alpha.filed_on_time, beta.filed_on_time, gamma.filed_on_time) == (True, False, False)
    assert (alpha.plan_approved, beta.plan_approved) == (True, False)
    assert alpha.values()[5:] == [2, 1, 50, 0, 100, 2, 1, 1, "none"]  # no OPM agreement
    summary = compliance.summary([alpha, beta, gamma])
    assert (summary.with_ado, summary.filed_on_time, summary.plan_approved) == (2, 1, 1)


def test_compliance_page_prints_the_table(client, dapa, world):
    client.force_login(dapa)
    response = client.get(reverse("program:compliance"), {"year": 2026})
    html = response.content.decode()
    assert 'id="compliance-table"' in html
    assert "Department of Gamma" in html
    assert reverse("program:compliance-xlsx") in html


def test_scorecard_links_to_act(client, dapa, ado_a, world):
    client.force_login(dapa)
    html = client.get(reverse("program:scorecard", args=["gamma"])).content.decode()
    assert reverse("agencies:designate_ado", args=["gamma"]) in html
    assert reverse("program:request-create", args=["gamma"]) not in html  # staff do not log
    client.force_login(ado_a)
    html = client.get(reverse("program:scorecard", args=["alpha"])).content.decode()
    assert reverse("program:request-create", args=["alpha"]) in html
