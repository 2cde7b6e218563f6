"""What an agency has to do this year, for the home page of its ADO, publishers and viewers: the
year's inventory and plan with their status and due dates, what a reviewer returned with comments,
the plan items coming due or overdue, and the one next step (docs/adr/0021-ado-workspace.md)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from access_plans.choices import PUBLISHING_INTENTS, PlanStatus
from access_plans.models import AccessPlan, PlanComment, PlanItem
from access_plans.selectors import publication_actuals
from agencies.models import Agency
from inventories.choices import InventoryStatus
from inventories.models import Inventory, ReviewComment, default_due_date

SOON = datetime.timedelta(days=60)  # plan items whose target falls within this are listed


@dataclass
class NextStep:
    text: str
    url: str = ""  # a link to follow, or
    start: str = ""  # "inventory" / "plan": the start button (a POST form) on the panel


@dataclass
class YearStatus:
    agency: Agency
    year: int
    inventory: Inventory | None
    plan: AccessPlan | None
    inventory_due: datetime.date
    inventory_comments: list[ReviewComment] = field(default_factory=list)
    plan_comments: list[PlanComment] = field(default_factory=list)
    overdue_items: list[PlanItem] = field(default_factory=list)
    upcoming_items: list[PlanItem] = field(default_factory=list)
    may_start_inventory: bool = False
    may_start_plan: bool = False
    next_step: NextStep | None = None


def year_status(user, agency: Agency, year: int | None = None) -> YearStatus:
    year = year or timezone.localdate().year
    inventory = Inventory.objects.filter(agency=agency, year=year).first()
    plan = AccessPlan.objects.filter(agency=agency, year=year).select_related("inventory").first()
    status = YearStatus(
        agency=agency,
        year=year,
        inventory=inventory,
        plan=plan,
        inventory_due=inventory.due_date if inventory else default_due_date(year),
        may_start_inventory=inventory is None
        and user.has_perm("inventories.start_inventory", agency),
        may_start_plan=plan is None and user.has_perm("access_plans.start_plan", agency),
    )
    if inventory and inventory.status == InventoryStatus.RETURNED:
        returned = inventory.comments.filter(created_at__gte=inventory.reviewed_at)
        status.inventory_comments = list(returned.select_related("author", "dataset"))
    if plan and plan.status == PlanStatus.CHANGES_REQUESTED:
        status.plan_comments = list(
            plan.comments.filter(version__number=plan.version).select_related("author")
        )
    if plan:
        _items_by_target(status, plan)
    status.next_step = next_step(status)
    return status


def _items_by_target(status: YearStatus, plan: AccessPlan) -> None:
    """Publishing items not yet published: those past their target, and those due soon."""
    today = timezone.localdate()
    items = list(
        plan.items.filter(intent__in=PUBLISHING_INTENTS, target_date__isnull=False)
        .select_related("dataset")
        .order_by("target_date", "dataset__title")
    )
    actuals = publication_actuals(items)
    waiting = [item for item in items if actuals[item.pk].published_on is None]
    status.overdue_items = [item for item in waiting if item.target_date < today]
    status.upcoming_items = [item for item in waiting if today <= item.target_date <= today + SOON]


def next_step(status: YearStatus) -> NextStep:
    """The first thing left to do: returned work, then what is late, then what comes next."""
    inventory, plan, year = status.inventory, status.plan, status.year
    if inventory and inventory.status == InventoryStatus.RETURNED:
        return NextStep(
            "The reviewer returned the inventory: make the changes asked for and submit it again.",
            url=inventory.get_absolute_url(),
        )
    if plan and plan.status == PlanStatus.CHANGES_REQUESTED:
        return NextStep(
            "The reviewer requested changes to the plan: change the items and resubmit.",
            url=plan.get_absolute_url(),
        )
    if status.overdue_items:
        count = len(status.overdue_items)
        datasets = "dataset" if count == 1 else "datasets"
        return NextStep(
            f"Publish the {count} planned {datasets} past the target date.",
            url=reverse("publishing:list"),
        )
    if inventory is None:
        return NextStep(f"Start the {year} inventory.", start="inventory")
    if inventory.status == InventoryStatus.DRAFT:
        due = f"{status.inventory_due:%B} {status.inventory_due.day}, {status.inventory_due.year}"
        return NextStep(
            f"List the agency's datasets and submit the inventory by {due}.",
            url=inventory.get_absolute_url(),
        )
    if plan is None:
        return NextStep(f"Start the {year} access plan from the inventory.", start="plan")
    if plan.status == PlanStatus.DRAFT:
        return NextStep(
            "Add a plan item for each dataset to publish, then submit the plan.",
            url=plan.get_absolute_url(),
        )
    if plan.is_reviewable or inventory.status == InventoryStatus.SUBMITTED:
        return NextStep("Nothing to do until the reviewer decides.", url=plan.get_absolute_url())
    return NextStep(
        "Publish the planned datasets by their target dates.", url=plan.get_absolute_url()
    )
