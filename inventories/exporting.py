"""Inventory export in exactly the template's columns (inventories.spreadsheet.COLUMNS)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from inventories.models import Dataset
from inventories.spreadsheet import COLUMNS, Column, write_csv, write_xlsx
from inventories.template import write_template


def _cell(dataset: Dataset, column: Column) -> Any:
    if column.kind == "criteria":
        return ";".join(dataset.criteria)
    value = getattr(dataset, column.field)
    if column.kind == "bool":
        return "yes" if value else "no"
    if column.kind == "uid":
        return str(value)
    if column.kind == "choice" and value:
        return getattr(dataset, f"get_{column.field}_display")()
    return "" if value is None else value


def export_rows(datasets: Iterable[Dataset]) -> list[list[Any]]:
    return [[_cell(dataset, column) for column in COLUMNS] for dataset in datasets]


def export_csv(datasets: Iterable[Dataset]) -> bytes:
    handle = io.StringIO(newline="")
    write_csv(export_rows(datasets), handle)
    # A BOM so Excel opens the UTF-8 file with the right characters.
    return ("\ufeff" + handle.getvalue()).encode("utf-8")


def export_xlsx(datasets: Iterable[Dataset], *, with_hints: bool = False) -> bytes:
    handle = io.BytesIO()
    if with_hints:  # the template: drop-down lists, the criteria, an example (#16)
        write_template(export_rows(datasets), handle)
    else:
        write_xlsx(export_rows(datasets), handle)
    return handle.getvalue()
