"""Column inference, schema diffs, value checks and the JSON rows built from a chunk."""

import json

import pandas as pd
import pytest

from publishing import payload, sources


def _frame(**columns) -> pd.DataFrame:
    return pd.DataFrame(columns, dtype=str)


def test_types_are_inferred_from_the_values():
    frame = _frame(
        **{"Case ID": ["a-1", "a-2"], "Age": ["40", ""], "Day": ["2024-01-02", "2024-02-03"]},
        Open=["true", "False"],
    )
    columns = sources.infer_columns(frame)
    assert [(c["field_name"], c["type"], c["format"]) for c in columns] == [
        ("case_id", "text", ""),
        ("age", "number", ""),
        ("day", "calendar_date", "%Y-%m-%d"),
        ("open", "checkbox", ""),
    ]


def test_two_headers_that_become_one_field_are_refused():
    with pytest.raises(sources.SourceError, match="'a_b'"):
        sources.infer_columns(_frame(**{"A B": ["1"], "a-b": ["2"]}))


def test_rows_carry_strings_nulls_and_iso_timestamps():
    frame = _frame(ID=["1", "2"], Day=["2024-01-02", ""], Note=[" keep spaces ", ""])
    columns = sources.infer_columns(frame)
    cells = payload.chunk_cells(frame, columns, first_row=1)
    assert json.loads(payload.body([c["field_name"] for c in columns], cells)) == [
        {"id": "1", "day": "2024-01-02T00:00:00", "note": " keep spaces "},
        {"id": "2", "day": None, "note": None},
    ]


def test_a_value_that_does_not_fit_names_its_row_and_column():
    columns = sources.infer_columns(_frame(ID=["1"], Day=["01/02/2024"]))
    with pytest.raises(sources.SourceError, match=r"Row 12, column “Day”: '13/45/2024'"):
        payload.chunk_cells(_frame(ID=["2", "3"], Day=["01/03/2024", "13/45/2024"]), columns, 11)


def test_diff_explains_new_gone_and_retyped_columns():
    old = sources.infer_columns(_frame(ID=["1"], Age=["4"], Town=["x"]))
    new = sources.infer_columns(_frame(ID=["1"], Age=["four"], County=["y"]))
    assert sorted(sources.diff_columns(old, new)) == [
        "Column “Age” was number, now looks like text.",
        "Column “County” is new.",
        "Column “Town” is gone.",
    ]


# --- JSON array sources, streamed -------------------------------------------------------------


def _objects(text: str, block: int = 7) -> list[dict]:
    import io

    from publishing.json_stream import json_array_objects

    return list(json_array_objects(io.BytesIO(text.encode("utf-8")), block=block))


def test_json_rows_are_decoded_across_tiny_buffer_boundaries():
    text = '\ufeff [ {"a": "x, ]", "b": {"n": [1, 2]}} ,\n{"a": "é\\"}"} ]  '
    assert _objects(text, block=3) == [{"a": "x, ]", "b": {"n": [1, 2]}}, {"a": 'é"}'}]
    assert _objects("[]") == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"a": 1}', "must be an array of objects"),
        ("[1, 2]", "must be an array of objects"),
        ('[{"a": 1} {"a": 2}]', "malformed near character"),
        ('[{"a": 1}, {"a": ', "malformed near character"),
        ('[{"a": 1},', "ends early"),
    ],
)
def test_bad_json_sources_are_explained(text, message):
    from publishing.json_stream import JsonStreamError

    with pytest.raises(JsonStreamError, match=message):
        _objects(text)


def test_a_large_json_array_is_read_in_bounded_memory(tmp_path):
    import tracemalloc

    from publishing.json_stream import json_array_objects

    path = tmp_path / "big.json"
    row = '{"id": "%d", "town": "Hartford", "note": "' + "x" * 80 + '"}'
    with path.open("w") as handle:
        handle.write("[" + ",\n".join(row % n for n in range(100_000)) + "]")
    assert path.stat().st_size > 10_000_000
    tracemalloc.start()
    with path.open("rb") as handle:
        count = sum(1 for _ in json_array_objects(handle))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert count == 100_000
    assert peak < 2_000_000  # a few buffers, not the 11 MB file
