"""A plan as an XLSX workbook: one row per item, every cell neutralised against formulas."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

from access_plans.models import AccessPlan, PlanItem
from access_plans.snapshots import ITEM_FIELDS, LABELS, item_snapshot
from inventories.spreadsheet import neutralise

HEADERS = ["Dataset", "ctodp ID", *[LABELS[name].capitalize() for name in ITEM_FIELDS]]


def item_row(item: PlanItem) -> list[Any]:
    values = item_snapshot(item)
    return [values["title"], str(item.dataset.uid), *[values[name] for name in ITEM_FIELDS]]


def export_xlsx(plan: AccessPlan, items: list[PlanItem]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(f"Access plan {plan.year}")
    sheet.append([neutralise(f"{plan.agency.name} — {plan.year} open data access plan")])
    sheet.append([f"Status: {plan.get_status_display()}", f"Version {plan.version}"])
    sheet.append(HEADERS)
    for item in items:
        sheet.append([neutralise(value) for value in item_row(item)])
    handle = io.BytesIO()
    workbook.save(handle)
    return handle.getvalue()
