"""The template workbook (#16): drop-down lists for every enumeration, the §4-67o criteria spelled
out, an example that is never imported; and the preview names fields as the spreadsheet does."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from inventories.exporting import export_csv, export_xlsx
from inventories.forms import DatasetForm
from inventories.importer import preview_import
from inventories.models import Dataset
from inventories.spreadsheet import COLUMNS, HEADERS

# The statute's words (CGS §4-67o, shared/DOMAIN.md), typed here rather than read from the code.
STATUTE = [
    "critical to the operation of an executive branch agency",
    "increase agency accountability and responsiveness",
    "improve public knowledge of the agency and its operations",
    "further the core mission of the agency",
    "create economic opportunity",
    "frequently requested by the public",
    "responds to a need and demand identified through public consultation",
    "legislative or other reporting requirements",
]


@pytest.fixture
def template(client, ado_a):
    client.force_login(ado_a)
    response = client.get(reverse("inventories:template", args=["xlsx"]))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def _drop_downs(workbook) -> dict[str, tuple[list[str], bool]]:
    """Header -> (the values its drop-down offers, whether other values are refused)."""
    sheet, found = workbook["Inventory"], {}
    for check in sheet.data_validations.dataValidation:
        assert check.type == "list"
        sheet_name, cells = check.formula1.split("!")
        first, last = cells.replace("$", "").split(":")
        source = workbook[sheet_name]
        values = [row[0].value for row in source[first:last]]
        column = str(check.sqref).split(":")[0].rstrip("0123456789")
        assert str(check.sqref) == f"{column}2:{column}10001"
        found[sheet[f"{column}1"].value] = (values, bool(check.showErrorMessage))
    return found


def test_every_enumeration_has_a_drop_down_of_its_model_choices(template):
    drop_downs = _drop_downs(template)
    enumerations = [
        name for name in DatasetForm._meta.fields if Dataset._meta.get_field(name).choices
    ]
    assert enumerations  # access level, category, geographic unit, frequency, availability
    for name in enumerations:
        header = next(column.header for column in COLUMNS if column.field == name)
        labels = [str(label) for _, label in Dataset._meta.get_field(name).choices]
        assert drop_downs.pop(header) == (labels, True), header
    for column in COLUMNS:
        if column.kind == "bool":
            assert drop_downs.pop(column.header) == (["yes", "no"], True)
    # Several letters are allowed (B;C): the letters are offered, other text is not refused.
    assert drop_downs.pop("High-value criteria") == (list("ABCDEFGH"), False)
    assert drop_downs == {}
    assert template["Lists"].sheet_state == "hidden"


def test_the_criteria_are_spelled_out_in_the_header_and_on_their_own_sheet(template):
    criteria_column = get_column_letter(HEADERS.index("High-value criteria") + 1)
    comment = template["Inventory"][f"{criteria_column}1"].comment.text.lower()
    rows = template["High-value criteria"].iter_rows(values_only=True)
    sheet = "\n".join(" ".join(str(value) for value in row) for row in rows).lower()
    for letter, words in zip("abcdefgh", STATUTE, strict=True):
        for text in (comment, sheet):
            criterion = text[text.index(f"({letter})") :].split("\n")[0]
            assert words in criterion, (letter, criterion)
    assert "§4-67o" in comment


def test_the_example_is_valid_and_only_on_its_own_sheet(template, inventory_a):
    assert template.sheetnames[0] == "Inventory"
    assert template["Inventory"].max_row == 1
    untouched = io.BytesIO()
    template.save(untouched)
    preview = preview_import(inventory=inventory_a, raw=untouched.getvalue(), filename="t.xlsx")
    assert [str(e) for e in preview.errors] == ["file: the file has a header but no datasets"]

    # The example's row, copied into a file of its own, is accepted as it stands.
    example = Workbook()
    for row in template["Example (not imported)"].iter_rows(values_only=True):
        example.active.append(row)
    copied = io.BytesIO()
    example.save(copied)
    preview = preview_import(inventory=inventory_a, raw=copied.getvalue(), filename="e.xlsx")
    assert preview.ok, [str(e) for e in preview.errors]
    assert [row.status for row in preview.rows] == ["new"]


def test_every_drop_down_value_is_accepted_by_the_import(template, inventory_a):
    drop_downs = _drop_downs(template)
    longest = max(len(values) for values, _ in drop_downs.values())
    headers = ["Title", "High-value criteria", "Reason not public", *drop_downs]
    headers = list(dict.fromkeys(headers))
    rows = []
    for n in range(longest):
        row = {"Title": f"Dataset {n}", "High-value criteria": "A", "Reason not public": "Law"}
        row |= {header: values[n % len(values)] for header, (values, _) in drop_downs.items()}
        row["Available now"] = "Not available"  # the others ask for a link
        rows.append([row[header] for header in headers])
    sheet = Workbook()
    for row in [headers, *rows]:
        sheet.active.append(row)
    raw = io.BytesIO()
    sheet.save(raw)
    preview = preview_import(inventory=inventory_a, raw=raw.getvalue(), filename="v.xlsx")
    assert preview.ok, [str(e) for e in preview.errors][:5]


def test_the_export_keeps_its_plain_columns(inventory_a):
    workbook = load_workbook(io.BytesIO(export_xlsx(inventory_a.datasets.all())))
    assert workbook.sheetnames == ["Inventory"]
    assert [cell.value for cell in workbook["Inventory"][1]] == HEADERS
    assert export_csv([]).decode("utf-8-sig").strip() == ",".join(HEADERS)


def test_the_preview_names_changed_fields_by_their_column(inventory_a):
    raw = export_csv(inventory_a.datasets.order_by("title")).decode("utf-8-sig")
    raw = raw.replace("Monthly", "Weekly", 1).replace(",B;F,", ",B;H,", 1)
    preview = preview_import(inventory=inventory_a, raw=raw.encode(), filename="c.csv")
    changed = [row for row in preview.rows if row.status == "changed"]
    assert [row.changes for row in changed] == [["criterion_f", "criterion_h", "update_frequency"]]
    assert [row.change_labels for row in changed] == [["High-value criteria", "Update frequency"]]
