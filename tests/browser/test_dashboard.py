"""The DAPA analyst's round in a real browser: filter the dashboard to agencies without an
accepted inventory, open one scorecard, export the table, read a chart's data table."""

import csv
import io

import pytest

from tests.browser.conftest import axe_violations, sign_in
from tests.program.conftest import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(agency_a, agency_b, ado_a, ado_b):
    return build_world(agency_a, agency_b, ado_a)


def _agency_names(page) -> set[str]:
    return set(page.locator("#dashboard-table tbody th[scope=row]").all_inner_texts())


def test_dapa_filters_opens_scorecard_exports_and_reads_a_chart(page, dapa, world):
    sign_in(page, "dapa")
    page.get_by_role("link", name="Dashboard", exact=True).click()
    page.get_by_label("Year", exact=True).fill("2026")
    page.get_by_label("Inventory", exact=True).select_option("not_accepted")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**inventory=not_accepted**")
    names = _agency_names(page)
    assert {"Department of Beta", "Department of Gamma"} <= names
    assert "Department of Alpha" not in names
    assert axe_violations(page) == []

    # The chart is drawn (Chart.js from our own origin, data from the JSON island) ...
    page.wait_for_function("document.querySelector('canvas[data-chart]').width > 0")
    # ... and its figures are readable as a table.
    page.get_by_text("Data table: Filings by status (agencies)").click()
    table = page.locator("#chart-filings-table")
    assert table.is_visible()
    header = table.locator("thead th").all_inner_texts()
    assert header == ["Status", "Inventories", "Access plans"]
    # Drawn from the agencies the filter keeps: Beta's submitted inventory is there, Alpha's
    # accepted one is not.
    statuses = table.locator("tbody th").all_inner_texts()
    assert "Submitted" in statuses
    assert "Accepted" not in statuses

    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    text = download.value.path().read_bytes().decode("utf-8-sig")
    exported = {row[0] for row in csv.reader(io.StringIO(text))}
    assert {"Department of Beta", "Department of Gamma"} <= exported
    assert "Department of Alpha" not in exported

    page.get_by_role("link", name="Department of Beta").click()
    page.wait_for_url("**/dashboard/agencies/beta/**")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Department of Beta")
    assert "Submitted" in page.locator("#scorecard-table").inner_text()
    assert axe_violations(page) == []
