"""Plan vs actual for many plans at once (access_plans/figures_db.py, what the dashboard shows:
each item's facts read in one query) agrees with the plan pages' item-by-item path
(access_plans/selectors.py: model instances, records grouped by uid) over generated plans: no
items, none due, all due, missing target dates, datasets published in the inventory (with or
without a history row, with or without the link), publications made public or not, successful
runs recent or stale, every planned and declared frequency, items planned for the Geo Data
Portal with Geo items present, missing or absent."""

import datetime
import itertools

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from access_plans import figures_db, selectors
from access_plans.choices import Intent, Method, PlanStatus
from access_plans.models import AccessPlan, PlanItem
from inventories.choices import Availability, InventoryStatus, UpdateFrequency
from inventories.models import Dataset
from publishing.models import Publication, PublicationRun, RunStatus
from tests.factories import AgencyFactory
from tests.inventories.factories import DatasetFactory, InventoryFactory
from upkeep.models import GeoItem

NOW = "2026-05-15T03:30:00Z"  # still 14 May in Hartford: local and UTC dates differ
TODAY = datetime.date(2026, 5, 14)
LINKS = {
    Availability.PORTAL: ("portal_id", "abcd-1234"),
    Availability.GEO_PORTAL: ("geo_portal_url", "https://geo.ct.example/x"),
    Availability.AGENCY_WEBSITE: ("agency_url", "https://ct.example/x"),
}
SERIAL = itertools.count(1)

# Relative to today: mostly near it, where a date off by one changes "on time" and "recent".
days = st.one_of(st.integers(-3, 2), st.integers(-20, 10), st.integers(-200, 100))
maybe_day = st.one_of(st.none(), days)
frequencies = st.sampled_from(["", *UpdateFrequency.values])
item = st.fixed_dictionaries(
    {
        "intent": st.sampled_from(Intent.values),
        "target": maybe_day,
        "frequency": frequencies,
        "availability": st.sampled_from(Availability.values),
        "with_link": st.booleans(),
        "declared": frequencies,
        "history": st.one_of(st.none(), days),  # None: no history row (bulk-created)
        "made_public": st.one_of(st.none(), days),  # None: no publication made public
        "runs": st.lists(
            st.tuples(st.sampled_from([RunStatus.SUCCEEDED, RunStatus.FAILED]), days), max_size=2
        ),
        "method": st.sampled_from(["", *Method.values]),
        # Geo Data Portal items of the dataset: first seen, last modified, missing now.
        "geo": st.lists(st.tuples(days, maybe_day, st.booleans()), max_size=2),
    }
)
plans = st.lists(st.lists(item, max_size=5), min_size=1, max_size=3)


def _moment(day: int, hour: int = 2) -> datetime.datetime:
    """`day` days from today, at an hour where UTC and Hartford disagree on the date."""
    start = datetime.datetime.combine(TODAY, datetime.time(hour), tzinfo=datetime.UTC)
    return start + datetime.timedelta(days=day)


def _dataset(inventory, spec: dict) -> Dataset:
    fields = {"availability": spec["availability"], "update_frequency": spec["declared"]}
    if spec["availability"] in LINKS and spec["with_link"]:
        name, value = LINKS[spec["availability"]]
        fields[name] = value if name != "portal_id" else f"a{next(SERIAL):03d}-0001"
    dataset = DatasetFactory(inventory=inventory, **fields)
    history = Dataset.history.filter(uid=dataset.uid)
    if spec["history"] is None:
        history.delete()
    else:
        history.update(history_date=_moment(spec["history"]))
    return dataset


def _geo_items(dataset, spec: dict) -> None:
    for first_seen, modified, missing in spec.get("geo", []):
        GeoItem.objects.create(
            item_id=f"g{next(SERIAL)}",
            title="Parcels",
            dataset=dataset,
            first_seen_at=_moment(first_seen),
            last_seen_at=_moment(0),
            modified_at=None if modified is None else _moment(min(modified, 0), 1),
            missing_since=_moment(0) if missing else None,
        )


def _publication(dataset, user, spec: dict) -> None:
    _geo_items(dataset, spec)
    if spec["made_public"] is None and not spec["runs"]:
        return
    publication = Publication.objects.create(
        dataset=dataset,
        agency=dataset.agency,
        created_by=user,
        portal_id=f"p{next(SERIAL):03d}-0002",
        made_public_at=None if spec["made_public"] is None else _moment(spec["made_public"]),
    )
    for status, day in spec["runs"]:
        PublicationRun.objects.create(
            publication=publication, status=status, finished_at=_moment(min(day, 0), 1)
        )


def _build(specs: list[list[dict]], user) -> list[AccessPlan]:
    built = []
    for plan_specs in specs:
        agency = AgencyFactory()
        inventory = InventoryFactory(agency=agency, year=2026, status=InventoryStatus.SUBMITTED)
        plan = AccessPlan.objects.create(
            agency=agency, year=2026, inventory=inventory, status=PlanStatus.APPROVED
        )
        for spec in plan_specs:
            dataset = _dataset(inventory, spec)
            _publication(dataset, user, spec)
            target = spec["target"]
            PlanItem.objects.create(
                plan=plan,
                dataset=dataset,
                intent=spec["intent"],
                target_date=None if target is None else TODAY + datetime.timedelta(days=target),
                update_frequency=spec["frequency"],
                method=spec.get("method", ""),
            )
        built.append(plan)
    return built


