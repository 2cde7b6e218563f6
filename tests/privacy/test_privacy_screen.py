import csv
import io
import json
import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

from privacy.engine.classify import classify_column
from privacy.engine.generalise import apply_to_column, parse_column_spec
from privacy.engine.risk import TupleCounter, class_sizes, radix_key
from privacy.engine.screen import screen_source

OCME = Path(__file__).parents[1] / "data" / "ocme_drug_deaths_sample.csv"


@pytest.fixture(scope="module")
def ocme_report():
    return screen_source(OCME, chunksize=150)


def _independent_risk(path: Path, columns: list[str], threshold: int) -> tuple[int, float]:
    frame = pd.read_csv(path, dtype=str, keep_default_na=True).fillna("(missing)")
    sizes = frame.groupby(columns).size()
    return int(sizes.min()), float(sizes[sizes < threshold].sum() / len(frame))


def test_ocme_quasi_identifiers_and_sensitive_cause_of_death(ocme_report):
    qi = set(ocme_report.quasi_identifiers)
    assert {"Age", "Sex", "Race", "ResidenceCity", "Date"} <= qi
    assert ocme_report.column("COD").classification == "sensitive"
    assert ocme_report.column("ID").classification == "unique_identifier"
    assert ocme_report.column("DateType").classification == "other"
    assert "Heroin" not in qi
    assert "COD" not in qi
    assert ocme_report.rows == 800


def test_ocme_k_and_records_at_risk_match_an_independent_groupby(ocme_report):
    k, at_risk = _independent_risk(OCME, ocme_report.quasi_identifiers, 5)
    assert ocme_report.k == k
    assert ocme_report.records_at_risk == pytest.approx(at_risk, abs=1e-6)
    assert ocme_report.verdict == "high"
    buckets = ocme_report.risk.class_sizes
    assert sum(bucket.records for bucket in buckets) == 800


def test_ocme_recommends_generalising_and_aggregating(ocme_report):
    actions = {item.action: item for item in ocme_report.recommendations}
    assert {"drop_or_hash", "generalise", "aggregate", "suppress"} <= set(actions)
    assert actions["drop_or_hash"].columns == ["ID"]
    assert {"Age", "Date"} <= set(actions["generalise"].columns)
    assert "year" in actions["generalise"].detail
    assert "band" in actions["generalise"].detail
    assert any("County" in level for level in actions["aggregate"].columns)


