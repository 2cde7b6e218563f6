"""Every person's workspace (issue #16), in a real browser at four widths with axe-core: the ADO's
home with and without this year's inventory and plan, what came back with comments; the plan
item form by intent, with and without JavaScript; the publisher's dataset list; the CDO's and
DAPA's plan figures and the inventory table's hint."""

import datetime

import pytest

from access_plans import services as plan_services
from agencies.models import Role
from inventories import services as inventory_services
from tests.access_plans.conftest import item_data
from tests.browser.conftest import CHROMIUM_ARGS, axe_violations, sign_in  # noqa: F401
from tests.factories import AgencyFactory, MembershipFactory, UserFactory
from tests.inventories.factories import DatasetFactory, InventoryFactory

# One frozen clock for the test, its fixtures and the live server (same process); it ticks so
# that waits and timeouts behave.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.clock("2026-05-15T14:00:00Z", tick=True),
]

WIDTHS = [375, 1024, 1280, 1600]
# The simplest publishing intent's form at 1280 px: the dataset's heading, the intent radios,
# the evaluation, reasons and prioritisation checkboxes (notes folded), the publication fields
# and the button. The form asked everything at about 5,100 px before it was split by intent.
PUBLISH_FORM_MAX_PX = 2_500


def _accessible_at_every_width(page) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(page) == [], f"at {width} px"
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def ocme(db):
    return AgencyFactory(name="Office of the Chief Medical Examiner", acronym="OCME", slug="ocme")


@pytest.fixture
def ado_ocme(ocme):
    user = UserFactory(username="ado.ocme", first_name="Olivia", last_name="Ortiz")
    MembershipFactory(user=user, agency=ocme, role=Role.ADO)
    return user


@pytest.fixture
def pub_ocme(ocme):
    user = UserFactory(username="pub.ocme", first_name="Paul", last_name="Park")
    MembershipFactory(user=user, agency=ocme, role=Role.PUBLISHER)
    return user


@pytest.fixture
def inventory(ocme):
    inventory = InventoryFactory(agency=ocme, year=2026)
    DatasetFactory(
        inventory=inventory,
        title="Accidental drug related deaths",
        foi_subject=True,
        frequently_requested=True,
        requests_per_year=40,
    )
    DatasetFactory(
        inventory=inventory,
        title="Autopsy caseload",
        has_quasi_identifiers=True,
        quasi_identifiers_detail="town, age",
        contact_email="",  # a finding of the metadata checklist: "(N to fix)" in the table
        description="",
    )
    return inventory


def _next_step(page) -> str:
    return page.locator("#next-step-text-ocme").inner_text()


def test_ado_home_without_then_with_this_years_inventory(page, ado_ocme):
    sign_in(page, "ado.ocme")
    assert _next_step(page) == "Start the 2026 inventory."
    assert "December 31, 2026" in page.locator("#year-table-ocme").inner_text()
    _accessible_at_every_width(page)

    page.get_by_role("button", name="Start the 2026 inventory").click()
    page.wait_for_url("**/inventories/ocme/2026/")
    page.goto("/")
    assert _next_step(page).startswith("List the agency's datasets and submit the inventory by")
    assert page.get_by_role("button", name="Start the 2026 inventory").count() == 0
    page.locator("#year-table-ocme").get_by_role("link", name="2026 inventory").click()
    page.wait_for_url("**/inventories/ocme/2026/")


def test_ado_and_publisher_see_what_came_back_with_comments(
    page, ado_ocme, pub_ocme, cdo, inventory
):
    autopsies = inventory.datasets.get(title="Autopsy caseload")
    inventory_services.inventory_submit(
        inventory=inventory, attested_name="Olivia Ortiz", attestation="True.", acting_user=ado_ocme
    )
    inventory_services.inventory_return(
        inventory=inventory,
        comment="Add the toxicology dataset.",
        dataset_comments={autopsies.pk: "Say which towns are suppressed."},
        acting_user=cdo,
    )
    plan = plan_services.plan_start(agency=inventory.agency, year=2026, acting_user=ado_ocme)
    plan_services.item_create(
        plan=plan,
        dataset=inventory.datasets.get(title="Accidental drug related deaths"),
        data=item_data(target_date=datetime.date(2026, 4, 30)),
        acting_user=ado_ocme,
    )
    plan_services.plan_submit(plan=plan, acting_user=ado_ocme)
    plan_services.plan_request_changes(plan=plan, comment="Aggregate by county.", acting_user=cdo)

    for username in ["ado.ocme", "pub.ocme"]:
        sign_in(page, username)
        section = page.locator("#year-status-ocme").inner_text()
        assert "The reviewer returned the inventory" in _next_step(page)
        assert "Autopsy caseload: Say which towns are suppressed." in section
        assert "Aggregate by county." in section
        assert "Overdue: Accidental drug related deaths, target April 30, 2026" in section
        _accessible_at_every_width(page)
        page.get_by_role("link", name="Go to the next step").click()
        page.wait_for_url("**/inventories/ocme/2026/")
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url("**/accounts/login/")


