"""Reads for plan pages: items, versions and their diffs, and plan-vs-actual figures."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Min, Q, QuerySet
from django.utils import timezone

from access_plans.choices import PUBLISHING_INTENTS, Method
from access_plans.models import AccessPlan, PlanItem, PlanVersion
from access_plans.snapshots import VersionDiff, diff_snapshots
from inventories.choices import Availability, expected_interval
from inventories.models import Dataset

# Where a dataset counts as published, and the link that must be recorded for it.
PUBLISHED_LINKS = {
    Availability.PORTAL: "portal_id",
    Availability.GEO_PORTAL: "geo_portal_url",
    Availability.AGENCY_WEBSITE: "agency_url",
}


def plan_items(plan: AccessPlan) -> QuerySet[PlanItem]:
    return plan.items.select_related("dataset", "owner").order_by("dataset__title")


def item_history(item: PlanItem, limit: int = 20) -> list[tuple[Any, list[str]]]:
    """Who changed the item, when, and which fields (newest first)."""
    records = list(item.history.select_related("history_user")[: limit + 1])
    labels = {f.name: str(f.verbose_name) for f in PlanItem._meta.concrete_fields}
    entries = []
    for record, older in zip(records, [*records[1:], None], strict=True):
        names = record.diff_against(older).changed_fields if older is not None else []
        entries.append((record, [labels.get(name, name) for name in names]))
    return entries[:limit]


def version_diff(version: PlanVersion) -> VersionDiff:
    """What changed in this version since the previous one (everything, for the first)."""
    previous = (
        PlanVersion.objects.filter(plan_id=version.plan_id, number__lt=version.number)
        .order_by("-number")
        .first()
    )
    return diff_snapshots(previous.snapshot if previous else None, version.snapshot)


def published_q(prefix: str = "") -> Q:
    """A dataset (`prefix`: the way to it) available where it is published, with the link."""
    q = Q(**{f"{prefix}pk__in": []})
    for availability, link in PUBLISHED_LINKS.items():
        q |= Q(**{f"{prefix}availability": availability}) & ~Q(**{f"{prefix}{link}": ""})
    return q


def first_published_dates(uids: Iterable) -> dict[str, datetime.date]:
    """The day each data asset (by uid) was first recorded in any inventory as published with
    its link, from the inventory's history. One query."""
    history = Dataset.history.model.objects.filter(published_q(), uid__in=list(uids))
    rows = history.values("uid").annotate(first=Min("history_date"))
    return {str(row["uid"]): row["first"].date() for row in rows}


@dataclass
class Actual:
    published_on: datetime.date | None
    at_frequency: bool


def publication_actuals(items: list[PlanItem]) -> dict[int, Actual]:
    """What happened to each planned item (`actual_of`), its records read in four queries."""
    uids = [item.dataset.uid for item in items]
    first = first_published_dates(uids)
    records = publication_records(uids)
    geo_uids = [item.dataset.uid for item in items if item.method == Method.GEO_PORTAL]
    geo = geo_records(geo_uids) if geo_uids else {}
    actuals = {}
    for item in items:
        uid = str(item.dataset.uid)
        record = records.get(uid) or (geo.get(uid) if item.method == Method.GEO_PORTAL else None)
        actuals[item.pk] = actual_of(item, item.dataset, first.get(uid), record)
    return actuals


def actual_of(
    item: Any, dataset: Any, first_on: datetime.date | None, record: PublicationRecord | None
) -> Actual:
    """The one place that decides "published" and "updated at the planned frequency", from an
    item (its `update_frequency`), its dataset (availability, links, `updated_at`,
    `update_frequency`), the day the inventory's history first recorded it published, and its
    publication record (the Geo sync's, for an item planned on the Geo Data Portal).

    Published: the inventory records where it is available (with the link), or a publication of
    the dataset (same uid, any year's row) was made public, or, planned for the Geo Data Portal,
    the Geo sync found its item there (ADR 0029). The date is the earliest of them.
    At frequency: with publication records, the last successful run is recent enough for the
    planned frequency; without them, the inventory declares updates at least that often."""
    inventory_on = _inventory_published_on(dataset, first_on)
    dates = [d for d in (inventory_on, record and record.public_on) if d]
    published_on = min(dates) if dates else None
    at_frequency = published_on is not None and (
        _refreshed_in_time(item, record)
        if record and record.public_on
        else _keeps_pace(item, dataset)
    )
    return Actual(published_on, at_frequency)


def _inventory_published_on(dataset: Any, first_on: datetime.date | None) -> datetime.date | None:
    link = PUBLISHED_LINKS.get(dataset.availability)
    if not link or not getattr(dataset, link):
        return None
    return first_on or dataset.updated_on


@dataclass
class PublicationRecord:
    public_on: datetime.date | None
    last_success: datetime.datetime | None