def test_generalised_risk_matches_an_independent_computation(ocme_report):
    generalised = ocme_report.risk.generalised
    frame = pd.read_csv(OCME, dtype=str)
    age = pd.to_numeric(frame["Age"], errors="coerce")
    frame["Age"] = ((age // 10) * 10).astype("Int64").astype(str).where(age.notna(), None)
    frame["Date"] = frame["Date"].str.extract(r"(\d{4})", expand=False)
    kept = [c for c in ocme_report.quasi_identifiers if generalised.plan.get(c) != "drop"]
    sizes = frame[kept].fillna("(missing)").groupby(kept).size()
    assert generalised.k == int(sizes.min())
    expected = float(sizes[sizes < 5].sum() / len(frame))
    assert generalised.records_at_risk == pytest.approx(expected, abs=1e-6)
    assert generalised.records_at_risk < ocme_report.records_at_risk


def test_chunk_size_does_not_change_the_result(ocme_report):
    whole = screen_source(OCME, chunksize=100_000)
    assert whole.to_dict()["risk"] == ocme_report.to_dict()["risk"]
    assert [c.classification for c in whole.columns] == [
        c.classification for c in ocme_report.columns
    ]


def test_threshold_is_configurable_and_drives_records_at_risk():
    shares = []
    for threshold in (2, 5, 20):
        report = screen_source(OCME, quasi=["Sex", "Race", "DeathCounty"], threshold=threshold)
        assert report.threshold == threshold
        expected = _independent_risk(OCME, ["Sex", "Race", "DeathCounty"], threshold)[1]
        assert report.records_at_risk == pytest.approx(expected, abs=1e-6)
        shares.append(report.records_at_risk)
    assert shares[0] < shares[1] < shares[2]


def test_unknown_quasi_identifier_is_refused():
    with pytest.raises(ValueError, match="Nope"):
        screen_source(OCME, quasi=["Sex", "Nope"])


def _people_csv(path: Path, rows: int = 400) -> Path:
    rng = random.Random(7)
    first = ["Maria", "James", "Ana", "Wei", "Kofi", "Lena"]
    last = ["Smith", "Garcia", "Nguyen", "Okafor", "Rossi"]
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["full_name", "SSN", "email", "phone", "home_address", "zip", "age",
                         "birth_date", "town", "diagnosis", "notes", "amount"])  # fmt: skip
        for i in range(rows):
            writer.writerow([
                f"{rng.choice(first)} {rng.choice(last)}",
                f"{rng.randint(100, 899)}-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}",
                f"person{i}@example.org",
                f"(860) 555-{rng.randint(1000, 9999)}",
                f"{rng.randint(1, 999)} {rng.choice(['Main', 'Elm', 'Oak'])} Street",
                f"06{rng.randint(100, 999)}",
                str(rng.choice([25, 40, 67, 91, 95]) if i % 10 == 0 else rng.randint(18, 85)),
                f"{rng.randint(1930, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                rng.choice(["Hartford", "Avon", "Bethel"]),
                rng.choice(["asthma", "diabetes", "hypertension"]),
                f"visited on day {i} and reported feeling {rng.choice(['well', 'tired'])} today",
                str(rng.randint(1, 500)),
            ])  # fmt: skip
    return path


def test_identifiers_are_found_by_value_patterns_with_masked_evidence(tmp_path):
    report = screen_source(_people_csv(tmp_path / "people.csv"))
    classes = {column.name: column.classification for column in report.columns}
    for name in ("full_name", "SSN", "email", "phone", "home_address"):
        assert classes[name] == "unique_identifier", name
    for name in ("zip", "age", "birth_date", "town"):
        assert classes[name] == "quasi_identifier", name
    assert classes["diagnosis"] == "sensitive"
    assert classes["notes"] == "free_text"
    assert classes["amount"] == "other"
    raw = pd.read_csv(tmp_path / "people.csv", dtype=str)
    for name, pattern in [("SSN", "ssn"), ("email", "email"), ("phone", "phone")]:
        evidence = next(e for e in report.column(name).evidence if e.pattern == pattern)
        assert evidence.share == 1.0
        assert evidence.examples
        assert not set(evidence.examples) & set(raw[name])
    old = next(e for e in report.column("age").evidence if e.pattern == "age_over_89")
    assert old.matches == int((pd.to_numeric(raw["age"]) > 89).sum())
    assert report.verdict == "high"
    assert {"drop_or_hash", "review"} <= {item.action for item in report.recommendations}


def test_names_are_only_person_names_in_name_like_columns():
    towns = pd.Series(["New Haven", "West Hartford", "East Lyme"] * 10)
    assert classify_column("agency_name", towns).classification == "other"
    assert classify_column("town_name", towns).classification == "quasi_identifier"
    people = pd.Series(["Maria Garcia", "SMITH, JOHN", "Wei Chen"] * 10)
    assert classify_column("decedent_name", people).classification == "unique_identifier"
    assert classify_column("description", people).classification != "unique_identifier"


def test_removal_path_names_the_column_that_drives_risk(tmp_path):
    rng = random.Random(3)
    path = tmp_path / "visits.csv"
    rows = ["county,sex,visit_date"]
    for _ in range(3000):
        date = f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        rows.append(f"{rng.choice(['Fairfield', 'Hartford'])},{rng.choice(['F', 'M'])},{date}")
    path.write_text("\n".join(rows) + "\n")
    report = screen_source(path)
    assert set(report.quasi_identifiers) == {"county", "sex", "visit_date"}
    assert report.risk.removal_path[0].column == "visit_date"
    assert report.risk.removal_path[0].records_at_risk_without == 0.0
    assert report.risk.drivers[0].column == "visit_date"


def test_coarse_data_without_identifiers_is_low_risk():
    rows = ["county,sex,count"] + [f"C{i % 4},{'FM'[(i // 4) % 2]},{i}" for i in range(400)]
    report = screen_source(io.StringIO("\n".join(rows) + "\n"))
    assert report.k == 50
    assert report.records_at_risk == 0.0
    assert report.verdict == "low"
    assert report.recommendations == []


def test_xlsx_source_is_read_in_chunks(tmp_path):
    frame = pd.read_csv(OCME, dtype=str).head(300)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append([None if pd.isna(value) else value for value in row])
    workbook.save(tmp_path / "ocme.xlsx")
    from_xlsx = screen_source(tmp_path / "ocme.xlsx", chunksize=70)
    frame.to_csv(tmp_path / "ocme.csv", index=False)
    from_csv = screen_source(tmp_path / "ocme.csv")
    assert from_xlsx.rows == 300
    assert from_xlsx.quasi_identifiers == from_csv.quasi_identifiers
    assert from_xlsx.k == from_csv.k
    assert from_xlsx.records_at_risk == from_csv.records_at_risk


def test_report_is_json_serialisable(ocme_report):
    data = json.loads(ocme_report.to_json())
    assert data["k"] == ocme_report.k
    assert {c["name"] for c in data["columns"]} == set(pd.read_csv(OCME, nrows=1).columns)


def _random_frame(rows: int, seed: int) -> pd.DataFrame:
    rng = random.Random(seed)
    return pd.DataFrame(
        {
            "a": [rng.choice(["x", "y", None]) for _ in range(rows)],
            "b": [str(rng.randint(0, 40)) for _ in range(rows)],
            "c": [rng.choice(["p", "q", "r", "s"]) for _ in range(rows)],
        },
        dtype=object,
    )


def test_tuple_counter_merges_small_chunks_exactly():
    frame = _random_frame(5000, seed=11)
    counter = TupleCounter(["a", "b", "c"], combine_rows=50)
    for start in range(0, len(frame), 137):
        counter.add(frame.iloc[start : start + 137])
    table = counter.table()
    expected = frame.fillna("(missing)").groupby(["a", "b", "c"]).size()
    assert counter.rows == 5000
    assert sorted(table.counts.tolist()) == sorted(expected.tolist())
    assert sorted(table.project(["a"]).tolist()) == sorted(
        frame.fillna("(missing)").groupby("a").size().tolist()
    )
    assert table.distinct("b") == frame["b"].nunique()


def test_class_sizes_survive_key_refactorisation():
    frame = _random_frame(3000, seed=5).fillna("(missing)")
    codes = [pd.factorize(frame[name])[0] for name in "abc"]
    sizes = [int(code.max()) + 1 for code in codes]
    weights = np.ones(len(frame), dtype=np.int64)
    expected = sorted(frame.groupby(["a", "b", "c"]).size().tolist())
    assert sorted(class_sizes(codes, sizes, weights).tolist()) == expected
    key, _ = radix_key(codes, sizes, limit=64)  # forces a re-factorisation midway
    assert len(set(key.tolist())) == len(expected)


def test_tuple_counter_with_a_key_space_beyond_int64():
    rng = random.Random(8)
    names = [f"q{i}" for i in range(7)]  # 1000**7 combinations: more than int64 can number
    frame = pd.DataFrame(
        {name: [str(rng.randint(0, 999)) for _ in range(4000)] for name in names}, dtype=object
    )
    frame = pd.concat([frame, frame.head(500)], ignore_index=True)  # some classes of two
    counter = TupleCounter(names, combine_rows=1000)
    for start in range(0, len(frame), 900):
        counter.add(frame.iloc[start : start + 900])
    expected = frame.groupby(names).size()
    assert sorted(counter.table().counts.tolist()) == sorted(expected.tolist())


def test_generalisers_band_ages_top_code_90_and_coarsen_dates_and_zips():
    ages = pd.Series(["7", "34", "89", "90", "104", "unknown"], dtype=object)
    assert apply_to_column(ages, "band10").tolist() == [
        "0-9", "30-39", "80-89", "90+", "90+", "unknown",
    ]  # fmt: skip
    assert apply_to_column(ages, "band5").tolist()[:3] == ["5-9", "30-34", "85-89"]
    dates = pd.Series(["06/28/2014 12:00:00 AM", "2013-03-21", None, "n/a"], dtype=object)
    assert apply_to_column(dates, "year").tolist() == ["2014", "2013", None, "n/a"]
    assert apply_to_column(dates, "month").tolist()[:2] == ["2014-06", "2013-03"]
    zips = pd.Series(["06106", "06830-1234", "CT"], dtype=object)
    assert apply_to_column(zips, "zip3").tolist() == ["061**", "068**", "CT"]
    with pytest.raises(ValueError, match="decade"):
        parse_column_spec("Age:decade")
