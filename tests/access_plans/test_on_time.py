"""Plan vs actual counts on time only over the items already due: a target date that has passed.

The figures are checked against an independent computation over generated plans (hypothesis:
no items, none due, all due, missing target dates, missing publication dates)."""

import datetime

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from access_plans import selectors, services
from access_plans.choices import Intent
from access_plans.models import PlanItem
from tests.access_plans.conftest import item_data

TODAY = datetime.date(2026, 5, 15)
NOW = "2026-05-15T14:00:00Z"  # 10:00 in Hartford, the same day

dates = st.one_of(
    st.none(),
    st.dates(min_value=datetime.date(2026, 1, 1), max_value=datetime.date(2026, 12, 31)),
)
items = st.lists(
    st.tuples(st.sampled_from(Intent.values), dates, dates),  # intent, target, published on
    max_size=12,
)


def _plan(rows) -> tuple[list[PlanItem], dict[int, selectors.Actual]]:
    plan_items, actuals = [], {}
    for pk, (intent, target, published_on) in enumerate(rows, start=1):
        plan_items.append(PlanItem(pk=pk, intent=intent, target_date=target))
        actuals[pk] = selectors.Actual(published_on=published_on, at_frequency=False)
    return plan_items, actuals


def _expected_on_time(rows) -> tuple[int, int]:
    """On time and due, written out from the rule: a publishing item is due once its target
    date is before today; it was on time if it was published on or before that date."""
    publishing = {"publish_new", "maintain", "improve", "register_external"}
    due = [(t, p) for intent, t, p in rows if intent in publishing and t is not None and t < TODAY]
    return sum(1 for t, p in due if p is not None and p <= t), len(due)


@pytest.mark.clock(NOW)
@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=items)
def test_on_time_counts_only_the_items_already_due(rows):
    plan_items, actuals = _plan(rows)
    figures = selectors.figures_for(plan_items, actuals)
    on_time, due = _expected_on_time(rows)
    assert (figures.on_time, figures.due) == (on_time, due)
    assert figures.on_time_pct == (round(100 * on_time / due) if due else None)


@pytest.mark.clock(NOW)
def test_the_edges_none_due_and_all_due():
    assert selectors.figures_for([], {}).on_time_pct is None  # no items
    future = [("publish_new", TODAY, None), ("maintain", TODAY + datetime.timedelta(days=40), None)]
    figures = selectors.figures_for(*_plan(future))
    # Due today is not late yet: nothing is due, which is not "0 % on time".
    assert (figures.with_target, figures.due, figures.on_time_pct) == (2, 0, None)
    past = [
        ("publish_new", datetime.date(2026, 3, 1), datetime.date(2026, 2, 1)),
        ("improve", datetime.date(2026, 4, 1), datetime.date(2026, 4, 20)),  # late
        ("retire", datetime.date(2026, 4, 1), None),  # not a publishing intent
        ("maintain", None, datetime.date(2026, 4, 1)),  # no target date: never due
    ]
    figures = selectors.figures_for(*_plan(past))
    assert (figures.on_time, figures.due, figures.on_time_pct) == (1, 2, 50)


@pytest.mark.clock(NOW)
def test_a_plan_filed_today_shows_no_items_due_yet(client, ado_a, plan_a, datasets_a):
    services.item_create(
        plan=plan_a,
        dataset=datasets_a["Licensed child care programs"],
        data=item_data(target_date=datetime.date(2026, 9, 30)),
        acting_user=ado_a,
    )
    client.force_login(ado_a)
    page = client.get(plan_a.get_absolute_url()).content.decode()
    assert "on time: no items due yet" in page
    assert "published on time" not in page


@pytest.mark.clock(NOW)
def test_metrics_page_says_none_due_yet(client, cdo, ado_a, plan_a, datasets_a):
    services.item_create(
        plan=plan_a,
        dataset=datasets_a["Licensed child care programs"],
        data=item_data(target_date=datetime.date(2026, 9, 30)),
        acting_user=ado_a,
    )
    services.plan_submit(plan=plan_a, acting_user=ado_a)
    client.force_login(cdo)
    response = client.get(reverse("access_plans:metrics"), {"year": 2026})
    row = response.content.decode().split('id="metrics-table"')[1]
    assert "none due yet" in row
