"""Freshness of a dataset against its declared update frequency (ADR 0009).

A dataset was last updated at the latest of: the portal's `data_updated_at` for the assets
linked to it (portal sync), the `modified` time of its Geo Data Portal items (Geo sync, ADR
0029), and the last successful run of its publications. From there:

- **fresh** until the last fifth of the expected interval;
- **due soon** from then until the interval has passed plus a grace period;
- **stale** after that;
- **unknown** when the frequency sets no interval (as needed, other, historical, none) or
  nothing says when the data was last updated.

The grace period is CTODP_FRESHNESS_GRACE (a fraction of the interval), at least
CTODP_FRESHNESS_GRACE_MIN_DAYS: a daily dataset refreshed a few hours late is not stale.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Max, QuerySet
from django.utils import timezone

from inventories.choices import expected_interval
from inventories.models import Dataset

DUE_SOON_SHARE = 0.8  # the last fifth of the interval is "due soon"


class Freshness(models.TextChoices):
    FRESH = "fresh", "Fresh"
    DUE_SOON = "due_soon", "Due soon"
    STALE = "stale", "Stale"
    UNKNOWN = "unknown", "Unknown"


@dataclass(frozen=True)
class FreshnessCheck:
    state: Freshness
    frequency: str
    last_updated: datetime.datetime | None
    interval: datetime.timedelta | None = None
    due_at: datetime.datetime | None = None
    stale_after: datetime.datetime | None = None

    @property
    def label(self) -> str:
        return self.state.label

    @property
    def is_stale(self) -> bool:
        return self.state == Freshness.STALE


def grace_period(interval: datetime.timedelta) -> datetime.timedelta:
    minimum = datetime.timedelta(days=settings.CTODP_FRESHNESS_GRACE_MIN_DAYS)
    return max(interval * settings.CTODP_FRESHNESS_GRACE, minimum)


def check(
    frequency: str, last_updated: datetime.datetime | None, now: datetime.datetime | None = None
) -> FreshnessCheck:
    """The freshness of data declared to change at `frequency` and last updated then."""
    interval = expected_interval(frequency)
    if interval is None or last_updated is None:
        return FreshnessCheck(Freshness.UNKNOWN, frequency, last_updated, interval)
    now = now or timezone.now()
    due_at = last_updated + interval
    stale_after = due_at + grace_period(interval)
    if now > stale_after:
        state = Freshness.STALE
    elif now >= last_updated + interval * DUE_SOON_SHARE:
        state = Freshness.DUE_SOON
    else:
        state = Freshness.FRESH
    return FreshnessCheck(state, frequency, last_updated, interval, due_at, stale_after)


def latest(*moments: datetime.datetime | None) -> datetime.datetime | None:
    present = [moment for moment in moments if moment is not None]
    return max(present) if present else None


@dataclass(frozen=True)
class DatasetFreshness:
    dataset: Dataset  # the newest inventory year's row of the data asset
    portal_updated_at: datetime.datetime | None
    last_run_at: datetime.datetime | None
    check: FreshnessCheck
    geo_updated_at: datetime.datetime | None = None
    geo_item: object | None = None  # the newest Geo Data Portal item of the asset (GeoItem)


def datasets_freshness(
    datasets: QuerySet[Dataset], now: datetime.datetime | None = None
) -> list[DatasetFreshness]:
    """One entry per data asset (uid) among `datasets`, in four queries whatever their number."""
    from publishing.models import PublicationRun, RunStatus
    from upkeep.models import GeoItem, PortalAsset

    now = now or timezone.now()
    rows = datasets.select_related("agency", "inventory").order_by("inventory__year", "pk")
    newest: dict = {}
    for dataset in rows:  # ordered by year, so the newest row of each uid wins
        newest[dataset.uid] = dataset
    uids = datasets.values("uid")
    portal = dict(
        PortalAsset.objects.filter(dataset__uid__in=uids)
        .order_by()
        .values_list("dataset__uid")
        .annotate(Max("data_updated_at"))
    )
    runs = dict(
        PublicationRun.objects.filter(
            status=RunStatus.SUCCEEDED, publication__dataset__uid__in=uids
        )
        .order_by()
        .values_list("publication__dataset__uid")
        .annotate(Max("finished_at"))
    )
    geo: dict = {}
    items = GeoItem.objects.present().filter(dataset__uid__in=uids).order_by("modified_at", "pk")
    for item in items.annotate(uid=models.F("dataset__uid")):  # the newest modified item wins
        geo[item.uid] = item
    result = []
    for uid, dataset in sorted(newest.items(), key=lambda item: item[1].title):
        item = geo.get(uid)
        geo_at = item.modified_at if item else None
        updated = latest(portal.get(uid), runs.get(uid), geo_at)
        result.append(
            DatasetFreshness(
                dataset,
                portal.get(uid),
                runs.get(uid),
                check(dataset.update_frequency, updated, now),
                geo_at,
                item,
            )
        )
    return result


def dataset_freshness(dataset: Dataset) -> DatasetFreshness | None:
    """The freshness of the data asset this row belongs to (every inventory year of it)."""
    same_asset = Dataset.objects.filter(uid=dataset.uid, agency_id=dataset.agency_id)
    found = datasets_freshness(same_asset)
    return found[0] if found else None


def stale_datasets(agency) -> tuple[list[DatasetFreshness], list[DatasetFreshness]]:
    """The agency's stale data assets (most overdue first) and those due soon."""
    entries = datasets_freshness(Dataset.objects.filter(agency=agency))
    stale = [e for e in entries if e.check.state == Freshness.STALE]
    due = [e for e in entries if e.check.state == Freshness.DUE_SOON]
    return (
        sorted(stale, key=lambda e: e.check.due_at),
        sorted(due, key=lambda e: e.check.due_at),
    )
