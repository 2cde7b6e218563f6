"""The inventory template workbook (#16): the import's columns with drop-down lists for every
enumeration, the statutory criteria spelled out, and an example row on a sheet of its own.

The lists come from the model's choices and COLUMNS, the same definitions the import checks
against, so a value picked from a list is always accepted. The example sits on its own sheet:
the import reads only the first sheet, so the example can never be imported by mistake
(ADR 0022).
"""

from __future__ import annotations

from typing import IO, Any

from django.conf import settings
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from inventories.choices import AccessLevel, Availability, Category, Criterion, UpdateFrequency
from inventories.models import Dataset
from inventories.spreadsheet import COLUMNS, HEADERS, Column, neutralise

SHEET, HOW_TO, CRITERIA, EXAMPLE, LISTS = (
    "Inventory",
    "How to fill it in",
    "High-value criteria",
    "Example (not imported)",
    "Lists",
)
CRITERIA_HEADER = (
    "High-value data (CGS §4-67o): any data the department head determines meets one or more "
    "of these criteria. In the 'High-value criteria' column, write every letter that applies, "
    "separated by ; (for example B;C)."
)
EXAMPLE_ROW = {
    "Title": "Licensed child care programs by town",
    "Description": "Every child care program licensed by the agency, with its capacity and town. "
    "Collected by the licensing division; it does not include unlicensed care.",
    "Program or division": "Licensing Division",
    "Data owner": "Licensing Division",
    "Contact email": "licensing.data@ct.gov",
    "Source system": "Licensing database",
    "High-value criteria": "B;C",
    "Access level": AccessLevel.PUBLIC.label,
    "Unique identifiers": "no",
    "Quasi-identifiers": "no",
    "Sensitive attributes": "no",
    "Category": Category.EDUCATION.label,
    "Update frequency": UpdateFrequency.MONTHLY.label,
    "Temporal coverage": "2015-01-01/2024-12-31",
    "Row label": "Licensed program",
    "Tags": "child care; licensing",
    "Machine-readable": "yes",
    "Available now": Availability.NOT_AVAILABLE.label,
    "Subject to FOI": "yes",
    "Frequently requested": "yes",
    "Requests a year": 24,
}


def allowed_values(column: Column) -> list[str]:
    """What the column's drop-down offers: the labels of an enumeration, yes/no, the letters."""
    if column.kind == "choice":
        return [str(label) for _, label in Dataset._meta.get_field(column.field).choices]
    if column.kind == "bool":
        return ["yes", "no"]
    if column.kind == "criteria":
        return list(Criterion.values)
    return []


def _hint(column: Column) -> str:
    if column.kind == "criteria":
        return "\n".join([CRITERIA_HEADER, *(str(label) for label in Criterion.labels)])
    if column.field == "temporal_coverage":
        return str(Dataset._meta.get_field(column.field).help_text)
    return column.hint


def _validation(column: Column, letter: str, source: str) -> DataValidation:
    last = settings.CTODP_INVENTORY_IMPORT_MAX_ROWS + 1
    if column.kind == "criteria":
        # A drop-down of single letters that still accepts several (B;C): no error message.
        check = DataValidation(type="list", formula1=source, allow_blank=True)
        check.showErrorMessage = False
        check.promptTitle, check.prompt = "Criteria", "Letters A to H, separated by ;"
    else:
        check = DataValidation(type="list", formula1=source, allow_blank=True)
        check.showErrorMessage = True
        check.errorTitle, check.error = column.header, "Choose a value from the list."
    check.showInputMessage = True
    check.add(f"{letter}2:{letter}{last}")
    return check


def write_template(rows: list[list[Any]], handle: IO[bytes]) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET  # the first sheet: the only one the import reads
    sheet.append(HEADERS)
    for row in rows:
        sheet.append([neutralise(value) for value in row])
    lists = workbook.create_sheet(LISTS)
    lists.sheet_state = "hidden"
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        header = sheet[f"{letter}1"]
        header.font = Font(bold=True)
        if _hint(column):
            header.comment = Comment(_hint(column), "ctodp", width=320, height=160)
        values = allowed_values(column)
        if values:
            lists[f"{letter}1"] = column.header
            for number, value in enumerate(values, start=2):
                lists[f"{letter}{number}"] = value
            source = f"{LISTS}!${letter}$2:${letter}${len(values) + 1}"
            sheet.add_data_validation(_validation(column, letter, source))
    sheet.freeze_panes = "B2"
    _how_to(workbook.create_sheet(HOW_TO))
    _criteria(workbook.create_sheet(CRITERIA))
    example = workbook.create_sheet(EXAMPLE)
    example.append(HEADERS)
    example.append([EXAMPLE_ROW.get(header, "") for header in HEADERS])
    workbook.move_sheet(LISTS, offset=len(workbook.sheetnames))
    workbook.save(handle)


def _how_to(notes) -> None:
    notes.append(["Column", "Letter", "What to put there", "Allowed values"])
    for index, column in enumerate(COLUMNS, start=1):
        values = "; ".join(allowed_values(column)) if column.kind != "criteria" else "A to H"
        notes.append([column.header, get_column_letter(index), _hint(column), values])


def _criteria(sheet) -> None:
    sheet.append([CRITERIA_HEADER])
    sheet.append(["Letter", "Criterion"])
    for letter, label in Criterion.choices:
        sheet.append([letter, str(label)])
    sheet.append([])
    sheet.append(
        [f"The '{EXAMPLE}' sheet shows a filled-in row. Only the '{SHEET}' sheet is imported."]
    )
