"""The import's fast path (#18, ADR 0022) gives exactly the preview of the whole DatasetForm run
on every row; the commit writes the same rows and history in a constant number of queries."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inventories.choices import AccessLevel, Availability, Category, UpdateFrequency
from inventories.importer import commit_import, preview_import
from inventories.models import Dataset
from inventories.quality import dataset_quality
from tests.hostile_files import wide_csv, xlsx_without_dimension

pytestmark = pytest.mark.django_db

COLUMNS = [
    "ctodp ID", "Title", "Description", "High-value criteria", "Access level",
    "Reason not public", "Contact email", "Category", "Update frequency", "Temporal coverage",
    "Available now", "Portal ID", "Source link", "Machine-readable", "Requests a year", "Tags",
]  # fmt: skip


def _hostile(*good: str) -> st.SearchStrategy[str]:
    """Valid values, their near misses, and what spreadsheets and attackers put in cells."""
    bad = [
        "", " ", "\t", "x" * 256, "x" * 600, "a\x00b", "=1+1", "'=1+1", "@SUM(A1)", "-5",
        "NULL", "None", "\u00a0", "é" * 3, " Public ", "yes", "no", "maybe",
    ]  # fmt: skip
    variants = [v.upper() for v in good] + [f" {v} " for v in good]
    # Mostly good values, so that many rows are clean or fail in one cell only.
    mostly_good = [st.sampled_from(good)] * 6
    return st.one_of(*mostly_good, st.sampled_from([*variants, *bad]), st.text(max_size=12))


CELLS = {
    "Title": _hostile("Foster homes", "foster homes", "Licensed child care programs", "A  B"),
    "Description": _hostile("Programs licensed by the agency."),
    "High-value criteria": _hostile("A", "b;c", "A, H", "Z", "A;;B"),
    "Access level": _hostile(*AccessLevel.values, *AccessLevel.labels),
    "Reason not public": _hostile("Confidential by statute."),
    "Contact email": _hostile("data@ct.example", "not-an-email", "a@b"),
    "Category": _hostile(*Category.values[:3]),
    "Update frequency": _hostile(*UpdateFrequency.values[:4]),
    "Temporal coverage": _hostile("2012-2018", "1980-01-01/2025-13-45", "2018/2012"),
    "Available now": _hostile(*Availability.labels, *Availability.values),
    "Portal ID": _hostile("abcd-1234", "ABCD-1234", "abc-123"),
    "Source link": _hostile("https://data.ct.gov/", "javascript:alert(1)", "ftp://x"),
    "Machine-readable": _hostile("yes", "no", "TRUE", "0"),
    "Requests a year": _hostile("12", "12.0", "-1", "1e3", "99999999999"),
    "Tags": _hostile("a; b", ";;"),
}


@st.composite
def sheets(draw, uids: list[str]) -> list[list[str]]:
    header = draw(st.permutations(COLUMNS).map(lambda cols: cols[: max(2, len(cols) - 3)]))
    if "Title" not in header:
        header[0] = "Title"
    rows = []
    for _ in range(draw(st.integers(1, 8))):
        cells = {"ctodp ID": st.sampled_from(["", "", *uids, "not-a-uuid"]), **CELLS}
        row = [draw(cells[column]) for column in header]
        rows.append(row[: draw(st.integers(len(row) - 1, len(row)))])  # some rows short
    return [header, *rows]


def _csv(sheet: list[list[str]]) -> bytes:
    handle = io.StringIO()
    csv.writer(handle).writerows(sheet)
    return handle.getvalue().encode()


def _summary(preview) -> tuple:
    rows = [(r.row, r.title, r.status, r.changes, r.values) for r in preview.rows]
    return [str(error) for error in preview.errors], rows, preview.kept


def _both(inventory, raw: bytes, name: str = "i.csv") -> tuple[tuple, tuple]:
    fast = preview_import(inventory=inventory, raw=raw, filename=name, fast=True)
    form = preview_import(inventory=inventory, raw=raw, filename=name, fast=False)
    return _summary(fast), _summary(form)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_the_fast_path_previews_exactly_as_the_form(inventory_a, data):
    uids = [str(uid) for uid in inventory_a.datasets.values_list("uid", flat=True)]
    sheet = data.draw(sheets(uids))
    fast, form = _both(inventory_a, _csv(sheet))
    assert fast == form


@pytest.mark.parametrize(
    ("sheet", "refused"),
    [
        ("Title,Access level\nNo criteria column,public\n", True),
        ("Title,High-value criteria\nPublic by default,A\n", False),
        ("Title,High-value criteria,Access level,Reason not public\nSecret,A,non-public,\n", True),
        ("Title,High-value criteria,Available now\nOn the portal,A,CT Open Data Portal\n", True),
        ("Title,High-value criteria\nTwice,A\ntwice,B\n", True),
    ],
)
def test_rules_across_columns_are_the_forms(inventory_a, sheet, refused):
    fast, form = _both(inventory_a, sheet.encode())
    assert fast == form
    assert bool(fast[0]) is refused


@pytest.mark.parametrize(
    "build",
    [lambda tmp: wide_csv(tmp, columns=2_000), lambda tmp: xlsx_without_dimension(tmp, rows=20)],
)
def test_the_fast_path_agrees_on_hostile_files(tmp_path, inventory_a, build):
    hostile = build(tmp_path)
    fast, form = _both(inventory_a, hostile.read_bytes(), hostile.name)
    assert fast == form


def _sheet(rows: int, start: int = 0) -> bytes:
    lines = ["Title,High-value criteria,Access level,Reason not public,Temporal coverage"]
    for n in range(start, start + rows):
        level, reason = ("public", "") if n % 3 else ("non-public", "Confidential by statute.")
        lines.append(f"Dataset number {n},A;C,{level},{reason},2012-2018")
    return ("\n".join(lines) + "\n").encode()


def test_the_commit_takes_the_same_queries_for_5_and_200_rows(inventory_a, ado_a):
    counts = []
    for rows, start in ((5, 0), (200, 100)):
        preview = preview_import(inventory=inventory_a, raw=_sheet(rows, start), filename="i.csv")
        assert preview.ok, preview.errors[:3]
        with CaptureQueriesContext(connection) as queries:
            assert commit_import(inventory=inventory_a, preview=preview, acting_user=ado_a) == (
                rows,
                0,
            )
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_committed_rows_and_their_history_are_what_the_models_would_write(inventory_a, ado_a):
    existing = inventory_a.datasets.get(title="Licensed child care programs")
    raw = (
        "ctodp ID,Title,High-value criteria,Access level,Temporal coverage,Requests a year\n"
        f"{existing.uid},Licensed child care programs,A,public,2012-2018,\n"
        ",Foster homes,B;C,public,2015-01/2024-06,40\n"
    ).encode()
    preview = preview_import(inventory=inventory_a, raw=raw, filename="i.csv")
    assert [row.status for row in preview.rows] == ["changed", "new"]
    assert commit_import(inventory=inventory_a, preview=preview, acting_user=ado_a) == (1, 1)

    foster = inventory_a.datasets.get(title="Foster homes")
    assert foster.criteria == ["B", "C"]
    assert foster.requests_per_year == 40
    assert foster.agency == inventory_a.agency
    assert foster.metadata_score == dataset_quality(foster).score
    existing.refresh_from_db()
    assert existing.criteria == ["A"]
    assert existing.temporal_coverage == "2012-2018"
    assert existing.metadata_score == dataset_quality(existing).score
    tracked = [f.attname for f in Dataset._meta.concrete_fields]
    for dataset, kind in ((foster, "+"), (existing, "~")):
        record = dataset.history.latest()
        assert (record.history_type, record.history_user, record.history_change_reason) == (
            kind,
            ado_a,
            "",
        )
        assert {n: getattr(record, n) for n in tracked} == {n: getattr(dataset, n) for n in tracked}
    assert foster.history.count() == 1
