"""The work queues: what waits for the CDO and DAPA, oldest first. Fixed query counts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import F
from django.utils import timezone

from access_plans.choices import PUBLISHING_INTENTS, PlanStatus
from access_plans.models import AccessPlan, PlanItem
from access_plans.selectors import publication_actuals
from inventories.models import Inventory
from program.freshness import PublicationState, publication_states
from upkeep.models import Retirement


@dataclass
class Waiting:
    kind: str
    title: str
    url: str
    status: str
    submitted_at: datetime.datetime | None
    agency: str = ""  # slug (the API filters on it)


def _waiting(kind: str, record: Inventory | AccessPlan) -> Waiting:
    url, status = record.get_absolute_url(), record.get_status_display()
    return Waiting(kind, str(record), url, status, record.submitted_at, record.agency.slug)


def review_queue() -> list[Waiting]:
    """Inventories and plans waiting for review, oldest submission first."""
    inventories = Inventory.objects.awaiting_review().select_related("agency")
    plans = AccessPlan.objects.awaiting_review().select_related("agency")
    waiting = [_waiting("Inventory", i) for i in inventories] + [
        _waiting("Access plan", p) for p in plans
    ]
    oldest = datetime.datetime.max.replace(tzinfo=datetime.UTC)
    return sorted(waiting, key=lambda entry: entry.submitted_at or oldest)


def _approved_items(intents) -> list[PlanItem]:
    return list(
        PlanItem.objects.filter(plan__status=PlanStatus.APPROVED, intent__in=intents)
        .select_related("dataset", "plan__agency")
        .order_by("target_date", "pk")
    )


def overdue_plan_items(today: datetime.date | None = None) -> list[PlanItem]:
    """Approved items to publish whose target date has passed without publication."""
    today = today or timezone.localdate()
    items = [
        i for i in _approved_items(PUBLISHING_INTENTS) if i.target_date and i.target_date < today
    ]
    actuals = publication_actuals(items)
    return [item for item in items if actuals[item.pk].published_on is None]


def retirements() -> list[Retirement]:
    """Retirements under way (ADR 0010), the soonest to go private first."""
    return list(
        Retirement.objects.in_progress()
        .select_related("agency", "publication__dataset")
        .order_by(F("due_at").asc(nulls_last=True), "started_at", "pk")
    )


@dataclass
class Queues:
    review: list[Waiting]
    failing: list[PublicationState]
    stale: list[PublicationState]
    overdue_items: list[PlanItem]
    retiring: list[Retirement]


def all_queues() -> Queues:
    now = timezone.now()
    states = publication_states()
    stale = sorted((s for s in states if s.is_stale(now)), key=lambda s: s.overdue_since)
    failing = sorted((s for s in states if s.failing), key=lambda s: s.last_run_at or now)
    return Queues(review_queue(), failing, stale, overdue_plan_items(), retirements())
