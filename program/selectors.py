"""The program dashboard: one row per agency, in a fixed number of queries.

Each figure is read for every agency at once (one query per kind of record) and grouped in
Python; nothing here queries per agency or per dataset.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from statistics import mean

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from access_plans import figures_db
from access_plans.choices import PlanStatus
from access_plans.models import AccessPlan
from access_plans.selectors import PlanFigures
from agencies.models import Agency, Membership
from inventories.choices import InventoryStatus
from inventories.models import Dataset, Inventory
from program.freshness import PublicationState, publication_states
from publishing.models import Publication
from upkeep.models import Retirement


def plan_figures(plans: QuerySet[AccessPlan]) -> list[tuple[AccessPlan, PlanFigures]]:
    """Plan vs actual per plan, counted in the database (access_plans/figures_db.py): the same
    figures as access_plans.selectors.figures_by_plan, in two queries whatever the size."""
    return figures_db.figures_by_plan(plans)


@dataclass
class AgencyRow:
    agency: Agency
    ado: Membership | None = None
    inventory: Inventory | None = None
    plan: AccessPlan | None = None
    figures: PlanFigures = field(default_factory=PlanFigures)
    retiring: int = 0
    stale: int = 0
    failing: int = 0
    completeness: int | None = None
    last_activity: datetime.datetime | None = None

    @property
    def inventory_status(self) -> str:
        return self.inventory.status if self.inventory else "none"

    @property
    def inventory_label(self) -> str:
        return self.inventory.get_status_display() if self.inventory else "Not started"

    @property
    def plan_status(self) -> str:
        return self.plan.status if self.plan else "none"

    @property
    def plan_label(self) -> str:
        return self.plan.get_status_display() if self.plan else "Not started"

    @property
    def inventory_overdue(self) -> bool:
        if self.inventory is not None:
            return self.inventory.is_overdue
        return False


def _by_agency(objects) -> dict[int, object]:
    return {obj.agency_id: obj for obj in objects}


def _retiring_counts(ids: list[int]) -> dict[int, int]:
    """Retirements under way (ADR 0010): notice posted or on its way, not cancelled."""
    rows = (
        Retirement.objects.in_progress()
        .filter(agency_id__in=ids)
        .values("agency_id")
        .annotate(n=Count("pk"))
    )
    return {row["agency_id"]: row["n"] for row in rows}


def _completeness(year: int, ids: list[int]) -> dict[int, int]:
    """Each agency's average metadata quality score for the year: one aggregate over the score
    each dataset stores when it is saved (Dataset.metadata_score)."""
    rows = (
        Dataset.objects.filter(inventory__year=year, agency_id__in=ids)
        .values("agency_id")
        .annotate(score=Avg("metadata_score"))
        .order_by()
    )
    return {row["agency_id"]: round(row["score"]) for row in rows}


def _latest(*moments: datetime.datetime | None) -> datetime.datetime | None:
    present = [moment for moment in moments if moment is not None]
    return max(present) if present else None


def _freshness(
    states: list[PublicationState], now: datetime.datetime
) -> dict[int, tuple[int, int, datetime.datetime | None]]:
    """{agency id: (stale, failing, last run)}."""
    result: dict[int, tuple[int, int, datetime.datetime | None]] = {}
    for state in states:
        stale, failing, last = result.get(state.agency_id, (0, 0, None))
        result[state.agency_id] = (
            stale + state.is_stale(now),
            failing + state.failing,
            _latest(last, state.last_run_at),
        )
    return result


def dashboard_rows(
    year: int,
    agencies: QuerySet[Agency] | None = None,
    states: list[PublicationState] | None = None,
    plan_results: list[tuple[AccessPlan, PlanFigures]] | None = None,
    now: datetime.datetime | None = None,
) -> list[AgencyRow]:
    """Every active agency's figures for the year (or those of `agencies`), as of `now`."""
    now = now or timezone.now()
    agencies = Agency.objects.active() if agencies is None else agencies
    agencies = list(agencies.with_ado().order_by("name"))
    ids = [agency.pk for agency in agencies]
    inventories = _by_agency(
        Inventory.objects.filter(year=year, agency_id__in=ids).select_related("agency")
    )
    if plan_results is None:
        plan_results = plan_figures(AccessPlan.objects.filter(year=year, agency_id__in=ids))
    figures = {plan.agency_id: (plan, figs) for plan, figs in plan_results if plan.year == year}
    retiring = _retiring_counts(ids)
    completeness = _completeness(year, ids)
    if states is None:
        states = publication_states(Publication.objects.filter(agency_id__in=ids))
    freshness = _freshness(states, now)
    rows = []
    for agency in agencies:
        plan, figs = figures.get(agency.pk, (None, PlanFigures()))
        inventory = inventories.get(agency.pk)
        stale, failing, last_run = freshness.get(agency.pk, (0, 0, None))
        row = AgencyRow(agency, agency.current_ado(), inventory, plan, figs)
        row.retiring, row.stale, row.failing = retiring.get(agency.pk, 0), stale, failing
        row.completeness = completeness.get(agency.pk)
        row.last_activity = _latest(
            inventory.updated_at if inventory else None, plan.updated_at if plan else None, last_run
        )
        rows.append(row)
    return rows


