"""A plan version's JSON snapshot, and the field-by-field diff of two snapshots.

Snapshots hold display values (labels, names, ISO dates), so a diff reads as the reviewer saw it
and stays readable after choices or people change."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from access_plans.models import AccessPlan, PlanItem

ITEM_FIELDS = [
    f.name
    for f in PlanItem._meta.concrete_fields
    if f.name not in {"id", "plan", "dataset", "created_at", "updated_at"}
]
LABELS = {f.name: str(f.verbose_name) for f in PlanItem._meta.concrete_fields}


def _value(item: PlanItem, name: str) -> Any:
    if name == "owner":
        return item.owner_name
    getter = getattr(item, f"get_{name}_display", None)
    value = getter() if getter and getattr(item, name) else getattr(item, name)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return ""
    return value if isinstance(value, int | str) else str(value)


def item_snapshot(item: PlanItem) -> dict[str, Any]:
    return {
        "title": item.dataset.title,
        **{name: _value(item, name) for name in ITEM_FIELDS},
    }


def plan_snapshot(plan: AccessPlan, items: list[PlanItem]) -> dict[str, Any]:
    """Items are keyed by the dataset's stable uid, so renaming a dataset is a change, not a
    removal and an addition."""
    return {
        "agency": plan.agency.name,
        "year": plan.year,
        "items": {str(item.dataset.uid): item_snapshot(item) for item in items},
    }


@dataclass
class FieldChange:
    label: str
    old: Any
    new: Any


@dataclass
class VersionDiff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[tuple[str, list[FieldChange]]] = field(default_factory=list)
    unchanged: int = 0

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def diff_snapshots(old: dict[str, Any] | None, new: dict[str, Any]) -> VersionDiff:
    """Items added, removed and changed (field by field) from `old` to `new`."""
    before = (old or {}).get("items", {})
    after = new.get("items", {})
    diff = VersionDiff()
    diff.added = sorted(after[uid]["title"] for uid in after if uid not in before)
    diff.removed = sorted(before[uid]["title"] for uid in before if uid not in after)
    for uid, values in sorted(after.items(), key=lambda pair: pair[1]["title"]):
        if uid not in before:
            continue
        names = [n for n in ["title", *ITEM_FIELDS] if before[uid].get(n) != values.get(n)]
        if not names:
            diff.unchanged += 1
            continue
        changes = [
            FieldChange(LABELS.get(n, n), before[uid].get(n, ""), values.get(n, "")) for n in names
        ]
        diff.changed.append((values["title"], changes))
    return diff
