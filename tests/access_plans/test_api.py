"""/api/v1/plans/ and /api/v1/plan-items/ with their filters."""

import pytest

from access_plans import services
from tests.access_plans.conftest import item_data


@pytest.fixture
def api(client, cdo):
    client.force_login(cdo)
    return client


def _titles(response) -> list[str]:
    return sorted(row["dataset_title"] for row in response.json()["results"])


def test_plans_filter_by_agency_year_and_status(api, filled_plan_a, plan_b, ado_a):
    services.plan_submit(plan=filled_plan_a, acting_user=ado_a)
    rows = api.get("/api/v1/plans/", {"status": "submitted"}).json()["results"]
    assert [(r["agency"], r["version"], r["item_count"]) for r in rows] == [("alpha", 1, 3)]
    assert [r["agency"] for r in api.get("/api/v1/plans/", {"agency": "beta"}).json()["results"]]
    assert api.get("/api/v1/plans/", {"year": 2025}).json()["results"] == []


def test_plan_items_filter_by_intent_priority_and_method(api, filled_plan_a, plan_b, ado_a):
    assert _titles(api.get("/api/v1/plan-items/", {"intent": "maintain"})) == ["Subsidy payments"]
    assert _titles(api.get("/api/v1/plan-items/", {"agency": "beta"})) == ["Beta roads"]
    item = filled_plan_a.items.get(dataset__title="Licensed child care programs")
    services.item_update(
        item=item,
        data=item_data(method="geo_portal", crit_state_plan=True, crit_stakeholders=True),
        acting_user=ado_a,
    )
    assert _titles(api.get("/api/v1/plan-items/", {"priority": "high"})) == [
        "Licensed child care programs"
    ]
    assert _titles(api.get("/api/v1/plan-items/", {"method": "geo_portal"})) == [
        "Licensed child care programs"
    ]
    assert (
        len(api.get("/api/v1/plan-items/", {"status": "draft", "year": 2026}).json()["results"])
        == 4
    )


def test_plan_item_shows_evaluation_and_privacy(api, filled_plan_a):
    rows = api.get("/api/v1/plan-items/", {"agency": "alpha"}).json()["results"]
    inspections = next(r for r in rows if r["dataset_title"] == "Child care inspections")
    assert inspections["privacy_treatment"] == "aggregate"
    assert inspections["aggregation_level"] == "town × year"
    assert inspections["eval_privacy_safe"] is True
