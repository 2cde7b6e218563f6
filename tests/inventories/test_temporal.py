"""Temporal coverage (#16): real dates, start before end, in the form, the API, the import, the
checklist and data.json; checked against the DCAT-US schema's own pattern and the calendar."""

import datetime
import json
import re
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from rest_framework.test import APIClient

from inventories.forms import DatasetForm
from inventories.importer import preview_import
from inventories.quality import dataset_quality
from inventories.temporal import TemporalError, published_temporal, temporal_interval
from tests.inventories.factories import DatasetFactory

SCHEMA = Path(__file__).parents[1] / "catalog" / "schemas" / "dataset-non-federal.json"
PATTERNS = [
    re.compile(option["pattern"])
    for option in json.loads(SCHEMA.read_text())["properties"]["temporal"]["anyOf"]
    if "pattern" in option
]


def _schema_accepts(value: str) -> bool:
    return any(pattern.search(value) for pattern in PATTERNS)


def _calendar_date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


days = st.tuples(
    st.integers(1, 9999), st.integers(0, 14), st.integers(0, 33)
)  # months and days past the calendar's ends on purpose


@given(start=days, end=days)
@example(start=(1980, 1, 1), end=(2025, 13, 45))
@example(start=(2024, 2, 29), end=(2024, 2, 29))
@example(start=(2023, 2, 29), end=(2024, 1, 1))
def test_a_day_interval_is_valid_exactly_when_both_are_calendar_dates_in_order(start, end):
    text = "{:04d}-{:02d}-{:02d}/{:04d}-{:02d}-{:02d}".format(*start, *end)
    first, last = _calendar_date(*start), _calendar_date(*end)
    expected = first is not None and last is not None and first <= last
    try:
        published = temporal_interval(text)
    except TemporalError:
        assert not expected, text
    else:
        assert expected, text
        assert published == text
        assert _schema_accepts(published)


@given(st.text(alphabet="0123456789-/:TZRPYMWDH+. to–", max_size=40))
@example("2012-2018")
@example("R/2020-01-01/P1M")
@example("P1Y/2024-12-31")
@example("2020-01-01T08:30:00Z/2020-06-30T23:59:59+05:00")
def test_whatever_is_accepted_is_an_interval_the_schema_accepts(text):
    try:
        published = temporal_interval(text)
    except TemporalError:
        assert published_temporal(text) is None
    else:
        assert published == "" or _schema_accepts(published), published
        assert published_temporal(text) == (published or None)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1980-01-01/2025-13-45", "'2025-13-45' is not a date: months run from 01 to 12"),
        ("2018/2012", "the start 2018 is after the end 2012"),
        ("2018-12/2018-01", "the start 2018-12 is after the end 2018-01"),
        ("2023-02-29/2024", "'2023-02-29' is not a date: 2023-02 has no day 29"),
        ("since the 1990s", "write a start and an end"),
        ("2012/Present", "'Present' is not an ISO 8601 duration"),
    ],
)
def test_impossible_periods_are_refused_with_the_reason(text, reason):
    with pytest.raises(TemporalError, match=re.escape(reason)):
        temporal_interval(text)


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ("2012-2018", "2012/2018"),
        ("2012 to 2018", "2012/2018"),
        ("2015-01/2024-06", "2015-01/2024-06"),
        ("2018-05/2018", "2018-05/2018"),
        ("R/2020-01-01/P1M", "R/2020-01-01/P1M"),
        ("", ""),
    ],
)
def test_the_ways_agencies_write_periods_are_published_as_iso_intervals(text, published):
    assert temporal_interval(text) == published


def test_the_dataset_form_refuses_an_impossible_period(inventory_a):
    form = DatasetForm(
        {
            "title": "Foster homes",
            "criteria": ["A"],
            "access_level": "public",
            "availability": "not_available",
            "temporal_coverage": "1980-01-01/2025-13-45",
        },
        inventory=inventory_a,
    )
    assert not form.is_valid()
    assert form.errors["temporal_coverage"] == [
        "Not a valid period: '2025-13-45' is not a date: months run from 01 to 12."
    ]


def test_the_api_refuses_a_period_that_ends_before_it_starts(inventory_a, ado_a):
    api = APIClient()
    api.force_authenticate(ado_a)
    body = {
        "inventory": inventory_a.pk,
        "title": "Foster homes",
        "criteria": ["A"],
        "access_level": "public",
        "availability": "not_available",
        "temporal_coverage": "2018/2012",
    }
    response = api.post("/api/v1/datasets/", body, format="json")
    assert response.status_code == 400
    assert response.json()["temporal_coverage"] == [
        "Not a valid period: the start 2018 is after the end 2012."
    ]


def test_the_import_names_the_row_and_column_of_an_impossible_period(inventory_a):
    raw = (
        "Title,High-value criteria,Access level,Temporal coverage\n"
        "Good period,A,public,2012-2018\n"
        "Bad period,A,public,1980-01-01/2025-13-45\n"
    )
    preview = preview_import(inventory=inventory_a, raw=raw.encode(), filename="t.csv")
    assert [str(error) for error in preview.errors] == [
        "row 3, column 'Temporal coverage': Not a valid period: '2025-13-45' is not a date: "
        "months run from 01 to 12."
    ]


@pytest.mark.django_db
def test_a_stored_invalid_period_is_flagged_by_the_checklist(inventory_a):
    dataset = DatasetFactory(inventory=inventory_a, temporal_coverage="2012-2018")
    assert "temporal_coverage_invalid" not in dataset_quality(dataset).codes()
    dataset.temporal_coverage = "1980-01-01/2025-13-45"  # as rows stored before #16 may hold
    findings = dataset_quality(dataset)
    assert "temporal_coverage_invalid" in findings.codes()
    assert "temporal_coverage_missing" not in findings.codes()
