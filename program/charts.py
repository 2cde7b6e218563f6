"""Chart data for Chart.js: each chart is a JSON data island plus the same figures as a table."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from program.freshness import PublicationState
from program.selectors import AgencyRow


@dataclass
class Chart:
    slug: str
    title: str
    kind: str  # a Chart.js type
    labels: list[str]
    series: list[tuple[str, list[int]]]
    label_header: str = "Status"

    @property
    def data_id(self) -> str:
        return f"chart-{self.slug}-data"

    def config(self) -> dict[str, Any]:
        """What static/js/charts.js hands to Chart.js."""
        return {
            "type": self.kind,
            "title": self.title,
            "labels": self.labels,
            "datasets": [{"label": name, "data": data} for name, data in self.series],
        }

    def table(self) -> list[tuple[str, list[int]]]:
        """Rows of the accessible data table: one per label, one column per series."""
        return [
            (label, [data[index] for _, data in self.series])
            for index, label in enumerate(self.labels)
        ]


def filings_chart(rows: list[AgencyRow]) -> Chart:
    inventory = Counter(row.inventory_label for row in rows)
    plan = Counter(row.plan_label for row in rows)
    labels = sorted(set(inventory) | set(plan))
    return Chart(
        "filings",
        "Filings by status (agencies)",
        "bar",
        labels,
        [
            ("Inventories", [inventory[label] for label in labels]),
            ("Access plans", [plan[label] for label in labels]),
        ],
    )


def published_chart(by_year: list[tuple[int, int, int]]) -> Chart:
    return Chart(
        "published",
        "Published vs planned, by plan year",
        "line",
        [str(year) for year, _, _ in by_year],
        [
            ("Planned", [planned for _, planned, _ in by_year]),
            ("Published", [published for _, _, published in by_year]),
        ],
        label_header="Year",
    )


def freshness_chart(
    rows: list[AgencyRow], states: list[PublicationState], now: datetime.datetime | None = None
) -> Chart:
    """Each publication counted once, as of `now`: failing first, else stale, else up to date."""
    now = now or timezone.now()
    counts: dict[int, Counter] = {}
    for state in states:
        label = "Failing" if state.failing else "Stale" if state.is_stale(now) else "Up to date"
        counts.setdefault(state.agency_id, Counter())[label] += 1
    shown = [row for row in rows if row.agency.pk in counts]
    series = ["Up to date", "Stale", "Failing"]
    return Chart(
        "freshness",
        "Freshness of publications, by agency",
        "bar",
        [row.agency.acronym or row.agency.name for row in shown],
        [(name, [counts[row.agency.pk][name] for row in shown]) for name in series],
        label_header="Agency",
    )
