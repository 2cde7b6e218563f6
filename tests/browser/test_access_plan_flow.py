"""An access plan's whole review in a real browser: the ADO builds it from the inventory,
submits, the CDO requests changes in the admin, the ADO reads the comments and the diff,
resubmits, and the CDO approves."""

import pytest

from inventories.choices import AccessLevel, Availability
from tests.browser.conftest import axe_violations, sign_in
from tests.inventories.factories import DatasetFactory, InventoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def inventory_a(agency_a):
    inventory = InventoryFactory(agency=agency_a, year=2026)
    DatasetFactory(
        inventory=inventory,
        title="Child care inspections",
        has_quasi_identifiers=True,
        quasi_identifiers_detail="town, inspection date",
    )
    DatasetFactory(
        inventory=inventory,
        title="Subsidy payments",
        access_level=AccessLevel.RESTRICTED,
        access_reason="Vendor contracts restrict redistribution.",
        availability=Availability.PORTAL,
        portal_id="abcd-1234",
    )
    return inventory


def _accessible(page) -> None:
    assert axe_violations(page) == []


def _sign_out(page) -> None:
    page.goto("/plans/")  # the admin has its own header
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")


def _click(page, label: str) -> None:
    """USWDS hides the real checkbox or radio and styles its label: click the label."""
    page.locator("label", has_text=label).first.click()


def _common_answers(page, *, skip: str = "") -> None:
    for condition in [
        "The data belongs to the agency",
        "No fee is charged for access or use",
        "Free of legal, contract or policy restrictions",
        "Has a plan for predictable or regular updates",
        "Does not violate the privacy of individuals in it",
    ]:
        if condition != skip:
            page.get_by_text(condition, exact=True).click()
    page.get_by_text("Aligned with state and agency goals", exact=True).click()
    page.get_by_text("Accurate and complete", exact=True).click()
    page.get_by_label("Method").select_option(label="CT Open Data Portal upload")
    page.get_by_label("Target publication date").fill("2026-06-30")
    page.get_by_label("Update frequency").select_option(label="Monthly")
    page.get_by_label("Update process").fill("Licensing exports the table each month.")


def _choose(page, dataset: str, intent: str) -> None:
    """The first step of a new item: its dataset and intent."""
    page.get_by_label("Dataset from the inventory").select_option(label=dataset)
    page.get_by_text(intent, exact=True).click()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_selector("#item-form")


def _build_plan(page) -> None:
    page.get_by_role("link", name="Access plans").first.click()
    page.get_by_label("Plan year for Department of Alpha").fill("2026")
    page.get_by_role("button", name="Start the plan").click()
    page.wait_for_url("**/plans/alpha/2026/")
    _accessible(page)

    # An item with privacy flags: without a treatment it is refused, with one it is saved.
    page.get_by_role("link", name="Add a dataset to the plan").click()
    _accessible(page)
    _choose(page, "Child care inspections (privacy flags)", "Publish new")
    _accessible(page)
    _common_answers(page)
    page.get_by_role("button", name="Save").click()
    assert "choose a privacy treatment" in page.locator("#group-privacy_treatment").inner_text()
    _accessible(page)
    page.get_by_label("Privacy treatment", exact=True).select_option(label="Aggregate")
    page.get_by_label("Aggregation level").fill("town × year")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/plans/alpha/2026/")

    # An item failing an evaluation condition needs a written justification.
    page.get_by_role("link", name="Add a dataset to the plan").click()
    _choose(page, "Subsidy payments", "Already published (maintain)")
    _common_answers(page, skip="Free of legal, contract or policy restrictions")
    page.get_by_role("button", name="Save").click()
    assert "written justification" in page.locator("#group-evaluation_justification").inner_text()
    page.get_by_label("Evaluation justification").fill(
        "The vendor agreed in writing to the publication of totals."
    )
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/plans/alpha/2026/")
    assert page.locator("#item-table tbody tr").count() == 2


def _admin_action(page, action: str) -> None:
    page.goto("/admin/access_plans/accessplan/")
    page.locator("input[name=_selected_action]").first.check()
    page.locator("select[name=action]").select_option(action)
    page.get_by_role("button", name="Go").click()


def test_access_plan_from_inventory_to_approval(page, ado_a, cdo, inventory_a):
    # The Django admin's pages link no favicon, so Chromium asks for /favicon.ico (a 404).
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    sign_in(page, "alice")
    _build_plan(page)
    page.get_by_role("button", name="Submit for review").click()
    assert "Submitted (version 1)" in page.locator("#plan-status").inner_text()
    _sign_out(page)

    # The CDO requests changes in the admin, with a comment.
    sign_in(page, "cdo")
    page.goto("/admin/access_plans/accessplan/?status__exact=submitted")
    page.locator("#result_list").get_by_role("link", name="Department of Alpha").click()
    assert "Aggregate: town × year" in page.locator("#content").inner_text()
    _admin_action(page, "request_changes")
    page.get_by_label("Comment on Child care inspections").fill("Towns under 1,000 identify.")
    page.get_by_label("Comment to the agencies").fill("Aggregate the inspections by county.")
    page.get_by_role("button", name="Request changes").click()
    assert "changes requested" in page.locator(".messagelist").inner_text()
    _sign_out(page)

    # The ADO reads the comment, changes the item, resubmits and sees the diff.
    sign_in(page, "alice")
    page.goto("/plans/alpha/2026/")
    comments = page.locator("#review-comments").inner_text()
    assert "by county" in comments
    assert "Child care inspections" in comments
    assert "Towns under 1,000 identify." in comments
    _accessible(page)
    page.get_by_role("link", name="Child care inspections").click()
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Aggregation level").fill("county × year")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Resubmit for review").click()
    assert "Submitted (version 2)" in page.locator("#plan-status").inner_text()
    page.get_by_role("link", name="Version 2").click()
    diff = page.locator("#diff-changed").inner_text()
    assert "town × year" in diff
    assert "county × year" in diff
    _accessible(page)
    _sign_out(page)

    # The CDO approves in the admin; the ADO sees a read-only approved plan.
    sign_in(page, "cdo")
    _admin_action(page, "approve")
    assert "approved" in page.locator(".messagelist").inner_text()
    _sign_out(page)
    sign_in(page, "alice")
    page.goto("/plans/alpha/2026/")
    assert "Approved (version 2)" in page.locator("#plan-status").inner_text()
    assert page.get_by_role("link", name="Add a dataset to the plan").count() == 0