@pytest.mark.clock(NOW)
@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(specs=plans)
def test_database_figures_equal_the_python_figures(db, specs):
    assert timezone.localdate() == TODAY
    with transaction.atomic():
        user = User.objects.create_user(f"publisher{next(SERIAL)}")
        built = _build(specs, user)
        ids = [plan.pk for plan in built]
        expected = selectors.figures_by_plan(AccessPlan.objects.filter(pk__in=ids))
        actual = figures_db.figures_by_plan(AccessPlan.objects.filter(pk__in=ids))
        transaction.set_rollback(True)
    assert [(p.pk, f) for p, f in actual] == [(p.pk, f) for p, f in expected]


@pytest.mark.clock(NOW)
def test_a_plan_without_items_has_empty_figures(db):
    [plan] = _build([[]], User.objects.create_user("publisher"))
    [(same, figures)] = figures_db.figures_by_plan(AccessPlan.objects.filter(pk=plan.pk))
    assert same == plan
    assert figures == selectors.PlanFigures()
    assert (figures.published_pct, figures.on_time_pct, figures.at_frequency_pct) == (None,) * 3


@pytest.mark.clock(NOW)
def test_figures_count_each_rule(db):
    """Known figures, written out: a published item due and on time, one late, one not yet
    due, one without a target, and a retirement that is not planned."""
    user = User.objects.create_user("publisher")
    base = {
        "intent": Intent.PUBLISH_NEW,
        "frequency": UpdateFrequency.MONTHLY,
        "availability": Availability.PORTAL,
        "with_link": True,
        "declared": UpdateFrequency.WEEKLY,  # keeps pace with monthly
        "made_public": None,
        "runs": [],
    }
    specs = [
        {**base, "target": -10, "history": -20},  # due, published before: on time
        {**base, "target": -10, "history": -5},  # due, published after: late
        {**base, "target": 5, "history": -5},  # not due yet
        {**base, "target": None, "history": None, "declared": UpdateFrequency.ANNUALLY},
        {**base, "intent": Intent.RETIRE, "target": -10, "history": -20},
    ]
    [plan] = _build([specs], user)
    [(_, figures)] = figures_db.figures_by_plan(AccessPlan.objects.filter(pk=plan.pk))
    assert figures == selectors.PlanFigures(
        planned=4, published=4, on_time=1, with_target=3, due=2, at_frequency=3
    )


@pytest.mark.clock(NOW)
@pytest.mark.parametrize("size", [1, 6])
def test_three_queries_whatever_the_number_of_plans_and_items(db, django_assert_num_queries, size):
    user = User.objects.create_user("publisher")
    spec = {
        "intent": Intent.MAINTAIN,
        "target": -3,
        "frequency": UpdateFrequency.WEEKLY,
        "availability": Availability.PORTAL,
        "with_link": True,
        "declared": UpdateFrequency.DAILY,
        "history": -10,
        "made_public": -4,
        "runs": [(RunStatus.SUCCEEDED, -1)],
    }
    built = _build([[spec] * size] * size, user)
    # The plans with their agencies, the days publications were made public, the items' facts.
    with django_assert_num_queries(3):
        results = figures_db.figures_by_plan(
            AccessPlan.objects.filter(pk__in=[p.pk for p in built])
        )
    assert [figures.published for _, figures in results] == [size] * size


@pytest.mark.clock(NOW)
def test_an_item_planned_on_the_geo_portal_counts_the_geo_sync(db):
    """ADR 0029: found on the Geo Data Portal by the sync counts as published, from the day it
    was first seen; its last modification is the refresh. A missing item does not count."""
    base = {
        "intent": Intent.PUBLISH_NEW,
        "target": -10,
        "frequency": UpdateFrequency.WEEKLY,
        "availability": Availability.NOT_AVAILABLE,
        "with_link": False,
        "declared": "",
        "history": None,
        "made_public": None,
        "runs": [],
        "method": Method.GEO_PORTAL,
    }
    specs = [
        {**base, "geo": [(-20, -2, False)]},  # on time, refreshed two days ago
        {**base, "geo": [(-5, -30, False)]},  # late, stale
        {**base, "geo": [(-20, -2, True)]},  # missing: not published
        {**base, "method": Method.PORTAL_UPLOAD, "geo": [(-20, -2, False)]},  # not planned there
    ]
    [plan] = _build([specs], User.objects.create_user("publisher"))
    [(_, figures)] = figures_db.figures_by_plan(AccessPlan.objects.filter(pk=plan.pk))
    assert figures == selectors.PlanFigures(
        planned=4, published=2, on_time=1, with_target=4, due=4, at_frequency=1
    )
    [(_, python)] = selectors.figures_by_plan(AccessPlan.objects.filter(pk=plan.pk))
    assert python == figures
