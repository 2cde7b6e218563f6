"""The CDO's workspace, the admin's home (docs/adr/0020-cdo-workspace.md): what awaits the Chief
Data Officer, oldest first — inventories and access plans submitted, privacy exceptions waiting
for approval, publications published privately and waiting to be made public.

Each queue costs two queries (its count, and its oldest few) whatever the number of records.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode

from access_plans.choices import PlanStatus
from access_plans.models import AccessPlan
from inventories.choices import InventoryStatus
from inventories.models import Inventory
from privacy.models import PrivacyException
from publishing.models import Kind, Publication, RunStatus, Visibility
from upkeep.models import RetirementStatus

SHOWN = 10  # the oldest entries shown per queue; the count and "all" link give the rest


@dataclass(frozen=True)
class Entry:
    title: str
    agency: str
    url: str
    since: datetime.datetime | None
    note: str = ""


@dataclass(frozen=True)
class Queue:
    key: str
    title: str
    count: int
    entries: list[Entry]
    all_url: str

    @property
    def more(self) -> int:
        return self.count - len(self.entries)


def _admin_list(model: type, **filters: str) -> str:
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


def _queue(
    key: str, title: str, records: QuerySet, entry: Callable[[Any], Entry], all_url: str
) -> Queue:
    return Queue(key, title, records.count(), [entry(r) for r in records[:SHOWN]], all_url)


def _oldest(records: QuerySet, field: str) -> QuerySet:
    return records.order_by(F(field).asc(nulls_first=True), "pk")


def inventories_submitted() -> Queue:
    records = _oldest(Inventory.objects.awaiting_review().select_related("agency"), "submitted_at")
    return _queue(
        "inventories",
        "Inventories submitted",
        records,
        lambda i: Entry(
            f"{i.year} inventory",
            i.agency.name,
            reverse("inventories:review", args=[i.agency.slug, i.year]),
            i.submitted_at,
        ),
        _admin_list(Inventory, status__exact=InventoryStatus.SUBMITTED),
    )


def _plan_note(plan: AccessPlan) -> str:
    latest = plan.current_recommendations[-1] if plan.current_recommendations else None
    status = plan.get_status_display()
    return f"{status}; DAPA: {latest.get_recommendation_display()}" if latest else status


def plans_submitted() -> Queue:
    records = _oldest(
        AccessPlan.objects.awaiting_review().select_related("agency").with_recommendations(),
        "submitted_at",
    )
    return _queue(
        "plans",
        "Access plans submitted",
        records,
        lambda p: Entry(
            f"{p.year} access plan, version {p.version}",
            p.agency.name,
            reverse("access_plans:review", args=[p.agency.slug, p.year]),
            p.submitted_at,
            _plan_note(p),
        ),
        _admin_list(AccessPlan, status__in=f"{PlanStatus.SUBMITTED},{PlanStatus.IN_REVIEW}"),
    )


def privacy_exceptions_pending() -> Queue:
    records = _oldest(
        PrivacyException.objects.filter(approved_at__isnull=True).select_related(
            "publication__dataset", "publication__agency"
        ),
        "requested_at",
    )
    return _queue(
        "privacy_exceptions",
        "Privacy exceptions requested",
        records,
        lambda e: Entry(
            e.publication.dataset.title,
            e.publication.agency.name,
            reverse("privacy:screen", args=[e.screen_id]),
            e.requested_at,
        ),
        _admin_list(PrivacyException, approved="no"),
    )


def waiting_to_go_public() -> QuerySet[Publication]:
    """Published privately, last run succeeded, not public yet (Handbook step 5); an asset
    being retired, or retired, is private on purpose."""
    retiring = [s for s in RetirementStatus.values if s != RetirementStatus.CANCELLED]
    return (
        Publication.objects.filter(
            visibility=Visibility.PRIVATE, last_run__status=RunStatus.SUCCEEDED
        )
        .exclude(portal_id="")
        .exclude(kind=Kind.EXTERNAL)
        .exclude(retirements__status__in=retiring)
        .select_related("dataset", "agency", "last_run")
    )


def publications_to_make_public() -> Queue:
    return _queue(
        "publications",
        "Published privately, waiting to be made public",
        _oldest(waiting_to_go_public(), "last_run__finished_at"),
        lambda p: Entry(
            p.dataset.title, p.agency.name, p.get_absolute_url(), p.last_run.finished_at
        ),
        _admin_list(Publication, visibility__exact=Visibility.PRIVATE),
    )


def cdo_queues() -> list[Queue]:
    return [
        inventories_submitted(),
        plans_submitted(),
        privacy_exceptions_pending(),
        publications_to_make_public(),
    ]


def admin_index_panel(request: HttpRequest) -> dict[str, Iterable[Queue]]:
    """Registered on the admin site by ProgramConfig.ready(): the queues above the app list."""
    if not request.user.has_perm("program.view_workspace"):
        return {}
    return {"workspace": cdo_queues()}
