"""Any table as CSV or XLSX, every text cell neutralised against spreadsheet formulas."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook

from inventories.spreadsheet import neutralise

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        # XLSX has no time zones: write the local wall-clock time as text, unambiguous in both.
        return value.strftime("%Y-%m-%d %H:%M")
    if value is None:
        return ""
    return neutralise(value)


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    handle = io.StringIO()
    writer = csv.writer(handle)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return handle.getvalue().encode("utf-8-sig")


def xlsx_bytes(title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append(list(headers))
    for row in rows:
        sheet.append([_cell(value) for value in row])
    handle = io.BytesIO()
    workbook.save(handle)
    return handle.getvalue()


def table_response(
    fmt: str, name: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """`fmt` is "csv" or "xlsx" (the URL only routes those two)."""
    if fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(name, headers, rows), content_type=XLSX)
    else:
        response = HttpResponse(csv_bytes(headers, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
