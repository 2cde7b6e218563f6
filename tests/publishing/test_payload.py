"""The one-pass payload (publishing/payload.py, ADR 0025) sends what the two-pass path sent: the
same rows, the same strings and nulls, the same ISO timestamps, the same refusals with the same
row and column. `reference_*` below is the previous implementation, kept here as the oracle."""

from __future__ import annotations

import json
from datetime import date, datetime

import numpy as np
import orjson
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from publishing import payload
from publishing.sources import CHECKBOX_WORDS, ISO_DATE, SourceError

COLUMNS = [
    {"name": "ID", "field_name": "id", "type": "text", "format": ""},
    {"name": "Note", "field_name": "note", "type": "text", "format": ""},
    {"name": "Amount", "field_name": "amount", "type": "number", "format": ""},
    {"name": "Day", "field_name": "day", "type": "calendar_date", "format": ISO_DATE},
    {"name": "Seen", "field_name": "seen", "type": "calendar_date", "format": "%m/%d/%Y %H:%M"},
    {"name": "Open", "field_name": "open", "type": "checkbox", "format": ""},
]


# --- the previous implementation (publishing/sources.py before ADR 0025) ----------------------


def reference_validate(chunk: pd.DataFrame, columns: list, first_row: int) -> None:
    for column, name in zip(columns, chunk.columns, strict=True):
        values = chunk[name].str.strip()
        filled = values != ""
        if column["type"] == "number":
            bad = filled & pd.to_numeric(values, errors="coerce").isna()
        elif column["type"] == "calendar_date":
            parsed = pd.to_datetime(values, format=column["format"], errors="coerce")
            bad = filled & parsed.isna()
        elif column["type"] == "checkbox":
            bad = filled & ~values.str.lower().isin(CHECKBOX_WORDS)
        else:
            continue
        if bad.any():
            position = int(bad.to_numpy().argmax())
            raise SourceError(
                f"Row {first_row + position}, column “{column['name']}”: "
                f"{chunk[name].iloc[position]!r} is not a {column['type'].replace('_', ' ')}"
            )


def reference_rows(chunk: pd.DataFrame, columns: list) -> list[dict]:
    fields, values = [], []
    for column, name in zip(columns, chunk.columns, strict=True):
        cells = chunk[name].str.strip() if column["type"] != "text" else chunk[name]
        if column["type"] == "calendar_date":
            if column["format"] == ISO_DATE:
                cells = cells.where(cells == "", cells + "T00:00:00")
            else:
                parsed = pd.to_datetime(cells, format=column["format"], errors="coerce")
                cells = parsed.dt.strftime("%Y-%m-%dT%H:%M:%S").fillna("")
        fields.append(column["field_name"])
        values.append([cell or None for cell in cells.tolist()])
    return [dict(zip(fields, row, strict=True)) for row in zip(*values, strict=True)]


def reference_identifiers(chunks: list[pd.DataFrame]) -> str | None:
    """An empty identifier is refused as its chunk is read, a repeat once all are read."""
    values = [value.strip() for chunk in chunks for value in chunk.iloc[:, 0].tolist()]
    if "" in values:
        return f"Row {values.index('') + 1}, column “ID”: the row identifier is empty"
    seen: dict[str, int] = {}
    for row, value in enumerate(values, start=1):
        if value in seen:
            return (
                f"Rows {seen[value]} and {row}, column “ID”: the same row identifier "
                "appears twice; each row needs its own"
            )
        seen[value] = row
    return None


# --- hostile cells ------------------------------------------------------------------------------

HOSTILE = ["", " ", "  \t", '"', "\\", "\\u0000", "\x00", "\x1f", "\u2028", "é", "😀", "ﷺ", "NaN"]
padded = st.tuples(st.sampled_from(["", " ", "\t"]), st.sampled_from(["", " "]))
text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12
) | st.sampled_from(HOSTILE)
number = (
    st.integers(min_value=-(10**30), max_value=10**30).map(str)
    | st.floats(allow_nan=True, allow_infinity=True).map(repr)
    | st.sampled_from(["", "1e400", "0x1A", "1,000", "1_000", "nan", "-0", ".5", "5.", "abc"])
    | st.sampled_from(
        ["+.5", "+5", "-.5", "0001", "٣", "１２", "1\n2", "5\n", ".", "+", "-", "1.2.3"]
    )
)
day = st.dates().map(lambda d: d.isoformat()) | st.sampled_from(["", "2024-02-30", "2024-1-2"])
SEEN = "%m/%d/%Y %H:%M"
seen = st.datetimes().map(lambda d: d.strftime(SEEN)) | st.sampled_from(["13/45/2024"])
checkbox = st.sampled_from(["", "true", "false", "TRUE", "False", "yes", "1", "tRuE"])


def _pad(values: st.SearchStrategy) -> st.SearchStrategy:
    return st.tuples(values, padded).map(lambda v: v[1][0] + v[0] + v[1][1])


