"""Whether each publication is fresh, stale or failing, in one query for all of them.

Staleness is upkeep.freshness's (ADR 0009): the latest of the last successful run and the
portal's data_updated_at for the publication's asset (portal sync), against the declared update
frequency with a grace period. External links are left out; publications without either date,
and datasets without a regular frequency, are neither fresh nor stale.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from publishing.models import Kind, Publication, RunStatus
from upkeep import freshness
from upkeep.models import PortalAsset


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
    portal_updated_at: datetime.datetime | None = None
    # The last check and the moment it was for: a page asks each state several times at once.
    _checked: tuple[datetime.datetime, freshness.FreshnessCheck] | None = field(
        default=None, repr=False, compare=False
    )

    @property
    def failing(self) -> bool:
        return self.last_run_status == RunStatus.FAILED

    @property
    def last_updated(self) -> datetime.datetime | None:
        return freshness.latest(self.last_success, self.portal_updated_at)

    def check(self, now: datetime.datetime) -> freshness.FreshnessCheck:
        if self._checked is None or self._checked[0] != now:
            self._checked = (now, freshness.check(self.update_frequency, self.last_updated, now))
        return self._checked[1]

    @property
    def overdue_since(self) -> datetime.datetime | None:
        """When the next refresh was due, by the declared frequency (None: no expectation)."""
        return self.check(timezone.now()).due_at

    def is_stale(self, now: datetime.datetime) -> bool:
        return self.check(now).state == freshness.Freshness.STALE

    def is_going_stale(self, now: datetime.datetime) -> bool:
        """Due soon or stale: reminders warn from the last fifth of the interval on."""
        state = self.check(now).state
        return state in (freshness.Freshness.DUE_SOON, freshness.Freshness.STALE)

    @property
    def fresh_label(self) -> str:
        return "failing" if self.failing else "stale" if self.is_stale(timezone.now()) else "ok"


def publication_states(publications: QuerySet[Publication] | None = None) -> list[PublicationState]:
    publications = Publication.objects.all() if publications is None else publications
    portal = PortalAsset.objects.filter(portal_id=OuterRef("portal_id")).values("data_updated_at")
    rows = (
        publications.exclude(kind=Kind.EXTERNAL)
        .annotate(last_success=Max("runs__finished_at", filter=Q(runs__status=RunStatus.SUCCEEDED)))
        .annotate(portal_updated_at=Subquery(portal[:1]))
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
            "portal_updated_at",
        )
        .order_by("dataset__title", "pk")
    )
    return [PublicationState(*row) for row in rows]
