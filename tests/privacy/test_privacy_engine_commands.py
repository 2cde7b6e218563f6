"""The commands on the real OCME file (shared/data beside the checkout, as in CI)."""

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from django.core.management import CommandError, call_command

from tests.privacy.test_privacy_engine_audit import attacker_intervals

REAL = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "data"
    / "ct_ocme_accidental_drug_related_deaths_2012_2018.csv"
)
pytestmark = pytest.mark.skipif(not REAL.exists(), reason=f"{REAL} is not there")


def _suppress(tmp_path: Path, *args: str) -> tuple[pd.DataFrame, str]:
    out, log = tmp_path / "out.csv", io.StringIO()
    call_command("suppress", str(REAL), *args, "--out", str(out), stdout=log)
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    return frame, log.getvalue()


def test_suppress_by_residence_county_publishes_the_real_counts(tmp_path):
    written, log = _suppress(tmp_path, "--by", "ResidenceCounty")
    raw = pd.read_csv(REAL, dtype=str)["ResidenceCounty"].fillna("(missing)").value_counts()
    shown = written[written["suppressed"] == "False"].set_index("ResidenceCounty")["count"]
    assert len(written) == len(raw)
    assert len(shown) >= 10
    for county, count in shown.items():
        assert int(count) == raw[county] > 5
    hidden = written[written["suppressed"] == "True"]
    assert (hidden["count"] == "").all()
    assert set(hidden["ResidenceCounty"]) == set(raw[raw <= 5].index)
    assert "Audit (every line total assumed known): PASSED" in log


def test_suppress_by_death_county_and_sex_passes_the_audit(tmp_path):
    written, log = _suppress(tmp_path, "--by", "DeathCounty,Sex", "--audit")
    assert "PASSED" in log
    assert "USA × Female: primary" in log
    raw = pd.read_csv(REAL, dtype=str).fillna({"DeathCounty": "(missing)", "Sex": "(missing)"})
    truth = raw.groupby(["DeathCounty", "Sex"]).size().unstack(fill_value=0)
    counties, sexes = list(truth.index), list(truth.columns)
    hidden = np.zeros(truth.shape, dtype=bool)
    for row in written.itertuples(index=False):
        hidden[counties.index(row.DeathCounty), sexes.index(row.Sex)] = row.suppressed == "True"
    values = truth.to_numpy(dtype=float)
    # The issue: USA had Female (1) hidden alone; TOLLAND had one hidden cell.
    assert hidden[counties.index("USA")].sum() >= 2
    tolland = counties.index("TOLLAND")
    assert hidden[tolland].sum() != 1
    # No hidden cell can be recovered from what is shown plus every row and column total.
    for (i, j), (low, high) in attacker_intervals(values, hidden).items():
        assert high > low, f"{counties[i]} × {sexes[j]} is recoverable"
        if 1 <= values[i, j] <= 5:
            assert low < 1 or high > 5


def test_suppress_refuses_a_table_the_totals_give_away(tmp_path):
    with pytest.raises(CommandError, match="not written"):
        _suppress(tmp_path, "--by", "ResidenceCity,Date:year,Sex")
    assert not (tmp_path / "out.csv").exists()


def test_suppress_accepts_age_bands_and_months(tmp_path):
    written, _ = _suppress(tmp_path, "--by", "Age:age10", "--threshold", "5")
    assert "90+" in set(written["Age_age10"]) or "80-89" in set(written["Age_age10"])
    assert {"20-29", "30-39"} <= set(written["Age_age10"])


def test_privacy_scan_flags_location_if_other_as_free_text():
    out = io.StringIO()
    call_command("privacy_scan", str(REAL), "--json", stdout=out)
    data = json.loads(out.getvalue())
    column = next(c for c in data["columns"] if c["name"] == "LocationifOther")
    assert column["classification"] == "free_text"
    evidence = next(e for e in column["evidence"] if e["pattern"] == "free_text")
    assert evidence["matches"] >= 200
    assert all(len(example) <= 25 for example in evidence["examples"])
    review = [r for r in data["recommendations"] if "LocationifOther" in r["columns"]]
    assert review
    assert review[0]["action"] == "review"
    text = io.StringIO()
    call_command("privacy_scan", str(REAL), stdout=text)
    assert "Free text" in text.getvalue()
    assert "LocationifOther:" in text.getvalue()
