"""The screen always ends in a verdict, judges aggregate tables as tables, and finds free text."""

import io
import random
import string
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from privacy.engine.classify import classify_column
from privacy.engine.screen import screen_source
from privacy.engine.suppression import suppress_source
from privacy.engine.tables import detect_cell_table

OCME = Path(__file__).parents[1] / "data" / "ocme_drug_deaths_sample.csv"
VERDICTS = {"low", "medium", "high"}

# No control characters: pandas writes a bare "\r" in a header unquoted, which no CSV reader
# can read back (that is a broken file, not a source).
_text = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=12)
_cells = st.one_of(
    st.none(),
    _text,
    st.integers(-5, 120).map(str),
    st.sampled_from(["F", "M", "2014-03-01", "06106", "Hartford", "Main St 12", "1", "0"]),
)


@st.composite
def _frames(draw):
    names = draw(st.lists(_text.filter(bool), min_size=1, max_size=6, unique=True))
    rows = draw(st.integers(0, 30))
    data = {name: draw(st.lists(_cells, min_size=rows, max_size=rows)) for name in names}
    return pd.DataFrame(data, columns=names, dtype=object)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_frames(), st.integers(1, 6))
def test_any_source_ends_in_a_verdict(frame, threshold):
    report = screen_source("generated", chunks=[frame], threshold=threshold)
    assert report.verdict in VERDICTS
    assert report.rows == len(frame)
    report.to_json()  # what the Django side stores


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_frames())
def test_any_csv_file_ends_in_a_verdict(frame):
    text = frame.to_csv(index=False)
    report = screen_source(io.StringIO(text))
    assert report.verdict in VERDICTS


def test_record_level_source_without_place_year_or_sex_gets_advice():
    # The reported IndexError: 200 rows of age, race, amount.
    rng = random.Random(4)
    rows = ["age,race,amount"] + [
        f"{rng.randint(18, 95)},{rng.choice('ABCDEFG')},{rng.randint(1, 900)}" for _ in range(200)
    ]
    report = screen_source(io.StringIO("\n".join(rows) + "\n"))
    assert report.verdict == "high"
    aggregate = next(item for item in report.recommendations if item.action == "aggregate")
    assert "manage.py suppress" in aggregate.detail


def test_three_row_source_gets_a_verdict():
    report = screen_source(io.StringIO("age,race\n34,A\n51,B\n77,C\n"))
    assert report.verdict == "high"


def _published(tmp_path: Path, by: list[str]) -> Path:
    out = tmp_path / "published.csv"
    suppress_source(OCME, by).published().to_csv(out, index=False)
    return out


def test_the_apps_own_suppressed_table_is_low_risk(tmp_path):
    report = screen_source(_published(tmp_path, ["DeathCounty", "Sex"]))
    assert report.table is not None
    assert report.table.by == ["DeathCounty", "Sex"]
    assert report.table.hidden > 0
    assert report.table.small_visible == 0
    assert report.table.recoverable == 0
    assert report.verdict == "low"


def test_an_unsuppressed_table_with_small_counts_is_high_risk(tmp_path):
    raw = pd.read_csv(OCME, dtype=str).fillna("(missing)")
    counts = raw.groupby(["DeathCounty", "Sex"]).size().rename("count").reset_index()
    path = tmp_path / "counts.csv"
    counts.to_csv(path, index=False)
    report = screen_source(path)
    assert report.table is not None
    assert report.table.small_visible > 0
    assert report.verdict == "high"
    assert any(item.action == "suppress" for item in report.recommendations)


def test_a_table_with_a_lone_suppressed_cell_is_high_risk():
    text = "county,sex,count,suppressed\nA,F,,true\nA,M,40,false\nB,F,30,false\nB,M,50,false\n"
    report = screen_source(io.StringIO(text))
    assert report.table is not None
    assert report.table.recoverable == 1
    assert report.verdict == "high"


def test_rows_with_repeated_groups_are_records_not_cells():
    frame = pd.DataFrame({"county": ["A", "A", "B"], "count": ["1", "2", "3"]}, dtype=object)
    assert detect_cell_table(frame) is None
    frame = pd.DataFrame({"county": ["A", "B"], "count": ["1", "x"]}, dtype=object)
    assert detect_cell_table(frame) is None


def test_free_text_with_many_one_off_values_is_flagged_with_masked_excerpts():
    rng = random.Random(9)
    places = [f"Motel {rng.choice(string.ascii_uppercase)} room {i}" for i in range(60)]
    values = pd.Series(places + ["Residence"] * 140, dtype=object)
    report = classify_column("LocationifOther", values)
    assert report.classification == "free_text"
    evidence = next(item for item in report.evidence if item.pattern == "free_text")
    assert evidence.matches == 60
    assert evidence.examples
    assert all("#" in example for example in evidence.examples)
    assert not set(evidence.examples) & set(places)


def test_town_names_are_not_free_text():
    towns = pd.Series([f"Town{c}" for c in string.ascii_uppercase] * 20 + ["Andover"], dtype=object)
    assert classify_column("town", towns).classification != "free_text"
