"""The classifier's shortcuts give what the plain computation gives: the counting of distinct
values, and each value pattern searched only among the values that can match it."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from privacy.engine.classify import PATTERNS, _Values, classify_column, distinct_counts

OCME = Path(__file__).parents[1] / "data" / "ocme_drug_deaths_sample.csv"

_pieces = st.sampled_from(
    ["1", "12", "123", "2014", "-", "/", ".", ",", " ", "\t", "@", "a", "Ab", "st", "Main",
     "(", ")", "+", "x.y", "٣", "e", "com", "ave"]
)  # fmt: skip
_values = st.one_of(
    st.lists(_pieces, max_size=12).map("".join),
    st.text(max_size=20),
    st.sampled_from(sorted(PATTERNS)).flatmap(
        lambda key: st.from_regex(PATTERNS[key][0], fullmatch=False)
    ),
)


def _plain_counts(sample: pd.Series) -> pd.Series:
    """What the classifier counted before: strip every value, then count."""
    counts = sample.dropna().astype(str).str.strip().value_counts(sort=False)
    return counts[counts.index != ""]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.none(), _values, st.sampled_from([" a", "a ", "a", "", "  "]))))
def test_distinct_counts_equal_stripping_every_value_first(cells):
    sample = pd.Series(cells, dtype=object)

    counted, plain = distinct_counts(sample), _plain_counts(sample)

    assert list(counted.index) == list(plain.index)  # the same values, first appearance first
    assert list(counted) == list(plain)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_values, min_size=1, max_size=30, unique=True))
def test_each_pattern_finds_the_same_values_among_its_candidates(unique):
    values = _Values(unique, np.ones(len(unique), int), len(unique))

    for key, (regex, _cls) in PATTERNS.items():
        everywhere = [regex.search(value) is not None for value in unique]
        assert values.test(regex, among=values.candidates(key)).tolist() == everywhere, key


def test_a_value_of_each_pattern_is_found():
    # The shortcut must not hide the ordinary cases (the test above mostly sees misses).
    examples = {
        "ssn": "123-45-6789",
        "email": "a.person@example.org",
        "phone": "(860) 555-0100",
        "street_address": "12 Main Street",
        "full_date": "2014-03-01",
        "zip_code": "06106",
        "coordinates": "41.7637, -72.6851",
    }
    assert set(examples) == set(PATTERNS)
    for key, value in examples.items():
        values = _Values([value, "none here"], np.ones(2, int), 2)
        assert values.test(PATTERNS[key][0], among=values.candidates(key)).tolist() == [
            True,
            False,
        ], key


@pytest.mark.parametrize("column", pd.read_csv(OCME, dtype=object, nrows=0).columns)
def test_every_ocme_column_classifies_as_without_the_shortcuts(column, monkeypatch):
    sample = pd.read_csv(OCME, dtype=object, usecols=[column])[column]
    fast = classify_column(column, sample)

    monkeypatch.setattr("privacy.engine.classify.distinct_counts", _plain_counts)
    monkeypatch.setattr(_Values, "candidates", lambda self, key: None)  # search every value
    plain = classify_column(column, sample)

    assert fast == plain
