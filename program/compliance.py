"""The annual compliance report, per agency and statewide, from the dashboard's rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from access_plans.choices import PlanStatus
from agencies.models import Agency
from inventories.choices import InventoryStatus
from program.selectors import AgencyRow, dashboard_rows
from publishing.models import Kind, Publication
from sharing.selectors import OpmStatus, opm_statuses

HEADERS = [
    "Agency",
    "ADO designated",
    "Inventory status",
    "Inventory filed on time",
    "Plan approved",
    "Planned",
    "Published",
    "% published",
    "% on time",
    "% at planned frequency",
    "Publications",
    "Stale",
    "Failing",
    "OPM data sharing agreement",
]


@dataclass
class ComplianceLine:
    row: AgencyRow
    publications: int
    # The agreement with OPM the 2015 legislation requires (ADR 0026): in force, expired, none.
    opm_agreement: str = OpmStatus.NONE

    @property
    def filed_on_time(self) -> bool:
        inventory = self.row.inventory
        if inventory is None or inventory.submitted_at is None:
            return False
        filed = inventory.status in (InventoryStatus.SUBMITTED, InventoryStatus.ACCEPTED)
        return filed and inventory.submitted_at.date() <= inventory.due_date

    @property
    def plan_approved(self) -> bool:
        return self.row.plan_status == PlanStatus.APPROVED

    def values(self) -> list[Any]:
        row, figures = self.row, self.row.figures
        return [
            row.agency.name,
            "yes" if row.ado else "no",
            row.inventory_label,
            "yes" if self.filed_on_time else "no",
            "yes" if self.plan_approved else "no",
            figures.planned,
            figures.published,
            figures.published_pct,
            figures.on_time_pct,
            figures.at_frequency_pct,
            self.publications,
            row.stale,
            row.failing,
            self.opm_agreement,
        ]


def report(year: int, agencies: QuerySet[Agency] | None = None) -> list[ComplianceLine]:
    rows = dashboard_rows(year, agencies)
    counts = dict(
        Publication.objects.filter(agency_id__in=[row.agency.pk for row in rows])
        .exclude(kind=Kind.EXTERNAL)
        .values_list("agency_id")
        .annotate(n=Count("pk"))
        .values_list("agency_id", "n")
    )
    opm = opm_statuses([row.agency for row in rows])
    return [ComplianceLine(row, counts.get(row.agency.pk, 0), opm[row.agency.pk]) for row in rows]


@dataclass
class Summary:
    agencies: int
    with_ado: int
    filed_on_time: int
    plan_approved: int
    planned: int
    published: int
    opm_in_force: int = 0


def summary(lines: list[ComplianceLine]) -> Summary:
    return Summary(
        agencies=len(lines),
        with_ado=sum(line.row.ado is not None for line in lines),
        filed_on_time=sum(line.filed_on_time for line in lines),
        plan_approved=sum(line.plan_approved for line in lines),
        planned=sum(line.row.figures.planned for line in lines),
        published=sum(line.row.figures.published for line in lines),
        opm_in_force=sum(line.opm_agreement == OpmStatus.IN_FORCE for line in lines),
    )
