"""An anonymous visitor browses and filters the CT Data Catalog; the page passes axe."""

import json

import pytest

from inventories.choices import AccessLevel, Category, InventoryStatus
from tests.browser.conftest import axe_violations
from tests.inventories.factories import DatasetFactory, InventoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_filters_the_catalog_by_agency_and_category(page, agency_a, agency_b):
    for agency in (agency_a, agency_b):
        inventory = InventoryFactory(agency=agency, year=2025, status=InventoryStatus.ACCEPTED)
        DatasetFactory(
            inventory=inventory, title=f"{agency.acronym} schools", portal_id="abcd-1234"
        )
        DatasetFactory(
            inventory=inventory,
            title=f"{agency.acronym} case files",
            access_level=AccessLevel.NON_PUBLIC,
            access_reason="Confidential by statute.",
            category=Category.PUBLIC_SAFETY,
        )

    page.goto("/catalog/")
    assert page.get_by_role("heading", level=1).inner_text() == "CT Data Catalog"
    assert axe_violations(page) == []

    page.get_by_label("Agency", exact=True).select_option("beta")
    page.get_by_label("Category", exact=True).select_option("Education")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**agency=beta**")
    assert page.get_by_role("heading", name="Department of Beta — 2025 inventory").is_visible()
    rows = page.locator("tbody tr")
    assert rows.count() == 1
    assert "DOB schools" in rows.inner_text()
    assert axe_violations(page) == []


def test_a_dataset_page_carries_json_ld_without_a_csp_report(page, agency_a):
    inventory = InventoryFactory(agency=agency_a, year=2025, status=InventoryStatus.ACCEPTED)
    dataset = DatasetFactory(
        inventory=inventory, title="Bridges </script> & tolls", portal_id="abcd-1234"
    )
    violations: list[str] = []
    page.on("console", lambda msg: "Content Security Policy" in msg.text and violations.append(msg))

    page.goto("/catalog/")
    page.get_by_role("link", name="About this dataset").click()
    page.wait_for_url(f"**/catalog/datasets/{dataset.uid}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Bridges </script> & tolls"
    ld = page.locator('script[type="application/ld+json"]').text_content()
    assert json.loads(ld)["name"] == "Bridges </script> & tolls"
    assert axe_violations(page) == []
    assert violations == []