# publishing's RunStatus.SUCCEEDED. access_plans sits below publishing (ADR 0013), so it reads
# publications through the dataset's reverse relations instead of importing their models;
# tests/access_plans/test_plan_vs_actual.py checks the two names agree.
RUN_SUCCEEDED = "succeeded"


def publication_records(uids: Iterable) -> dict[str, PublicationRecord]:
    """Per dataset uid: when a publication of it was first made public, and its last successful
    run — two queries, whatever the number of items."""
    uids = list(uids)
    public = (
        Dataset.objects.filter(uid__in=uids, publications__made_public_at__isnull=False)
        .values("uid")
        .annotate(first=Min("publications__made_public_at"))
    )
    runs = (
        Dataset.objects.filter(uid__in=uids, publications__runs__status=RUN_SUCCEEDED)
        .values("uid")
        .annotate(last=Max("publications__runs__finished_at"))
    )
    last = {str(row["uid"]): row["last"] for row in runs}
    return {
        str(row["uid"]): PublicationRecord(
            timezone.localdate(row["first"]), last.get(str(row["uid"]))
        )
        for row in public
    }


def geo_records(uids: Iterable) -> dict[str, PublicationRecord]:
    """Per dataset uid: when the Geo sync first saw an item of it on the Geo Data Portal, and the
    item's last modification (ADR 0029) — one query. upkeep's GeoItem is read through the
    dataset's reverse relation, as publications are above."""
    rows = (
        Dataset.objects.filter(
            uid__in=list(uids),
            geo_items__isnull=False,  # an inner join: a dataset without items has no row
            geo_items__missing_since__isnull=True,
        )
        .values("uid")
        .annotate(first=Min("geo_items__first_seen_at"), last=Max("geo_items__modified_at"))
    )
    return {
        str(row["uid"]): PublicationRecord(timezone.localdate(row["first"]), row["last"])
        for row in rows
    }


def _refreshed_in_time(item: Any, record: PublicationRecord) -> bool:
    """The last successful push is within the planned interval (plus a grace of a quarter)."""
    planned = expected_interval(item.update_frequency)
    if planned is None:
        return True  # as needed, or historical only: being published is the promise
    if record.last_success is None:
        return False
    return timezone.now() - record.last_success <= planned * 1.25


def _keeps_pace(item: Any, dataset: Any) -> bool:
    """The inventory declares updates at least as often as the plan promised."""
    planned = expected_interval(item.update_frequency)
    if planned is None:
        return bool(dataset.update_frequency)
    declared = expected_interval(dataset.update_frequency)
    return declared is not None and declared <= planned


@dataclass
class PlanFigures:
    """Plan vs actual. On time counts only the items already due: a target date that has
    passed. An item whose target is today or later is not late yet, whatever happened, so a
    plan filed today has no items due rather than "0 % on time"."""

    planned: int = 0
    published: int = 0
    on_time: int = 0
    with_target: int = 0
    due: int = 0
    at_frequency: int = 0

    def count(
        self, target_date: datetime.date | None, actual: Actual, today: datetime.date
    ) -> None:
        """Count one planned item (with a publishing intent), its target and what happened."""
        self.planned += 1
        self.published += actual.published_on is not None
        self.at_frequency += actual.at_frequency
        if target_date:
            self.with_target += 1
            if target_date < today:
                self.due += 1
                self.on_time += bool(actual.published_on and actual.published_on <= target_date)

    @staticmethod
    def percent(part: int, whole: int) -> int | None:
        return round(100 * part / whole) if whole else None

    @property
    def published_pct(self) -> int | None:
        return self.percent(self.published, self.planned)

    @property
    def on_time_pct(self) -> int | None:
        return self.percent(self.on_time, self.due)

    @property
    def at_frequency_pct(self) -> int | None:
        return self.percent(self.at_frequency, self.published)


def figures_for(items: list[PlanItem], actuals: dict[int, Actual] | None = None) -> PlanFigures:
    planned = [item for item in items if item.intent in PUBLISHING_INTENTS]
    actuals = publication_actuals(planned) if actuals is None else actuals
    today = timezone.localdate()
    figures = PlanFigures()
    for item in planned:
        figures.count(item.target_date, actuals[item.pk], today)
    return figures


def figures_by_plan(plans: QuerySet[AccessPlan]) -> list[tuple[AccessPlan, PlanFigures]]:
    """Plan vs actual across agencies, in a constant number of queries."""
    plans = list(plans.select_related("agency"))
    items = list(
        PlanItem.objects.filter(plan__in=plans, intent__in=PUBLISHING_INTENTS).select_related(
            "dataset"
        )
    )
    actuals = publication_actuals(items)
    grouped: dict[int, list[PlanItem]] = defaultdict(list)
    for item in items:
        grouped[item.plan_id].append(item)
    return [(plan, figures_for(grouped[plan.pk], actuals)) for plan in plans]
