"""Spreadsheet import: clear errors by row and column, all-or-nothing commits, safe exports."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from inventories import importer
from inventories.exporting import export_csv, export_xlsx
from inventories.importer import commit_import, preview_import
from inventories.models import Dataset, InventoryImport
from inventories.spreadsheet import HEADERS

GOOD_CSV = (
    "Title,High-value criteria,Access level,Category,Available now,Portal ID\n"
    "Foster homes by town,B;C,public,Health and Human Services,CT Open Data Portal,abcd-1234\n"
    "Adoption statistics,A,public,,Not available,\n"
)


def _preview(inventory, content, name="file.csv"):
    raw = content.encode("utf-8") if isinstance(content, str) else content
    return preview_import(inventory=inventory, raw=raw, filename=name)


def _messages(preview):
    return [str(error) for error in preview.errors]


def _xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    handle = io.BytesIO()
    workbook.save(handle)
    return handle.getvalue()


def test_good_csv_previews_then_commits(inventory_a, ado_a):
    preview = _preview(inventory_a, GOOD_CSV)
    assert preview.ok, _messages(preview)
    assert [row.status for row in preview.rows] == ["new", "new"]
    assert preview.kept == 2
    assert commit_import(inventory=inventory_a, preview=preview, acting_user=ado_a) == (2, 0)
    foster = inventory_a.datasets.get(title="Foster homes by town")
    assert foster.criteria == ["B", "C"]
    assert foster.portal_id == "abcd-1234"
    assert foster.history.latest().history_user == ado_a


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_reimports_unchanged(inventory_a, fmt):
    datasets = inventory_a.datasets.order_by("title")
    raw = export_csv(datasets) if fmt == "csv" else export_xlsx(datasets)
    preview = _preview(inventory_a, raw, f"export.{fmt}")
    assert preview.ok, _messages(preview)
    assert [row.status for row in preview.rows] == ["unchanged", "unchanged"]


def test_changed_rows_list_their_fields_and_update_in_place(inventory_a, ado_a):
    raw = export_csv(inventory_a.datasets.order_by("title")).decode("utf-8-sig")
    raw = raw.replace("Monthly", "Weekly", 1)
    preview = _preview(inventory_a, raw)
    assert preview.ok, _messages(preview)
    changed = [row for row in preview.rows if row.status == "changed"]
    assert len(changed) == 1
    assert changed[0].changes == ["update_frequency"]
    ids = set(inventory_a.datasets.values_list("pk", flat=True))
    assert commit_import(inventory=inventory_a, preview=preview, acting_user=ado_a) == (0, 1)
    assert set(inventory_a.datasets.values_list("pk", flat=True)) == ids
    assert inventory_a.datasets.filter(update_frequency="Weekly").count() == 1


def test_template_has_exactly_the_export_columns():
    workbook = load_workbook(io.BytesIO(export_xlsx([], with_hints=True)))
    assert [cell.value for cell in workbook["Inventory"][1]] == HEADERS
    assert workbook["How to fill it in"].max_row == len(HEADERS) + 1
    assert export_csv([]).decode("utf-8-sig").strip() == ",".join(HEADERS)


def test_every_error_names_its_row_and_column(inventory_a):
    content = (
        "Title,High-value criteria,Access level,Category,Portal ID,Available now,"
        "Source link,Notes\n"
        ",A,public,,,,,\n"
        "Second,Z,secret,Sports,,,,\n"
        "Third,A,non-public,,ABCD,CT Open Data Portal,not a url,\n"
        "Fourth,A,public,,,,,\n"
        "fourth,A,public,,,,,\n"
    )
    messages = _messages(_preview(inventory_a, content))
    assert (
        "row 1, column 'Notes': unknown column: rename it to a template column or remove it"
        in messages
    )
    assert "row 2, column 'Title': This field is required." in messages
    assert "row 3, column 'High-value criteria': Z: criteria are the letters A to H" in messages
    assert any(
        m.startswith("row 3, column 'Access level': 'secret' is not one of") for m in messages
    )
    assert any(m.startswith("row 3, column 'Category': 'Sports' is not one of") for m in messages)
    assert any(m.startswith("row 4, column 'Reason not public'") for m in messages)
    assert any(m.startswith("row 4, column 'Portal ID'") and "abcd-1234" in m for m in messages)
    assert "row 4, column 'Source link': Enter a valid URL." in messages
    assert "row 6, column 'Title': duplicate title: row 5" in messages


def test_file_with_errors_writes_nothing(inventory_a, ado_a):
    before = Dataset.objects.count()
    preview = _preview(inventory_a, GOOD_CSV + "Bad row,Q,public,,,\n")
    assert not preview.ok
    with pytest.raises(Exception, match="nothing was imported"):
        commit_import(inventory=inventory_a, preview=preview, acting_user=ado_a)
    assert Dataset.objects.count() == before


def test_a_failure_during_commit_rolls_everything_back(inventory_a, ado_a, monkeypatch):
    raw = export_csv(inventory_a.datasets.order_by("title")).decode("utf-8-sig")
    raw = raw.replace("Monthly", "Weekly") + '",Brand new dataset,,,,,,A,public' + "\n"
    raw = raw.replace('",Brand new', ",Brand new")
    preview = _preview(inventory_a, raw)
    assert preview.ok, _messages(preview)

    def explode(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(importer.bulk, "update_datasets", explode)
    with pytest.raises(RuntimeError):
        commit_import(inventory=inventory_a, preview=preview, acting_user=ado_a)
    assert not inventory_a.datasets.filter(title="Brand new dataset").exists()
    assert not inventory_a.datasets.filter(update_frequency="Weekly").exists()


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (b"", "empty.csv", "The file is empty."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image.csv", "binary data"),
        ("Title\nCafé".encode("utf-16"), "utf16.csv", "UTF-16"),
        (b"PK\x03\x04garbage", "broken.xlsx", "not a readable XLSX workbook"),
        (b"Title,Access level\n", "header-only.csv", "header but no datasets"),
        (b'Title\n"unclosed', "quote.csv", "malformed"),
        (
            b"Title,Access level\nA,public,extra,cells\n",
            "ragged.csv",
            "row 2: 4 cells, but the header has 2",
        ),
        (b"anything", "notes.pdf", "Upload a .csv or .xlsx file."),
    ],
)
def test_bad_files_get_clear_errors(inventory_a, content, name, expected):
    preview = _preview(inventory_a, content, name)
    assert not preview.ok
    assert any(expected in message for message in _messages(preview)), _messages(preview)


def test_windows_1252_is_detected(inventory_a):
    content = "Title,High-value criteria,Access level\nCafé inspections,A,public\n"
    preview = _preview(inventory_a, content.encode("cp1252"))
    assert preview.ok, _messages(preview)
    assert preview.rows[0].title == "Café inspections"


def test_utf8_bom_is_handled(inventory_a):
    content = "\ufeffTitle,High-value criteria,Access level\nBOM dataset,A,public\n"
    assert _preview(inventory_a, content).ok


def test_huge_files_are_refused_before_parsing(inventory_a):
    preview = _preview(inventory_a, GOOD_CSV + "x" * 50 * 1024 * 1024)
    assert _messages(preview) == ["file: the file is 50.0\xa0MB; the limit is 20.0\xa0MB"]
    assert not preview.rows


def test_another_agencys_ids_are_refused(inventory_a, inventory_b):
    foreign = inventory_b.datasets.get()
    content = f"ctodp ID,Title,High-value criteria,Access level\n{foreign.uid},Hijack,A,public\n"
    messages = _messages(_preview(inventory_a, content))
    assert messages == [
        f"row 2, column 'ctodp ID': '{foreign.uid}' is not a dataset of this inventory"
    ]
    foreign.refresh_from_db()
    assert foreign.title == "Beta secrets"


def test_formula_and_injection_strings_are_kept_as_text_and_neutralised(inventory_a, ado_a):
    content = (
        "Title,High-value criteria,Access level,Description\n"
        '"=HYPERLINK(""http://evil"",""x"")",A,public,"\'; DROP TABLE inventories_dataset; --"\n'
        "@SUM(A1),A,public,<script>alert(1)</script>\n"
    )
    preview = _preview(inventory_a, content)
    assert preview.ok, _messages(preview)
    commit_import(inventory=inventory_a, preview=preview, acting_user=ado_a)
    formula = inventory_a.datasets.get(title__startswith="=HYPERLINK")
    assert formula.description == "'; DROP TABLE inventories_dataset; --"
    exported = export_csv(inventory_a.datasets.order_by("title")).decode("utf-8-sig")
    assert "'=HYPERLINK" in exported
    assert "'@SUM(A1)" in exported
    workbook = load_workbook(io.BytesIO(export_xlsx(inventory_a.datasets.all())))
    values = [cell.value for row in workbook.active.iter_rows() for cell in row]
    assert not any(isinstance(v, str) and v.startswith(("=", "@", "+", "-")) for v in values)
    again = _preview(inventory_a, exported)
    assert {row.status for row in again.rows} == {"unchanged"}, _messages(again)


def test_xlsx_with_typed_cells_is_read(inventory_a):
    raw = _xlsx(
        [
            ["Title", "High-value criteria", "Access level", "Machine-readable", "Requests a year"],
            ["Typed cells", "A", "public", True, 120.0],
        ]
    )
    preview = _preview(inventory_a, raw, "typed.xlsx")
    assert preview.ok, _messages(preview)
    assert preview.rows[0].values["machine_readable"] is True
    assert preview.rows[0].values["requests_per_year"] == 120


def test_command_prints_errors_and_writes_only_with_commit(inventory_a, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("Title,High-value criteria,Access level\nX,Q,public\n")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_inventory", "alpha", "2026", str(bad), "--commit")
    assert "row 2, column 'High-value criteria'" in capsys.readouterr().err
    good = tmp_path / "good.csv"
    good.write_text(GOOD_CSV)
    call_command("import_inventory", "alpha", "2026", str(good))
    assert not inventory_a.datasets.filter(title="Adoption statistics").exists()
    call_command("import_inventory", "alpha", "2026", str(good), "--commit")
    assert inventory_a.datasets.filter(title="Adoption statistics").exists()
    assert "Imported: 2 added, 0 updated." in capsys.readouterr().out


def test_export_command_round_trips(inventory_a, tmp_path):
    out = tmp_path / "out.xlsx"
    call_command("export_inventory", "alpha", "2026", str(out))
    preview = _preview(inventory_a, out.read_bytes(), "out.xlsx")
    assert [row.status for row in preview.rows] == ["unchanged", "unchanged"]
    with pytest.raises(CommandError, match="No 2030 inventory"):
        call_command("export_inventory", "alpha", "2030", str(out))


def test_upload_preview_and_commit_in_the_browser_flow(client, inventory_a, ado_a):
    client.force_login(ado_a)
    url = reverse("inventories:import", args=["alpha", 2026])
    upload = SimpleUploadedFile("mine.csv", GOOD_CSV.encode(), content_type="text/csv")
    response = client.post(url, {"file": upload})
    record = InventoryImport.objects.get()
    assert response.url == reverse("inventories:import_preview", args=["alpha", 2026, record.pk])
    page = client.get(response.url)
    assert "2 rows read: 2 new, 0 changed, 0 unchanged." in page.content.decode()
    assert not inventory_a.datasets.filter(title="Adoption statistics").exists()
    client.post(response.url)
    record.refresh_from_db()
    assert record.committed_at is not None
    assert record.rows_created == 2
    assert inventory_a.datasets.filter(title="Adoption statistics").exists()
    assert client.get(response.url).status_code == 404  # a committed import cannot run twice


def test_oversized_upload_is_refused_with_a_message(client, inventory_a, ado_a, settings):
    settings.CTODP_MAX_UPLOAD_BYTES = 10 * 1024
    client.force_login(ado_a)
    upload = SimpleUploadedFile("big.csv", b"Title\n" + b"x" * 20 * 1024)
    response = client.post(reverse("inventories:import", args=["alpha", 2026]), {"file": upload})
    assert response.status_code == 200
    assert (
        "the limit is 0 MB" in response.content.decode() or "limit is" in response.content.decode()
    )
    assert not InventoryImport.objects.exists()


def test_an_upload_is_parsed_once_however_often_its_preview_is_seen(
    client, inventory_a, ado_a, monkeypatch
):
    # Issue #15.6: a large workbook was parsed again on every view of its preview.
    from inventories import importer

    parsed = []
    real = importer.read_rows
    monkeypatch.setattr(importer, "read_rows", lambda *a, **k: parsed.append(1) or real(*a, **k))
    client.force_login(ado_a)
    upload = SimpleUploadedFile("inventory.csv", GOOD_CSV.encode(), "text/csv")
    answer = client.post("/inventories/alpha/2026/import/", {"file": upload})
    preview_url = answer.url
    for _ in range(3):
        page = client.get(preview_url)
        assert page.context["preview"].ok
    assert client.post(preview_url).status_code == 302  # the commit reads the same rows
    assert len(parsed) == 1
    assert InventoryImport.objects.get(inventory=inventory_a).committed_at is not None
