"""The inventory's whole year in a real browser: import with mistakes, fix, edit, submit, return,
resubmit, accept — and the public finds it in the catalog."""

import io

import pytest
from openpyxl import Workbook

from tests.browser.conftest import axe_violations, sign_in
from tests.catalog.test_data_json import _validator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = ["Title", "High-value criteria", "Access level", "Reason not public", "Category"]


def _xlsx(path, rows) -> str:
    workbook = Workbook()
    workbook.active.append(HEADER)
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())
    return str(path)


def _accessible(page) -> None:
    assert axe_violations(page) == []


def _sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")


def test_inventory_year_from_import_to_public_catalog(page, tmp_path, ado_a, cdo):
    sign_in(page, "alice")
    page.get_by_role("link", name="Inventories").first.click()
    page.get_by_label("Year for Department of Alpha").fill("2026")
    page.get_by_role("button", name="Start the inventory").click()
    page.wait_for_url("**/inventories/alpha/2026/")
    _accessible(page)

    # An XLSX with mistakes: the errors name the row and the column; nothing is written.
    page.get_by_role("link", name="Import a spreadsheet").click()
    _accessible(page)
    bad = _xlsx(
        tmp_path / "bad.xlsx",
        [
            ["Foster homes by town", "B;Q", "public", "", "Health and Human Services"],
            ["Case files", "A", "non-public", "", "Sports"],
        ],
    )
    page.locator("#id_file").set_input_files(bad)  # USWDS relabels the enhanced input
    page.get_by_role("button", name="Check the file").click()
    errors = page.locator("#import-errors")
    assert "Q: criteria are the letters A to H" in errors.inner_text()
    assert "Reason not public" in errors.inner_text()
    assert "'Sports' is not one of" in errors.inner_text()
    assert page.get_by_role("button", name="Import").count() == 0
    _accessible(page)

    # The fixed file previews clean and commits.
    page.get_by_role("link", name="upload it again").click()
    good = _xlsx(
        tmp_path / "good.xlsx",
        [
            ["Foster homes by town", "B;C", "public", "", "Health and Human Services"],
            ["Case files", "A", "non-public", "Confidential under CGS §17a-28.", "Government"],
        ],
    )
    page.locator("#id_file").set_input_files(good)
    page.get_by_role("button", name="Check the file").click()
    assert "2 rows read: 2 new" in page.locator("#import-summary").inner_text()
    page.get_by_role("button", name="Import 2 rows").click()
    page.wait_for_url("**/inventories/alpha/2026/")
    assert page.locator("#dataset-table tbody tr").count() == 2

    # Edit one dataset in the form, then submit with the attestation.
    page.get_by_role("link", name="Foster homes by town").click()
    page.get_by_role("link", name="Edit").click()
    _accessible(page)
    page.get_by_label("Description").fill("Licensed foster homes, counted by town.")
    with page.expect_navigation():  # the save redirects; the next link is on the page it loads
        page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Submit for review").click()
    page.wait_for_url("**/inventories/alpha/2026/submit/")
    _accessible(page)
    page.get_by_label("Your full name").fill("Alice Adams")
    page.locator("label[for=id_confirm]").click()  # USWDS styles the label, not the box
    page.get_by_role("button", name="Submit for review").click()
    assert "Submitted" in page.locator("#inventory-status").inner_text()
    _sign_out(page)

    # The CDO returns it with a comment.
    sign_in(page, "cdo")
    page.goto("/inventories/alpha/2026/")
    page.get_by_role("link", name="Review").click()
    _accessible(page)
    page.get_by_text("Return it with comments").click()
    page.get_by_label("Comment to the agency").fill(
        "Give the temporal coverage of the foster data."
    )
    page.get_by_role("button", name="Record the decision").click()
    assert "Returned" in page.locator("#inventory-status").inner_text()
    _sign_out(page)

    # The ADO reads the comment, fixes the dataset and resubmits.
    sign_in(page, "alice")
    page.goto("/inventories/alpha/2026/")
    assert "temporal coverage of the foster data" in page.locator("#review-comments").inner_text()
    page.get_by_role("link", name="Foster homes by town").click()
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Temporal coverage").fill("2015-2025")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Submit for review").click()
    page.get_by_label("Your full name").fill("Alice Adams")
    page.locator("label[for=id_confirm]").click()  # USWDS styles the label, not the box
    page.get_by_role("button", name="Submit for review").click()
    _sign_out(page)

    # The CDO accepts; the change since the first submission is visible on the review page.
    sign_in(page, "cdo")
    page.goto("/inventories/alpha/2026/review/")
    page.get_by_text("Accept the inventory").click()
    page.get_by_role("button", name="Record the decision").click()
    assert "Accepted" in page.locator("#inventory-status").inner_text()
    _sign_out(page)

    # An anonymous visitor finds it in the public catalog; the non-public one shows its reason.
    page.goto("/catalog/")
    _accessible(page)
    body = page.locator("main").inner_text()
    assert "Foster homes by town" in body
    assert "Confidential under CGS §17a-28." in body
    response = page.request.get("/data.json")
    assert response.ok
    catalog = response.json()
    _validator().validate(catalog)  # DCAT-US 1.1, the schemas kept under tests/inventories/
    titles = [d["title"] for d in catalog["dataset"]]
    assert "Foster homes by town" in titles
