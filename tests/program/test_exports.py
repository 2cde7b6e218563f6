"""CSV and XLSX exports of the dashboard, the requests log and the compliance report."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from program.models import DataRequest
from program.table import COLUMNS
from tests.program.conftest import WORLD_DAY, retire_ferries

# One clock for the world and the test (tests/clock.py): the day its figures are known for.
pytestmark = pytest.mark.clock(WORLD_DAY)

WORLD = {"Department of Alpha", "Department of Beta", "Department of Gamma"}


def _sheet(response) -> list[tuple]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_dashboard_xlsx_has_every_column_and_a_totals_row(client, dapa, world, ado_a):
    retire_ferries(ado_a)
    client.force_login(dapa)
    rows = _sheet(client.get(reverse("program:export-xlsx"), {"year": 2026, "ado": "yes"}))
    assert list(rows[0]) == [column.label for column in COLUMNS]
    by_name = {row[0]: row for row in rows[1:]}
    alpha = by_name["Department of Alpha"]
    assert alpha[1:9] == ("Alice Adams", "Accepted", "Approved", 2, 1, 1, 1, 1)
    assert rows[-1][0].startswith("Total: 2 agencies")


def test_dashboard_csv_follows_the_filters(client, dapa, world):
    client.force_login(dapa)
    response = client.get(reverse("program:export-csv"), {"year": 2026, "inventory": "none"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    names = {row[0] for row in rows[1:-1]}
    assert "Department of Gamma" in names
    assert not names & {"Department of Alpha", "Department of Beta"}


def test_exports_neutralise_formulas(client, dapa, world):
    world["gamma"].name = "=HYPERLINK(1)"
    world["gamma"].save()
    DataRequest.objects.create(
        agency=world["alpha"],
        received_on=datetime.date(2026, 2, 1),
        requester_type="public",
        summary="@SUM(A1:A9)",
        due_date=datetime.date(2026, 2, 15),
    )
    client.force_login(dapa)
    names = [row[0] for row in _sheet(client.get(reverse("program:export-xlsx"), {"year": 2026}))]
    assert "'=HYPERLINK(1)" in names
    assert "=HYPERLINK(1)" not in names
    csv_text = client.get(reverse("program:export-csv"), {"year": 2026}).content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in csv_text
    log = _sheet(client.get(reverse("program:requests-all"), {"format": "xlsx"}))
    assert log[1][3] == "'@SUM(A1:A9)"


def test_compliance_xlsx_per_agency(client, ado_a, world):
    client.force_login(ado_a)
    url = reverse("program:compliance-agency-xlsx", args=["alpha"])
    rows = _sheet(client.get(url, {"year": 2026}))
    assert len(rows) == 2
    assert rows[1][:7] == ("Department of Alpha", "yes", "Accepted", "no", "yes", 2, 1)


def test_chart_data_tables_export(client, dapa, world):
    client.force_login(dapa)
    url = reverse("program:chart-xlsx", args=["freshness"])
    rows = _sheet(client.get(url, {"year": 2026}))
    assert rows == [("Agency", "Up to date", "Stale", "Failing"), ("DOA", 0, 1, 1)]
    text = client.get(reverse("program:chart-csv", args=["filings"]), {"year": 2026}).content
    assert text.decode("utf-8-sig").splitlines()[0] == "Status,Inventories,Access plans"
    assert client.get(reverse("program:chart-csv", args=["nope"])).status_code == 404
