"""The inventory spreadsheet: its columns, and reading and writing CSV and XLSX safely.

The template, the export and the import share COLUMNS, so an export re-imports unchanged.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from inventories import uploads
from inventories.choices import AccessLevel, Availability


@dataclass(frozen=True)
class Column:
    header: str
    field: str  # a Dataset field, or "criteria"
    kind: str = "text"  # text, bool, choice, criteria, int, uid
    hint: str = ""


COLUMNS: list[Column] = [
    Column("ctodp ID", "uid", "uid", "Leave empty for a new dataset; keep it when re-importing."),
    Column("Title", "title", hint="Required. Plain language; unique within the inventory."),
    Column("Description", "description"),
    Column("Program or division", "program"),
    Column("Data owner", "data_owner"),
    Column("Contact email", "contact_email"),
    Column("Source system", "source_system"),
    Column("High-value criteria", "criteria", "criteria", "Letters A-H, separated by ;"),
    Column("Access level", "access_level", "choice", "; ".join(AccessLevel.values)),
    Column("Reason not public", "access_reason", hint="Required unless public (max 255)."),
    Column("Unique identifiers", "has_unique_identifiers", "bool", "yes / no"),
    Column("Unique identifiers detail", "unique_identifiers_detail"),
    Column("Quasi-identifiers", "has_quasi_identifiers", "bool", "yes / no"),
    Column("Quasi-identifiers detail", "quasi_identifiers_detail"),
    Column("Sensitive attributes", "has_sensitive_attributes", "bool", "yes / no"),
    Column("Sensitive attributes detail", "sensitive_attributes_detail"),
    Column("Category", "category", "choice"),
    Column("Geographic unit", "geographic_unit", "choice"),
    Column("Update frequency", "update_frequency", "choice"),
    Column("Temporal coverage", "temporal_coverage"),
    Column("Row label", "row_label"),
    Column("Tags", "tags", hint="Separated by ;"),
    Column("Source link", "source_link"),
    Column("Format", "data_format"),
    Column("Machine-readable", "machine_readable", "bool", "yes / no"),
    Column("Available now", "availability", "choice", "; ".join(Availability.labels)),
    Column("Portal ID", "portal_id", hint="abcd-1234, when on the CT Open Data Portal"),
    Column("Geo Data Portal URL", "geo_portal_url"),
    Column("Agency website URL", "agency_url"),
    Column("Subject to FOI", "foi_subject", "bool", "yes / no"),
    Column("Shared with other agencies", "shared_with_agencies", "bool", "yes / no"),
    Column("Grant reporting", "grant_reporting", "bool", "yes / no"),
    Column("Trend analysis", "trend_analysis", "bool", "yes / no"),
    Column("Frequently requested", "frequently_requested", "bool", "yes / no"),
    Column("Requests a year", "requests_per_year", "int"),
    Column("High impact", "high_impact", "bool", "yes / no"),
]
HEADERS = [c.header for c in COLUMNS]

# Spreadsheet programs run cells that start with these as formulas.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


class SpreadsheetError(Exception):
    """The file as a whole cannot be read; the message says why, for the person who sent it."""


def neutralise(value: Any) -> Any:
    """Prefix a quote so a spreadsheet shows the text instead of evaluating it."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def unneutralise(value: str) -> str:
    if value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


# --- Reading -------------------------------------------------------------------------------


def decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252; binary files are refused."""
    if b"\x00" in raw[:65536]:
        raise SpreadsheetError(
            "This file is not a text CSV: it contains binary data (or is saved as UTF-16). "
            "Save it as 'CSV UTF-8' or as XLSX."
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as error:
        raise SpreadsheetError(
            f"The file's text encoding is not UTF-8 or Windows-1252 (byte {error.start + 1}). "
            "Save it again as 'CSV UTF-8'."
        ) from error


def read_csv(raw: bytes) -> Iterator[list[str]]:
    text = decode(raw)
    try:
        yield from _capped(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as error:
        raise SpreadsheetError(f"The CSV is malformed: {error}.") from error


def read_xlsx(raw: bytes) -> Iterator[list[str]]:
    try:
        uploads.check_workbook(io.BytesIO(raw))  # before openpyxl expands it (ADR 0017)
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except uploads.UploadRefusedError as error:
        raise SpreadsheetError(str(error)) from error
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as error:
        raise SpreadsheetError(
            "This file is not a readable XLSX workbook. Save it from your spreadsheet program "
            "as 'Excel Workbook (.xlsx)' or as CSV."
        ) from error
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        for row in _capped(rows):
            yield ["" if cell is None else _cell_text(cell) for cell in row]
    finally:
        workbook.close()


def _capped(rows: Iterator) -> Iterator:
    """Stop at the column limit and at CTODP_INVENTORY_IMPORT_MAX_ROWS, whatever the file says."""
    limit = settings.CTODP_INVENTORY_IMPORT_MAX_ROWS
    for number, row in enumerate(rows, start=1):
        if len(row) > settings.CTODP_UPLOAD_MAX_COLUMNS:
            raise SpreadsheetError(
                f"Row {number} has {len(row):,} columns; the limit is "
                f"{settings.CTODP_UPLOAD_MAX_COLUMNS:,} (CTODP_UPLOAD_MAX_COLUMNS)."
            )
        if number > limit + 1:  # the header, then at most `limit` datasets
            raise SpreadsheetError(
                f"The file has more than {limit:,} rows, the limit of an inventory import "
                "(CTODP_INVENTORY_IMPORT_MAX_ROWS)."
            )
        yield row


def _cell_text(cell: Any) -> str:
    if isinstance(cell, bool):
        return "yes" if cell else "no"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def read_rows(raw: bytes, filename: str) -> Iterator[list[str]]:
    """Every row of the first sheet (XLSX) or of the CSV, as lists of strings."""
    if not raw.strip():
        raise SpreadsheetError("The file is empty.")
    if filename.lower().endswith(".xlsx") or raw[:4] == b"PK\x03\x04":
        return read_xlsx(raw)
    if filename.lower().endswith((".csv", ".txt")):
        return read_csv(raw)
    raise SpreadsheetError("Upload a .csv or .xlsx file.")


# --- Writing -------------------------------------------------------------------------------


class _Echo:
    """A file-like object whose write() hands the line back, for streaming csv.writer."""

    def write(self, value: str) -> str:
        return value


def csv_stream(headers: list[str], rows: Iterator[list[Any]], filename: str):
    """A streamed CSV download: a BOM (spreadsheet programs then read UTF-8 right), the header,
    then each row as it is produced. Rows must already be neutralised."""
    from django.http import StreamingHttpResponse

    def lines() -> Iterator[str]:
        writer = csv.writer(_Echo())
        yield "\ufeff" + writer.writerow(headers)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def write_csv(rows: list[list[Any]], handle: IO[str]) -> None:
    writer = csv.writer(handle)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([neutralise(value) for value in row])


def write_xlsx(rows: list[list[Any]], handle: IO[bytes]) -> None:
    """An export (write-only, for large inventories); the template is inventories.template."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Inventory")
    sheet.append(HEADERS)
    for row in rows:
        # Strings are written as strings (never formulas), neutralised for other programs too.
        sheet.append([neutralise(value) for value in row])
    workbook.save(handle)
