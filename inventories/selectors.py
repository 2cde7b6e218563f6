"""Reads for the inventory pages and the API (the public catalog's are catalog/selectors.py).

Every queryset here has a fixed number of queries whatever the number of datasets: related rows
come through select_related / prefetch_related, never through per-row lookups.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from inventories.models import Dataset, Inventory
from inventories.services import CONTENT_FIELDS, changed_fields, dataset_values


def api_datasets(visible: QuerySet[Dataset]) -> QuerySet[Dataset]:
    return visible.select_related("agency", "inventory").order_by(
        "agency__name", "-inventory__year", "title", "pk"
    )


def api_inventories(visible: QuerySet[Inventory]) -> QuerySet[Inventory]:
    return (
        visible.select_related("agency")
        .annotate(dataset_count=Count("datasets"))
        .order_by("agency__name", "-year")
    )


# --- Inventory pages ------------------------------------------------------------------------


def inventory_datasets(inventory: Inventory) -> QuerySet[Dataset]:
    return inventory.datasets.annotate(comment_count=Count("comments")).order_by("title")


def previous_inventory(inventory: Inventory) -> Inventory | None:
    return (
        Inventory.objects.filter(agency=inventory.agency, year__lt=inventory.year)
        .order_by("-year")
        .first()
    )


@dataclass
class FieldChange:
    label: str
    old: Any
    new: Any


@dataclass
class YearChanges:
    previous: Inventory | None
    added: list[Dataset] = field(default_factory=list)
    removed: list[Dataset] = field(default_factory=list)
    changed: list[tuple[Dataset, list[FieldChange]]] = field(default_factory=list)
    unchanged: int = 0


def _display(dataset: Dataset, name: str) -> Any:
    getter = getattr(dataset, f"get_{name}_display", None)
    value = getter() if getter else getattr(dataset, name)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value if value not in (None, "") else "—"


def year_over_year(inventory: Inventory) -> YearChanges:
    """Datasets added, removed and changed (field by field) since the previous inventory."""
    previous = previous_inventory(inventory)
    changes = YearChanges(previous=previous)
    current = {d.uid: d for d in inventory.datasets.all()}
    before = {d.uid: d for d in previous.datasets.all()} if previous else {}
    changes.added = sorted((d for u, d in current.items() if u not in before), key=str)
    changes.removed = sorted((d for u, d in before.items() if u not in current), key=str)
    labels = {f.name: f.verbose_name for f in Dataset._meta.fields}
    for uid, dataset in sorted(current.items(), key=lambda item: item[1].title):
        if uid not in before:
            continue
        names = changed_fields(dataset_values(before[uid]), dataset_values(dataset))
        if not names:
            changes.unchanged += 1
            continue
        diffs = [
            FieldChange(str(labels[n]), _display(before[uid], n), _display(dataset, n))
            for n in names
            if n in CONTENT_FIELDS
        ]
        changes.changed.append((dataset, diffs))
    return changes


def with_this_years(agencies: list, records: QuerySet) -> list[tuple]:
    """Each agency with its record of this year (an inventory, or an access plan) if it has one:
    a list page links to it instead of offering to start it again."""
    year = timezone.localdate().year
    existing = {r.agency_id: r for r in records.filter(agency__in=agencies, year=year)}
    return [(agency, existing.get(agency.pk)) for agency in agencies]