@dataclass
class Totals:
    agencies: int = 0
    with_ado: int = 0
    inventory_accepted: int = 0
    plan_approved: int = 0
    planned: int = 0
    published: int = 0
    stale: int = 0
    failing: int = 0
    retiring: int = 0
    completeness: int | None = None


def totals(rows: list[AgencyRow]) -> Totals:
    scores = [row.completeness for row in rows if row.completeness is not None]
    return Totals(
        agencies=len(rows),
        with_ado=sum(row.ado is not None for row in rows),
        inventory_accepted=sum(row.inventory_status == InventoryStatus.ACCEPTED for row in rows),
        plan_approved=sum(row.plan_status == PlanStatus.APPROVED for row in rows),
        planned=sum(row.figures.planned for row in rows),
        published=sum(row.figures.published for row in rows),
        stale=sum(row.stale for row in rows),
        failing=sum(row.failing for row in rows),
        retiring=sum(row.retiring for row in rows),
        completeness=round(mean(scores)) if scores else None,
    )


def status_counts(rows: list[AgencyRow]) -> dict[str, Counter]:
    """Filings by status: how many agencies are at each inventory and plan status."""
    return {
        "inventory": Counter(row.inventory_label for row in rows),
        "plan": Counter(row.plan_label for row in rows),
    }


def planned_vs_published_by_year(
    plan_results: list[tuple[AccessPlan, PlanFigures]] | None = None,
) -> list[tuple[int, int, int]]:
    """(year, planned, published) over every plan year, statewide, drafts left out."""
    if plan_results is None:
        plan_results = plan_figures(AccessPlan.objects.exclude(status=PlanStatus.DRAFT))
    by_year: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for plan, figures in plan_results:
        if plan.status == PlanStatus.DRAFT:
            continue
        by_year[plan.year][0] += figures.planned
        by_year[plan.year][1] += figures.published
    return [(year, *by_year[year]) for year in sorted(by_year)]


def dashboard_plan_figures(year: int) -> list[tuple[AccessPlan, PlanFigures]]:
    """The plans the dashboard reads, in one pass: the year's (any status, for the table) and
    every submitted one (for the chart over the years)."""
    plans = AccessPlan.objects.filter(Q(year=year) | ~Q(status=PlanStatus.DRAFT))
    return plan_figures(plans.filter(agency__is_active=True))


def default_year() -> int:
    latest = Inventory.objects.order_by("-year").values_list("year", flat=True).first()
    return latest or timezone.localdate().year
