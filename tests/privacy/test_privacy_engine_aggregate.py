"""Aggregation for 1 to 4 group columns, checked against a count written independently."""

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from privacy.engine.generalise import apply_to_column
from privacy.engine.suppression import aggregate

OCME = Path(__file__).parents[1] / "data" / "ocme_drug_deaths_sample.csv"
MISSING = "(missing)"


def _independent_counts(frame: pd.DataFrame, by: list[str]) -> Counter:
    """A plain Python count of the label tuples: no groupby, no reindex."""
    counted: Counter = Counter()
    for row in frame[by].itertuples(index=False):
        counted[tuple(MISSING if pd.isna(value) else str(value) for value in row)] += 1
    return counted


def _published(aggregated: pd.DataFrame, labels: list[str]) -> dict[tuple, int]:
    return {
        tuple(str(value) for value in row[:-1]): int(row[-1])
        for row in aggregated[[*labels, "count"]].itertuples(index=False)
    }


@pytest.mark.parametrize(
    "by",
    [
        ["ResidenceCounty"],
        ["DeathCounty", "Sex"],
        ["DeathCounty", "Sex", "Race"],
        ["DeathCounty", "Sex", "Race", "Location"],
    ],
)
def test_every_count_matches_an_independent_count(by):
    aggregated = aggregate(OCME, by, chunksize=123)
    expected = _independent_counts(pd.read_csv(OCME, dtype=str), by)
    published = _published(aggregated, by)
    assert {key: n for key, n in published.items() if n} == dict(expected)
    assert sum(published.values()) == 800
    # Every combination of the categories seen is a row (rule 5), the empty ones as 0.
    sizes = [len({key[i] for key in expected}) for i in range(len(by))]
    assert len(published) == pd.Series(sizes).prod()


def test_one_column_aggregate_is_not_all_zeros():
    # The reported bug: `suppress --by ResidenceCounty` published 85 zeros.
    aggregated = aggregate(OCME, ["ResidenceCounty"])
    counts = aggregated.set_index("ResidenceCounty")["count"]
    raw = pd.read_csv(OCME, dtype=str)["ResidenceCounty"].fillna(MISSING).value_counts()
    assert (counts > 0).all()
    assert counts.to_dict() == raw.to_dict()


def test_date_and_age_parts_group_like_an_independent_cut():
    aggregated = aggregate(OCME, ["Date:year", "Date:month", "Age:age10", "Age:age5"])
    raw = pd.read_csv(OCME, dtype=str)
    year = raw["Date"].str.extract(r"(\d{4})", expand=False)
    month = year + "-" + raw["Date"].str.slice(0, 2)
    age = pd.to_numeric(raw["Age"])
    band10 = (age // 10 * 10).astype("Int64").astype(str) + "-"
    band10 = band10 + (age // 10 * 10 + 9).astype("Int64").astype(str)
    band10 = band10.where(age < 90, "90+").where(age.notna(), None)
    cut = pd.DataFrame({"y": year, "m": month, "a": band10})
    expected = _independent_counts(cut, ["y", "m", "a"])
    summed = aggregated.groupby(["Date_year", "Date_month", "Age_age10"])["count"].sum()
    assert {key: int(n) for key, n in summed.items() if n} == dict(expected)
    assert set(aggregated["Age_age5"]) >= {"20-24", "25-29"}


_labels = st.sampled_from(["a", "b", "c", "Z", "10", "", None])


@st.composite
def _tables(draw):
    width = draw(st.integers(1, 4))
    rows = draw(st.integers(1, 40))
    columns = {f"g{i}": draw(st.lists(_labels, min_size=rows, max_size=rows)) for i in range(width)}
    return pd.DataFrame(columns, dtype=object), [f"g{i}" for i in range(width)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_tables(), st.integers(1, 7))
def test_random_tables_aggregate_exactly_whatever_the_chunks(table, chunk):
    frame, by = table
    chunks = [frame.iloc[start : start + chunk] for start in range(0, len(frame), chunk)]
    aggregated = aggregate(None, by, chunks=chunks)
    # pandas reads "" as missing from a CSV; from chunks it is a category of its own.
    expected = _independent_counts(frame, by)
    published = _published(aggregated, by)
    assert {key: n for key, n in published.items() if n} == dict(expected)
    assert int(aggregated["records"].sum()) == len(frame)


def test_generalisations_keep_missing_values_missing():
    values = pd.Series(["34", None, "n/a"], dtype=object)
    assert apply_to_column(values, "age10").tolist() == ["30-39", None, "n/a"]
