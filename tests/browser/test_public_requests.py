"""A visitor asks an agency for data from the catalog, on a phone and on a desktop; the agency's
data officer finds the request in the log (ADR 0027). Every page passes axe."""

import pytest
from django.core import mail
from django.core.cache import cache

from agencies.models import Role
from inventories.choices import InventoryStatus
from program.models import DataRequest
from tests.browser.conftest import axe_violations, sign_in
from tests.factories import AgencyFactory, MembershipFactory, UserFactory
from tests.inventories.factories import InventoryFactory
from tests.publishing.helpers import ocme_dataset

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEIGHT = 900


@pytest.fixture
def ocme():
    cache.clear()  # the per-address limit lives in the cache
    agency = AgencyFactory(name="Office of the Chief Medical Examiner", acronym="OCME", slug="ocme")
    InventoryFactory(agency=agency, year=2025, status=InventoryStatus.ACCEPTED)
    MembershipFactory(user=UserFactory(username="ado.ocme"), agency=agency, role=Role.ADO)
    return ocme_dataset(agency)


@pytest.mark.parametrize("width", [375, 1024, 1280, 1600])
def test_a_visitor_requests_data_and_the_ado_sees_it_in_the_log(page, ocme, width):
    page.set_viewport_size({"width": width, "height": HEIGHT})
    page.goto(f"/catalog/datasets/{ocme.uid}/")
    page.get_by_role("link", name="Request data / report a problem").click()
    page.wait_for_url(f"**/catalog/datasets/{ocme.uid}/request/")
    assert axe_violations(page) == []

    page.get_by_text("Request for data", exact=True).click()
    page.get_by_label("In one line").fill(f"Deaths by town and year ({width})")
    page.get_by_label("Details").fill("Including 2019 onward, please.")
    page.get_by_label("Who are you asking as?").select_option("researcher")
    page.get_by_label("Your name").fill("Dana Diaz")
    page.get_by_label("Your e-mail address").fill("dana@example.org")
    page.get_by_role("button", name="Send").click()

    page.wait_for_url("**/catalog/requests/*/")
    assert page.get_by_role("heading", level=1).inner_text() == "Your data request"
    assert "Open" in page.locator("#request-status").inner_text()
    assert "A receipt with this page's address was e-mailed" in page.content()
    assert axe_violations(page) == []
    assert page.url.split("/catalog/")[1] in mail.outbox[0].body
    assert DataRequest.objects.get().agency.slug == "ocme"

    sign_in(page, "ado.ocme")
    page.goto("/dashboard/agencies/ocme/requests/")
    row = page.locator("#requests-table tbody tr").first
    assert f"Deaths by town and year ({width})" in row.inner_text()
    assert "request for data, public form" in row.inner_text().lower()
    assert axe_violations(page) == []


def test_the_general_form_shows_a_field_error_accessibly(page, ocme):
    page.goto("/catalog/")
    page.get_by_role("link", name="Request data / report a problem").click()
    page.get_by_text("Problem with a dataset", exact=True).click()
    page.get_by_label("In one line").fill("The 2018 file is missing a column")
    page.get_by_label("Your e-mail address").fill("dana@example.org")
    page.get_by_role("button", name="Send").click()
    assert page.locator("#id_agency_error").inner_text() == "This field is required."
    assert axe_violations(page) == []
    page.get_by_label("Agency").select_option(label="Office of the Chief Medical Examiner")
    page.get_by_role("button", name="Send").click()
    page.wait_for_url("**/catalog/requests/*/")
    assert page.get_by_role("heading", level=1).inner_text() == "Your problem report"