def _choose(page, dataset: str, intent: str) -> None:
    page.get_by_label("Dataset from the inventory").select_option(label=dataset)
    page.get_by_text(intent, exact=True).click()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_selector("#item-form")


def _height(page) -> int:
    return page.evaluate("document.documentElement.scrollHeight")


def test_plan_item_form_by_intent(page, ado_ocme, inventory):
    plan_services.plan_start(agency=inventory.agency, year=2026, acting_user=ado_ocme)
    sign_in(page, "ado.ocme")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/plans/ocme/2026/items/new/")
    _accessible_at_every_width(page)
    _choose(page, "Accidental drug related deaths", "Publish new")
    publish_height = _height(page)
    assert publish_height < PUBLISH_FORM_MAX_PX
    # The inventory's reasons come checked; the privacy part is not asked of this dataset.
    assert page.locator("#id_reason_foi").is_checked()
    assert page.locator("#id_reason_requested").is_checked()
    assert not page.locator("#id_privacy_treatment").is_visible()
    _accessible_at_every_width(page)

    # Switching the intent shows that intent's fields at once (static/js/plan_item.js).
    intent = page.get_by_label("What the plan does with the dataset")
    intent.select_option(label="Not publishable")
    assert page.get_by_label("Not publishable reason").is_visible()
    assert not page.get_by_label("Method").is_visible()
    assert _height(page) < publish_height / 2  # the reason alone
    intent.select_option(label="Publish new")
    assert page.get_by_label("Method").is_visible()

    # Nothing answered: the summary at the top links to each field.
    page.get_by_role("button", name="Save").click()
    summary = page.locator("#error-summary")
    assert "Method: Choose how the dataset will be published." in summary.inner_text()
    _accessible_at_every_width(page)
    summary.get_by_role("link", name="Method: Choose how the dataset will be published.").click()
    assert page.evaluate("location.hash") == "#id_method"
    assert page.get_by_label("Method").is_visible()


@pytest.fixture
def no_script_page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_plan_item_form_works_without_javascript(no_script_page, ado_ocme, inventory):
    page = no_script_page
    plan = plan_services.plan_start(agency=inventory.agency, year=2026, acting_user=ado_ocme)
    sign_in(page, "ado.ocme")
    page.goto("/plans/ocme/2026/items/new/")
    _choose(page, "Autopsy caseload (privacy flags)", "Not publishable")
    assert not page.get_by_label("Method").is_visible()
    page.get_by_label("Not publishable reason").fill("Case files are confidential by statute.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/plans/ocme/2026/")
    item = plan.items.get()
    assert (item.intent, item.not_publishable_reason) == (
        "not_publishable",
        "Case files are confidential by statute.",
    )


def test_publisher_picks_each_dataset_once_with_its_year(page, pub_ocme, inventory):
    later = InventoryFactory(agency=inventory.agency, year=2027)
    for dataset in inventory.datasets.all():
        DatasetFactory(inventory=later, title=dataset.title, uid=dataset.uid)
    sign_in(page, "pub.ocme")
    page.goto("/publishing/new/")
    options = page.locator("#id_dataset option").all_inner_texts()
    assert options == [
        "---------",
        "Accidental drug related deaths — 2027 inventory, OCME",
        "Autopsy caseload — 2027 inventory, OCME",
    ]
    _accessible_at_every_width(page)


@pytest.mark.parametrize("username", ["cdo", "dapa"])
def test_staff_see_no_items_due_yet_and_a_readable_hint(
    page, cdo, dapa, ado_ocme, inventory, username
):
    plan = plan_services.plan_start(agency=inventory.agency, year=2026, acting_user=ado_ocme)
    plan_services.item_create(
        plan=plan,
        dataset=inventory.datasets.get(title="Accidental drug related deaths"),
        data=item_data(target_date=datetime.date(2026, 9, 30)),
        acting_user=ado_ocme,
    )
    plan_services.plan_submit(plan=plan, acting_user=ado_ocme)
    sign_in(page, username)
    page.goto("/plans/ocme/2026/")
    assert "on time: no items due yet" in page.locator("#plan-figures").inner_text()
    _accessible_at_every_width(page)
    page.goto("/plans/metrics/?year=2026")
    assert "none due yet" in page.locator("#metrics-table").inner_text()
    _accessible_at_every_width(page)
    page.goto("/inventories/ocme/2026/")
    assert "to fix)" in page.locator("#dataset-table").inner_text()
    _accessible_at_every_width(page)  # axe's color-contrast covers the hint on striped rows
