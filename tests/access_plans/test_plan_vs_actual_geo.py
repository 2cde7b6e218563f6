"""Plan vs actual (ADR 0029): an item planned for the CT Geo Data Portal counts as published
once the Geo sync finds its item there, and keeps pace while the item is modified in time."""

import datetime

import pytest

from access_plans import selectors
from access_plans.choices import Method
from access_plans.models import PlanItem
from upkeep.models import GeoItem

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-05-20T12:00:00+00:00")]

NOW = datetime.datetime(2026, 5, 20, 12, tzinfo=datetime.UTC)


def _geo_item(dataset, *, seen: datetime.datetime, modified: datetime.datetime, **extra):
    return GeoItem.objects.create(
        item_id=f"{dataset.pk:032x}",
        title=dataset.title,
        dataset=dataset,
        first_seen_at=seen,
        last_seen_at=NOW,
        modified_at=modified,
        **extra,
    )


@pytest.fixture
def geo_item_of_plan(filled_plan_a, datasets_a):
    dataset = datasets_a["Licensed child care programs"]
    PlanItem.objects.filter(plan=filled_plan_a, dataset=dataset).update(method=Method.GEO_PORTAL)
    items = list(selectors.plan_items(filled_plan_a))
    return dataset, items, next(i for i in items if i.dataset_id == dataset.pk)


def test_an_item_planned_for_the_geo_portal_and_found_there_is_published(geo_item_of_plan):
    dataset, items, item = geo_item_of_plan
    assert selectors.publication_actuals(items)[item.pk].published_on is None
    _geo_item(dataset, seen=datetime.datetime(2026, 4, 2, 15, tzinfo=datetime.UTC), modified=NOW)

    actual = selectors.publication_actuals(items)[item.pk]

    assert actual.published_on == datetime.date(2026, 4, 2)
    assert actual.at_frequency is True  # monthly plan, modified today
    assert selectors.figures_for(items).published == 2  # and Subsidy payments, on the portal


def test_a_geo_item_modified_too_long_ago_is_not_at_the_planned_frequency(geo_item_of_plan):
    dataset, items, item = geo_item_of_plan
    old = NOW - datetime.timedelta(days=90)
    _geo_item(dataset, seen=old, modified=old)

    assert selectors.publication_actuals(items)[item.pk].at_frequency is False


def test_a_missing_geo_item_or_another_method_does_not_count(geo_item_of_plan, filled_plan_a):
    dataset, items, item = geo_item_of_plan
    _geo_item(dataset, seen=NOW, modified=NOW, missing_since=NOW)
    assert selectors.publication_actuals(items)[item.pk].published_on is None

    GeoItem.objects.update(missing_since=None)
    PlanItem.objects.filter(pk=item.pk).update(method=Method.PORTAL_UPLOAD)
    items = list(selectors.plan_items(filled_plan_a))
    assert selectors.publication_actuals(items)[item.pk].published_on is None
