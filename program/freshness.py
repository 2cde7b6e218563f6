"""Whether each publication is fresh, stale or failing, in one query for all of them.

"Stale" is derived from what exists today: the last successful run of a publication against the
expected interval of the dataset's declared update frequency (inventories.choices). Publications
without a successful run yet, external links and datasets without a regular frequency are
neither fresh nor stale. A portal-side freshness check (catalog sync) does not exist yet.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from inventories.choices import expected_interval
from publishing.models import Kind, Publication, RunStatus


@dataclass
class PublicationState:
    pk: int
    agency_id: int
    title: str
    portal_id: str
    update_frequency: str
    last_success: datetime.datetime | None
    last_run_status: str | None
    last_run_at: datetime.datetime | None
    last_run_id: int | None = None

    @property
    def failing(self) -> bool:
        return self.last_run_status == RunStatus.FAILED

    @property
    def overdue_since(self) -> datetime.datetime | None:
        """When the next refresh was due, by the declared frequency (None: no expectation)."""
        interval = expected_interval(self.update_frequency)
        if interval is None or self.last_success is None:
            return None
        return self.last_success + interval

    def is_stale(self, now: datetime.datetime) -> bool:
        due = self.overdue_since
        return due is not None and now > due

    def is_going_stale(self, now: datetime.datetime) -> bool:
        """In the last fifth of its interval: the refresh is due soon (reminders warn then)."""
        interval = expected_interval(self.update_frequency)
        if interval is None or self.last_success is None:
            return False
        return now > self.last_success + interval * 0.8

    @property
    def fresh_label(self) -> str:
        return "failing" if self.failing else "stale" if self.is_stale(timezone.now()) else "ok"


def publication_states(publications: QuerySet[Publication] | None = None) -> list[PublicationState]:
    publications = Publication.objects.all() if publications is None else publications
    rows = (
        publications.exclude(kind=Kind.EXTERNAL)
        .annotate(last_success=Max("runs__finished_at", filter=Q(runs__status=RunStatus.SUCCEEDED)))
        .values_list(
            "pk",
            "agency_id",
            "dataset__title",
            "portal_id",
            "dataset__update_frequency",
            "last_success",
            "last_run__status",
            "last_run__created_at",
            "last_run_id",
        )
        .order_by("dataset__title", "pk")
    )
    return [PublicationState(*row) for row in rows]
