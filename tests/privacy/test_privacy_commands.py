import csv
import functools
import io
import json
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from tests.publishing.recovery import linear_attack, peel, published_cube

DATA = Path(__file__).parents[1] / "data"
OCME = DATA / "ocme_drug_deaths_sample.csv"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def _serve(directory: Path):
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@pytest.fixture
def data_server():
    server = _serve(DATA)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_privacy_scan_reads_an_xlsx_url(tmp_path):
    frame = pd.read_csv(OCME, dtype=str).head(120)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append([None if pd.isna(value) else value for value in row])
    workbook.save(tmp_path / "ocme.xlsx")
    server = _serve(tmp_path)
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/ocme.xlsx"
        data = json.loads(_scan(url, "--json", "--quasi", "Sex,Race"))
    finally:
        server.shutdown()
        server.server_close()
    sizes = frame.fillna("(missing)").groupby(["Sex", "Race"]).size()
    assert data["rows"] == 120
    assert data["k"] == int(sizes.min())
    assert [c["name"] for c in data["columns"]] == list(frame.columns)


def _scan(*args) -> str:
    out = io.StringIO()
    call_command("privacy_scan", *args, stdout=out)
    return out.getvalue()


def test_privacy_scan_json_has_the_documented_fields():
    data = json.loads(_scan(str(OCME), "--json"))
    assert {"columns", "quasi_identifiers", "k", "records_at_risk", "verdict"} <= set(data)
    assert [c["name"] for c in data["columns"]] == list(pd.read_csv(OCME, nrows=0).columns)
    assert all(c["classification"] for c in data["columns"])
    assert {"Age", "Sex", "Race", "ResidenceCity", "Date"} <= set(data["quasi_identifiers"])
    assert isinstance(data["k"], int)
    assert 0 <= data["records_at_risk"] <= 1
    assert data["verdict"] in {"low", "medium", "high"}
    assert all({"action", "columns", "detail"} <= set(r) for r in data["recommendations"])


def test_privacy_scan_reads_a_url_like_a_file(data_server):
    from_url = json.loads(_scan(f"{data_server}/{OCME.name}", "--json"))
    from_file = json.loads(_scan(str(OCME), "--json"))
    from_url.pop("source")
    from_file.pop("source")
    assert from_url == from_file


def test_privacy_scan_missing_url_is_a_command_error(data_server):
    with pytest.raises(CommandError, match="404"):
        _scan(f"{data_server}/absent.csv", "--json")


def test_privacy_scan_quasi_and_threshold_options():
    data = json.loads(_scan(str(OCME), "--json", "--quasi", "Sex,DeathCounty", "--threshold", "3"))
    frame = pd.read_csv(OCME, dtype=str).fillna("(missing)")
    sizes = frame.groupby(["Sex", "DeathCounty"]).size()
    assert data["quasi_identifiers"] == ["Sex", "DeathCounty"]
    assert data["k"] == int(sizes.min())
    assert data["records_at_risk"] == pytest.approx(sizes[sizes < 3].sum() / len(frame))


def test_privacy_scan_text_report_is_readable():
    text = _scan(str(OCME))
    assert "Verdict: HIGH" in text
    assert "COD" in text
    assert "sensitive" in text
    assert "k = " in text
    assert "[generalise]" in text


def test_privacy_scan_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="cannot screen"):
        _scan(str(tmp_path / "absent.csv"))


def _suppress(tmp_path: Path, *args) -> pd.DataFrame:
    out = tmp_path / "out.csv"
    call_command("suppress", *args, "--out", str(out), stdout=io.StringIO())
    return pd.read_csv(out, dtype={"suppressed": bool}, keep_default_na=False, na_values=[""])


@pytest.mark.parametrize("by", ["DeathCounty,Sex", "ResidenceCounty,Sex", "Sex,Date:year"])
def test_suppress_writes_a_safe_csv(tmp_path, by):
    written = _suppress(tmp_path, str(OCME), "--by", by, "--threshold", "5")
    labels = by.replace(":", "_").split(",")
    assert list(written.columns) == [*labels, "count", "suppressed"]
    shown = written.loc[~written["suppressed"], "count"]
    assert not shown.between(1, 5).any()
    assert written.loc[written["suppressed"], "count"].isna().all()
    assert written["suppressed"].any()


def test_suppress_with_totals_resists_recovery(tmp_path):
    written = _suppress(tmp_path, str(OCME), "--by", "DeathCounty,Sex", "--totals")
    written[["DeathCounty", "Sex"]] = written[["DeathCounty", "Sex"]].astype(str)
    cube = published_cube(written, ["DeathCounty", "Sex"], "count")
    assert peel(cube) == {}
    assert linear_attack(cube) == []
    assert cube[-1, -1] == 800  # the grand total is published


def test_suppress_sums_a_value_column(tmp_path):
    source = tmp_path / "grants.csv"
    with source.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["county", "program", "awarded"])
        for i in range(120):
            writer.writerow([["Fairfield", "Hartford", "Tolland"][i % 3], "AB"[i % 2], 10 + i])
        writer.writerow(["Tolland", "C", 999])
    written = _suppress(tmp_path, str(source), "--by", "county,program", "--value", "awarded")
    assert list(written.columns) == ["county", "program", "awarded", "suppressed"]
    tolland_c = written[(written["county"] == "Tolland") & (written["program"] == "C")]
    assert bool(tolland_c["suppressed"].iloc[0])
    assert written.loc[written["suppressed"], "awarded"].isna().all()


def test_suppress_unknown_column_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="Nope"):
        _suppress(tmp_path, str(OCME), "--by", "Nope")
