"""The inventory import against hostile spreadsheets (ADR 0017): refused at upload, before
anything is stored, with a message naming the limit; the preview stops at the caps too."""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inventories.importer import preview_import
from inventories.models import InventoryImport
from tests.hostile_files import wide_csv, xlsx_bomb, xlsx_claiming_rows, xlsx_without_dimension


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.mark.parametrize(
    ("build", "limit"),
    [
        (xlsx_bomb, "(CTODP_XLSX_MAX_RATIO)"),
        (xlsx_claiming_rows, "1,500,000 rows; the limit is 1,000,000 (CTODP_UPLOAD_MAX_ROWS)"),
        (wide_csv, "100,000 columns; the limit is 1,000 (CTODP_UPLOAD_MAX_COLUMNS)"),
    ],
)
def test_a_hostile_spreadsheet_is_refused_at_upload(
    client, tmp_path, media, inventory_a, ado_a, build, limit
):
    hostile = build(tmp_path)
    client.force_login(ado_a)
    started = time.process_time()  # CPU seconds: load on the machine does not count
    upload = SimpleUploadedFile(hostile.name, hostile.read_bytes())
    page = client.post(reverse("inventories:import", args=["alpha", 2026]), {"file": upload})
    assert time.process_time() - started < 2
    assert page.status_code == 200
    assert limit in page.content.decode()
    assert not InventoryImport.objects.exists()
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))


@pytest.mark.parametrize("build", [xlsx_bomb, xlsx_claiming_rows, wide_csv])
def test_the_preview_refuses_a_hostile_file_too(tmp_path, inventory_a, build):
    hostile = build(tmp_path)
    started = time.process_time()  # CPU seconds: load on the machine does not count
    preview = preview_import(inventory=inventory_a, raw=hostile.read_bytes(), filename=hostile.name)
    assert time.process_time() - started < 2
    assert not preview.ok
    assert "CTODP_" in str(preview.errors[0])


def test_the_preview_stops_at_the_import_row_cap(tmp_path, settings, inventory_a):
    settings.CTODP_INVENTORY_IMPORT_MAX_ROWS = 10
    undeclared = xlsx_without_dimension(tmp_path, rows=50)
    preview = preview_import(inventory=inventory_a, raw=undeclared.read_bytes(), filename="i.xlsx")
    assert str(preview.errors[-1]) == (
        "file: The file has more than 10 rows, the limit of an inventory import "
        "(CTODP_INVENTORY_IMPORT_MAX_ROWS)."
    )
    assert max(error.row for error in preview.errors) <= 11  # read no further than the cap


def test_an_upload_over_the_limit_is_stopped_while_it_streams(
    client, settings, media, inventory_a, ado_a
):
    settings.CTODP_MAX_UPLOAD_BYTES = 64 * 1024
    client.force_login(ado_a)
    upload = SimpleUploadedFile("big.csv", b"Title\n" + b"x" * (1 << 20))
    page = client.post(reverse("inventories:import", args=["alpha", 2026]), {"file": upload})
    assert "The file is too large: the limit is 64.0\xa0KB." in page.content.decode()
    assert not InventoryImport.objects.exists()
