"""The dashboard's figures on the constructed world (tests/program/conftest.py).

The database also holds the agencies a data migration seeds: the assertions look at the world's
three agencies only."""

import pytest
from django.urls import reverse

from program.selectors import dashboard_rows, totals
from tests.program.conftest import WORLD_DAY, retire_ferries
from upkeep.models import RetirementStatus

# One clock for the world and the test (tests/clock.py): the day its figures are known for.
pytestmark = pytest.mark.clock(WORLD_DAY)

WORLD = ("alpha", "beta", "gamma")


def _rows(year: int = 2026) -> dict:
    return {row.agency.slug: row for row in dashboard_rows(year)}


def test_rows_carry_each_agencys_figures(world, ado_a):
    retire_ferries(ado_a)
    rows = _rows()
    alpha, beta, gamma = rows["alpha"], rows["beta"], rows["gamma"]
    assert alpha.ado.user.username == "alice"
    assert gamma.ado is None
    assert (alpha.inventory_status, beta.inventory_status, gamma.inventory_status) == (
        "accepted",
        "submitted",
        "none",
    )
    assert (alpha.plan_status, beta.plan_status) == ("approved", "none")
    assert (alpha.figures.planned, alpha.figures.published) == (2, 1)
    assert (alpha.stale, alpha.failing, alpha.retiring) == (1, 1, 1)
    assert (beta.stale, beta.failing, beta.figures.planned) == (0, 0, 0)
    assert alpha.completeness > beta.completeness
    assert gamma.completeness is None
    assert gamma.last_activity is None


def test_retiring_counts_retirements_under_way_only(world, ado_a):
    assert _rows()["alpha"].retiring == 0  # a plan item to retire is not a retirement yet
    retirement = retire_ferries(ado_a)
    assert _rows()["alpha"].retiring == 1
    for status in (RetirementStatus.RETIRED, RetirementStatus.CANCELLED):
        retirement.status = status
        retirement.save()
        assert _rows()["alpha"].retiring == 0


def test_totals_add_up(world):
    rows = _rows()
    total = totals([rows[slug] for slug in WORLD])
    assert (total.agencies, total.with_ado, total.inventory_accepted, total.plan_approved) == (
        3,
        2,
        1,
        1,
    )
    assert (total.planned, total.published, total.stale, total.failing) == (2, 1, 1, 1)


def test_another_year_shows_nothing_filed(world):
    rows = _rows(2025)
    assert {row.inventory_status for row in rows.values()} == {"none"}


def _agencies_listed(client, **params) -> list[str]:
    response = client.get(reverse("program:dashboard"), {"year": 2026, **params})
    assert response.status_code == 200
    return [row.agency.slug for row in response.context["rows"] if row.agency.slug in WORLD]


def test_filter_agencies_without_accepted_inventory(client, dapa, world):
    client.force_login(dapa)
    assert _agencies_listed(client, inventory="not_accepted") == ["beta", "gamma"]
    assert _agencies_listed(client, inventory="none") == ["gamma"]
    assert _agencies_listed(client, ado="no") == ["gamma"]
    assert _agencies_listed(client, plan="approved") == ["alpha"]
    assert _agencies_listed(client, q="bet") == ["beta"]


def test_sort_by_column_both_ways(client, dapa, world):
    client.force_login(dapa)
    assert _agencies_listed(client, sort="-stale")[0] == "alpha"
    assert _agencies_listed(client, sort="-agency") == ["gamma", "beta", "alpha"]
    assert _agencies_listed(client, sort="completeness") == ["beta", "alpha", "gamma"]


def test_totals_follow_the_filters(client, dapa, world):
    client.force_login(dapa)
    response = client.get(reverse("program:dashboard"), {"year": 2026, "ado": "yes"})
    assert response.context["totals"].agencies == 2
    assert response.context["totals"].planned == 2
    response = client.get(
        reverse("program:dashboard"), {"year": 2026, "plan": "none", "ado": "yes"}
    )
    assert (response.context["totals"].agencies, response.context["totals"].planned) == (1, 0)


def test_charts_have_data_tables(client, dapa, world):
    client.force_login(dapa)
    response = client.get(reverse("program:dashboard"), {"year": 2026})
    html = response.content.decode()
    for slug in ("filings", "published", "freshness"):
        assert f'id="chart-{slug}-data" type="application/json"' in html
        assert f'id="chart-{slug}-table"' in html
    freshness = {c.slug: c for c in response.context["charts"]}["freshness"]
    assert freshness.table() == [("DOA", [0, 1, 1])]


def test_completeness_follows_edits_and_removals(world):
    before = _rows()["beta"].completeness
    dataset = world["beta"].datasets.get()
    dataset.row_label = "Fact"
    dataset.temporal_coverage = "2020-2025"
    dataset.save()
    assert _rows()["beta"].completeness > before
    dataset.delete()
    assert _rows()["beta"].completeness is None


def test_charts_follow_the_table_filters(client, dapa, world):
    """Alpha holds the world's publications and its only submitted plan: filtering it out
    empties the freshness and published charts, on the page and in their exports."""
    client.force_login(dapa)
    url = reverse("program:dashboard")
    everything = {c.slug: c for c in client.get(url, {"year": 2026}).context["charts"]}
    assert everything["freshness"].table() == [("DOA", [0, 1, 1])]
    assert everything["published"].table() == [("2026", [2, 1])]

    response = client.get(url, {"year": 2026, "q": "bet"})
    filtered = {c.slug: c for c in response.context["charts"]}
    assert filtered["freshness"].table() == []
    assert filtered["published"].table() == []
    filings = dict(filtered["filings"].table())
    assert sum(figures[0] for figures in filings.values()) == len(response.context["rows"])
    assert "Drawn from the 1 agencies the filters keep" in response.text
    assert (
        f"{reverse('program:chart-csv', args=['filings'])}?year=2026&amp;year=2026&amp;q=bet"
        in (response.text)
    )

    export = client.get(
        reverse("program:chart-csv", args=["freshness"]), {"year": 2026, "q": "bet"}
    )
    assert export.content.decode("utf-8-sig").splitlines() == ["Agency,Up to date,Stale,Failing"]