row = st.tuples(text, text, _pad(number), _pad(day), _pad(seen), _pad(checkbox))


def _frame(rows: list[tuple]) -> pd.DataFrame:
    names = [c["name"] for c in COLUMNS]
    return pd.DataFrame(rows, columns=names, dtype=str)


def _outcome(run) -> tuple[str, object]:
    try:
        return "ok", run()
    except SourceError as error:
        return "refused", str(error)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(row, min_size=1, max_size=25), st.integers(min_value=1, max_value=10**6))
@example([("1", "\ud800 lone surrogate", "1", "", "", "")], 1)
@example([("1", " keep spaces ", " 2 ", " 2024-01-02 ", "", " TRUE ")], 1)
def test_payload_matches_the_previous_rows_and_refusals(rows, first_row):
    chunk = _frame(rows)
    fields = [c["field_name"] for c in COLUMNS]

    def old():
        reference_validate(chunk, COLUMNS, first_row)
        return reference_rows(chunk, COLUMNS)

    def new():
        return json.loads(payload.body(fields, payload.chunk_cells(chunk, COLUMNS, first_row)))

    assert _outcome(new) == _outcome(old)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", " a", "c ", "", "é", "1", "1.0"]), max_size=30))
def test_row_identifier_refusals_match_a_plain_dictionary(values):
    chunks = [_frame([(v, "", "", "", "", "") for v in values[i : i + 7]]) for i in range(0, 30, 7)]
    chunks = [chunk for chunk in chunks if len(chunk)]
    check = payload.RowIdentifierCheck(COLUMNS, "id")

    def new():
        first = 1
        for chunk in chunks:
            check.add(chunk, first)
            first += len(chunk)
        check.finish()

    outcome = _outcome(new)
    expected = reference_identifiers(chunks)
    assert outcome == (("refused", expected) if expected else ("ok", None))


def test_a_repeat_far_apart_across_buckets_is_found():
    check = payload.RowIdentifierCheck(COLUMNS, "id")
    for start in range(0, 50_000, 10_000):
        ids = [str(n) for n in range(start, start + 10_000)]
        if start == 40_000:
            ids[-1] = "17"
        check.add(_frame([(i, "", "", "", "", "") for i in ids]), start + 1)
    with pytest.raises(SourceError, match="Rows 18 and 50000, column “ID”"):
        check.finish()


def test_bodies_are_orjson_of_the_rows():
    chunk = _frame([("1", 'say "hi"\n', " 3 ", "2024-01-02", "01/02/2024 13:05", " false ")])
    cells = payload.chunk_cells(chunk, COLUMNS, 1)
    data = payload.body([c["field_name"] for c in COLUMNS], cells)
    assert data == orjson.dumps(reference_rows(chunk, COLUMNS))
    assert orjson.loads(data) == [
        {
            "id": "1",
            "note": 'say "hi"\n',
            "amount": "3",
            "day": "2024-01-02T00:00:00",
            "seen": "2024-01-02T13:05:00",
            "open": "false",
        }
    ]


def test_the_spool_gives_back_each_body_in_order():
    with payload.Spool() as spool:
        spool.add(2, b"[1,2]")
        spool.add(1, b"[3]")
        assert list(spool.bodies()) == [(2, b"[1,2]"), (1, b"[3]")]
    assert np.dtype(payload.RECORD).itemsize == 12


valid_row = st.tuples(
    text,
    text,
    _pad(st.integers(min_value=-(10**30), max_value=10**30).map(str) | st.just("")),
    _pad(st.dates(date(1900, 1, 1)).map(lambda d: d.isoformat()) | st.just("")),
    _pad(st.datetimes(datetime(1900, 1, 1)).map(lambda d: d.strftime(SEEN)) | st.just("")),
    _pad(st.sampled_from(["", "true", "FALSE", "True"])),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(valid_row, min_size=1, max_size=25))
def test_payload_of_valid_hostile_text_is_the_previous_rows(rows):
    chunk = _frame(rows)
    fields = [c["field_name"] for c in COLUMNS]
    data = payload.body(fields, payload.chunk_cells(chunk, COLUMNS, 1))
    assert json.loads(data) == reference_rows(chunk, COLUMNS)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(*[st.none() | text] * 3), max_size=25))
@example([("a", None, 'say "hi"\n'), ("", "\\", "\x7f\u2028😀")])
@example([("\ud800", "x", None)])
def test_bodies_are_the_very_bytes_of_the_row_dictionaries(rows):
    """Built column by column, a body keeps the bytes orjson gives for the rows as dicts (so
    content hashes do not change), nulls, empty strings and escapes included."""
    fields = ["a", "b é", 'c"']
    cells = [list(column) for column in zip(*rows, strict=True)] or [[], [], []]
    records = [dict(zip(fields, row, strict=True)) for row in rows]
    try:
        expected = orjson.dumps(records)
    except orjson.JSONEncodeError:
        expected = json.dumps(records, separators=(",", ":")).encode()
    assert payload.body(fields, cells) == expected
