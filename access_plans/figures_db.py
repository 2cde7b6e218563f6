"""Plan vs actual for any number of plans, in three queries: the dashboard's figures.

The database gives each planned item's facts in one row: the item's and its dataset's fields
and, from correlated subqueries (each run only where a rule reads it), the first
inventory-history row recording the dataset published, the last successful run and the Geo
sync's record; the days publications were made public come from one grouped query. The rules
that turn facts into "published on" and "at frequency" are the plan pages' own
(`selectors.actual_of`), and so are the counts (`PlanFigures.count`). (Written as SQL counts
before, the rules repeated every subquery in each expression and count that used it: the
database evaluated them some twenty times a row, and Django wrote them out as often.)
tests/access_plans/test_figures_db.py checks this path against the plan pages' over generated
data.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple
from uuid import UUID

from django.db.models import Case, DateTimeField, Max, Min, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from access_plans.choices import PUBLISHING_INTENTS, Method
from access_plans.models import AccessPlan, PlanItem
from access_plans.selectors import (
    RUN_SUCCEEDED,
    PlanFigures,
    PublicationRecord,
    actual_of,
    published_q,
)
from inventories.models import Dataset


class ItemFacts(NamedTuple):
    """What the rules and the counts read of a planned item (a PlanItem's attributes)."""

    plan_id: int
    target_date: datetime.date | None
    method: str
    update_frequency: str


class DatasetFacts(NamedTuple):
    """What the rules read of a dataset (a Dataset's attributes)."""

    availability: str
    portal_id: str
    geo_portal_url: str
    agency_url: str
    updated_on: datetime.date
    update_frequency: str


ITEM_FIELDS = ItemFacts._fields
# The day of the dataset's last change is an annotation (below), its other fields columns.
DATASET_FIELDS = tuple(
    "updated_on" if name == "updated_on" else f"dataset__{name}" for name in DatasetFacts._fields
)
RECORD_FIELDS = ("history_on", "run_last", "geo_on", "geo_last")


def _moment(queryset: QuerySet, aggregate) -> Subquery:
    moments = queryset.order_by().values("uid").annotate(moment=aggregate).values("moment")
    return Subquery(moments, output_field=DateTimeField())


def _when(condition: Q, value: Subquery | TruncDate) -> Case:
    """A subquery inside a CASE runs only for the rows that meet the condition."""
    return Case(When(condition, then=value), output_field=value.output_field)


def public_days() -> dict[UUID, datetime.date]:
    """Per dataset uid, the day a publication of it was first made public (as
    `selectors.publication_records` reads it): one grouped query over the publications made
    public, which stay few (one an asset), whatever the number of items."""
    local = zoneinfo.ZoneInfo(timezone.get_current_timezone_name())
    rows = (
        Dataset.objects.filter(publications__made_public_at__isnull=False)
        .order_by()
        .values("uid")
        .annotate(first=TruncDate(Min("publications__made_public_at"), tzinfo=local))
        .values_list("uid", "first")
    )
    return dict(rows)


def item_facts(items: QuerySet[PlanItem], public: Iterable[UUID]) -> QuerySet:
    """One row of facts a planned item (ITEM_FIELDS, DATASET_FIELDS, RECORD_FIELDS); `public`:
    the uids with a publication made public, whose last successful run is read."""
    uid = OuterRef("dataset__uid")
    history = Dataset.history.model.objects.filter(published_q(), uid=uid)
    runs = Dataset.objects.filter(uid=uid, publications__runs__status=RUN_SUCCEEDED)
    geo = Dataset.objects.filter(
        uid=uid, geo_items__isnull=False, geo_items__missing_since__isnull=True
    )
    # The history only for a dataset the inventory records published, the runs only for a
    # dataset made public, the Geo sync's record only for an item planned on the Geo Data
    # Portal: the rules read nothing else.
    published, made_public = published_q("dataset__"), Q(dataset__uid__in=list(public))
    on_geo = Q(method=Method.GEO_PORTAL)
    utc, local = datetime.UTC, zoneinfo.ZoneInfo(timezone.get_current_timezone_name())
    return (
        items.order_by()
        .annotate(
            # Dataset.updated_on, and the days selectors' first_published_dates and
            # geo_records give.
            updated_on=TruncDate("dataset__updated_at", tzinfo=utc),
            history_on=_when(
                published, TruncDate(_moment(history, Min("history_date")), tzinfo=utc)
            ),
            run_last=_when(made_public, _moment(runs, Max("publications__runs__finished_at"))),
            geo_on=_when(
                on_geo, TruncDate(_moment(geo, Min("geo_items__first_seen_at")), tzinfo=local)
            ),
            geo_last=_when(on_geo, _moment(geo, Max("geo_items__modified_at"))),
        )
        .values_list("dataset__uid", *ITEM_FIELDS, *DATASET_FIELDS, *RECORD_FIELDS)
    )


def figures_by_plan(plans: QuerySet[AccessPlan]) -> list[tuple[AccessPlan, PlanFigures]]:
    """Plan vs actual for every plan (with its agency): three queries, whatever the size."""
    plans = list(plans.select_related("agency"))
    items = PlanItem.objects.filter(plan__in=plans, intent__in=PUBLISHING_INTENTS)
    by_plan: dict[int, PlanFigures] = defaultdict(PlanFigures)
    today = timezone.localdate()
    public = public_days()
    split = 1 + len(ITEM_FIELDS) + len(DATASET_FIELDS)
    for row in item_facts(items, public):
        item = ItemFacts(*row[1 : 1 + len(ITEM_FIELDS)])
        dataset = DatasetFacts(*row[1 + len(ITEM_FIELDS) : split])
        history_on, run_last, geo_on, geo_last = row[split:]
        public_on = public.get(row[0])
        # As selectors.publication_records and geo_records make them.
        if public_on is not None:
            record = PublicationRecord(public_on, run_last)
        elif item.method == Method.GEO_PORTAL and geo_on is not None:
            record = PublicationRecord(geo_on, geo_last)
        else:
            record = None
        actual = actual_of(item, dataset, history_on, record)
        by_plan[item.plan_id].count(item.target_date, actual, today)
    return [(plan, by_plan.get(plan.pk) or PlanFigures()) for plan in plans]
