"""The import preview in a real browser (#16): changed fields by their spreadsheet names, on a
phone and on a desktop, with no serious accessibility problem."""

import pytest

from inventories.choices import UpdateFrequency
from tests.browser.conftest import axe_violations, sign_in
from tests.inventories.factories import DatasetFactory, InventoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [375, 1024, 1280, 1600])
def test_the_preview_names_changed_fields_as_the_spreadsheet_does(
    page, tmp_path, agency_a, ado_a, width
):
    inventory = InventoryFactory(agency=agency_a, year=2026)
    DatasetFactory(
        inventory=inventory,
        title="Foster homes by town",
        update_frequency=UpdateFrequency.MONTHLY,
    )
    sheet = tmp_path / "changes.csv"
    sheet.write_text(
        "Title,High-value criteria,Access level,Update frequency\n"
        "Foster homes by town,B;H,public,Weekly\n"
    )
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "alice")
    page.goto("/inventories/alpha/2026/import/")
    page.locator("#id_file").set_input_files(str(sheet))
    page.get_by_role("button", name="Check the file").click()

    row = page.locator("#import-rows tbody tr").first
    assert "changed" in row.inner_text().lower()  # USWDS tags are shown in capitals
    changed = row.locator("td").nth(3).inner_text()
    assert changed == "High-value criteria, Update frequency"
    assert "criterion_" not in page.content()
    assert "update_frequency" not in page.locator("#import-rows").inner_text()
    assert axe_violations(page) == []
