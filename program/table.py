"""The dashboard table: its columns (shared by the page and the CSV/XLSX export), filters and
sorting. The rows are already in memory, so filtering and sorting are plain Python."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import QueryDict

from access_plans.choices import PlanStatus
from inventories.choices import InventoryStatus
from program.selectors import AgencyRow


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    value: Callable[[AgencyRow], Any]


def _ado_name(row: AgencyRow) -> str:
    if row.ado is None:
        return ""
    return row.ado.user.get_full_name() or row.ado.user.username


COLUMNS = [
    Column("agency", "Agency", lambda r: r.agency.name),
    Column("ado", "ADO", _ado_name),
    Column("inventory", "Inventory", lambda r: r.inventory_label),
    Column("plan", "Access plan", lambda r: r.plan_label),
    Column("planned", "Planned", lambda r: r.figures.planned),
    Column("published", "Published", lambda r: r.figures.published),
    Column("stale", "Stale", lambda r: r.stale),
    Column("failing", "Failing", lambda r: r.failing),
    Column("retiring", "Retiring", lambda r: r.retiring),
    Column("completeness", "Metadata completeness (%)", lambda r: r.completeness),
    Column("activity", "Last activity", lambda r: r.last_activity),
]
COLUMN_KEYS = {column.key: column for column in COLUMNS}

INVENTORY_FILTERS = [
    ("not_accepted", "Not accepted (any other status)"),
    ("none", "Not started"),
    *InventoryStatus.choices,
]
PLAN_FILTERS = [("none", "Not started"), *PlanStatus.choices]
ADO_FILTERS = [("yes", "ADO designated"), ("no", "No ADO")]


def _keep(row: AgencyRow, params: QueryDict) -> bool:
    inventory, plan, ado = params.get("inventory"), params.get("plan"), params.get("ado")
    query = params.get("q", "").strip().lower()
    if inventory == "not_accepted" and row.inventory_status == InventoryStatus.ACCEPTED:
        return False
    if inventory and inventory != "not_accepted" and row.inventory_status != inventory:
        return False
    if plan and row.plan_status != plan:
        return False
    if ado and (row.ado is not None) != (ado == "yes"):
        return False
    return not query or query in f"{row.agency.name} {row.agency.acronym}".lower()


def _sort_key(column: Column) -> Callable[[AgencyRow], tuple]:
    def key(row: AgencyRow) -> tuple:
        value = column.value(row)
        # Empty values last whatever the direction is, then by value.
        return (value is None or value == "", value if value not in (None, "") else 0)

    return key


def apply(rows: list[AgencyRow], params: QueryDict) -> tuple[list[AgencyRow], str]:
    """Filter, then sort by `sort` (a column key, `-` for descending). Returns the sort used."""
    rows = [row for row in rows if _keep(row, params)]
    sort = params.get("sort", "agency")
    column = COLUMN_KEYS.get(sort.lstrip("-"))
    if column is None:
        return rows, "agency"
    rows.sort(key=_sort_key(column), reverse=sort.startswith("-"))
    return rows, sort


def values(row: AgencyRow) -> list[Any]:
    return [column.value(row) for column in COLUMNS]


def headers(params: QueryDict, sort: str) -> list[dict[str, str]]:
    """Each column's header link: sorts by it, or reverses the order when already sorted by it."""
    result = []
    for column in COLUMNS:
        query = params.copy()
        ascending = sort == column.key
        query["sort"] = f"-{column.key}" if ascending else column.key
        aria = "ascending" if ascending else "descending" if sort == f"-{column.key}" else ""
        result.append({"label": column.label, "query": query.urlencode(), "aria": aria})
    return result
