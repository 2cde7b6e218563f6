"""Plan vs actual computed in the database: one aggregate query for any number of plans.

The same rules as `selectors.publication_actuals` and `selectors.figures_for` (which the plan
pages use, item by item), written as SQL: each item's published date and "at frequency" are
annotations (three correlated subqueries: the first inventory-history row recording it
published, the first publication made public, the last successful run), and each plan's figures
are counts over them (`Count(filter=...)`). tests/access_plans/test_figures_db.py checks both
agree over generated data.
"""

from __future__ import annotations

import datetime
import zoneinfo
from functools import reduce
from operator import or_

from django.db.models import (
    Case,
    Count,
    DateField,
    DateTimeField,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from access_plans.choices import PUBLISHING_INTENTS, Method
from access_plans.models import AccessPlan, PlanItem
from access_plans.selectors import PUBLISHED_LINKS, RUN_SUCCEEDED, PlanFigures
from inventories.choices import FREQUENCY_DETAILS, expected_interval
from inventories.models import Dataset

# Frequencies with an expected interval; any other value (as needed, historical, other, blank)
# has none.
TIMED = {name: expected_interval(name) for name in FREQUENCY_DETAILS if expected_interval(name)}


def _published_q(prefix: str = "") -> Q:
    return reduce(
        or_,
        (
            Q(**{f"{prefix}availability": availability}) & ~Q(**{f"{prefix}{link}": ""})
            for availability, link in PUBLISHED_LINKS.items()
        ),
    )


def _first(queryset: QuerySet, aggregate) -> Subquery:
    moments = queryset.order_by().values("uid").annotate(moment=aggregate).values("moment")
    return Subquery(moments, output_field=DateTimeField())


def _refreshed_q(now: datetime.datetime) -> Q:
    """`selectors._refreshed_in_time`: no planned interval, or a success within 1.25 of it."""
    recent = (
        Q(update_frequency=name, last_success__gte=now - interval * 1.25)
        for name, interval in TIMED.items()
    )
    return reduce(or_, recent, ~Q(update_frequency__in=list(TIMED)))


def _keeps_pace_q() -> Q:
    """`selectors._keeps_pace`: the inventory declares updates at least as often as planned."""
    untimed = ~Q(update_frequency__in=list(TIMED)) & ~Q(dataset__update_frequency="")
    paced = (
        Q(
            update_frequency=name,
            dataset__update_frequency__in=[d for d, step in TIMED.items() if step <= interval],
        )
        for name, interval in TIMED.items()
    )
    return reduce(or_, paced, untimed)


def annotated_items(items: QuerySet[PlanItem]) -> QuerySet[PlanItem]:
    """Items with `published_on` (date or null) and the inputs of "at frequency"."""
    uid = OuterRef("dataset__uid")
    history = Dataset.history.model.objects.filter(_published_q(), uid=uid)
    public = Dataset.objects.filter(uid=uid, publications__made_public_at__isnull=False)
    runs = Dataset.objects.filter(uid=uid, publications__runs__status=RUN_SUCCEEDED)
    geo = Dataset.objects.filter(
        uid=uid, geo_items__isnull=False, geo_items__missing_since__isnull=True
    )
    utc, local = datetime.UTC, zoneinfo.ZoneInfo(timezone.get_current_timezone_name())
    on_geo = Q(method=Method.GEO_PORTAL)
    return (
        items.annotate(
            inventory_on=Case(
                When(
                    _published_q("dataset__"),
                    then=TruncDate(_first(history, Min("history_date")), tzinfo=utc),
                ),
                output_field=DateField(),
            ),
            public_on=TruncDate(_first(public, Min("publications__made_public_at")), tzinfo=local),
            geo_on=TruncDate(_first(geo, Min("geo_items__first_seen_at")), tzinfo=local),
        )
        .annotate(
            # The publication record or, for an item planned on the Geo Data Portal, the Geo
            # sync's (ADR 0029): when it was first public, and its last refresh.
            record_on=Case(
                When(public_on__isnull=False, then=F("public_on")),
                When(on_geo, then=F("geo_on")),
                output_field=DateField(),
            ),
            last_success=Case(
                When(
                    public_on__isnull=False,
                    then=_first(runs, Max("publications__runs__finished_at")),
                ),
                When(on_geo, then=_first(geo, Max("geo_items__modified_at"))),
                output_field=DateTimeField(),
            ),
        )
        .annotate(
            # A published dataset with no history row (bulk-created) counts from its last change.
            inventory_on_any=Case(
                When(
                    _published_q("dataset__"),
                    then=Case(
                        When(
                            inventory_on__isnull=True,
                            then=TruncDate("dataset__updated_at", tzinfo=utc),
                        ),
                        default=F("inventory_on"),
                    ),
                ),
                output_field=DateField(),
            ),
        )
        .annotate(
            published_on=Case(
                When(inventory_on_any__isnull=True, then=F("record_on")),
                When(record_on__isnull=True, then=F("inventory_on_any")),
                When(inventory_on_any__lte=F("record_on"), then=F("inventory_on_any")),
                default=F("record_on"),
                output_field=DateField(),
            )
        )
    )


def figures_by_plan(plans: QuerySet[AccessPlan]) -> list[tuple[AccessPlan, PlanFigures]]:
    """Plan vs actual for every plan (with its agency): two queries, whatever the size."""
    plans = list(plans.select_related("agency"))
    today, now = timezone.localdate(), timezone.now()
    items = annotated_items(PlanItem.objects.filter(plan__in=plans, intent__in=PUBLISHING_INTENTS))
    published = Q(published_on__isnull=False)
    due = Q(target_date__lt=today)
    at_frequency = published & (
        (Q(record_on__isnull=False) & _refreshed_q(now))
        | (Q(record_on__isnull=True) & _keeps_pace_q())
    )
    rows = (
        items.order_by()
        .values("plan_id")
        .annotate(
            planned=Count("pk"),
            published=Count("pk", filter=published),
            on_time=Count("pk", filter=due & Q(published_on__lte=F("target_date"))),
            with_target=Count("pk", filter=Q(target_date__isnull=False)),
            due=Count("pk", filter=due),
            at_frequency=Count("pk", filter=at_frequency),
        )
    )
    by_plan = {row.pop("plan_id"): PlanFigures(**row) for row in rows}
    return [(plan, by_plan.get(plan.pk, PlanFigures())) for plan in plans]
