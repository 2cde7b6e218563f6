"""An ADO and the CDO sign in; each sees what their role allows, and every page passes axe."""

import pytest

from tests.browser.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check_accessible(page) -> None:
    assert axe_violations(page) == []


def test_ado_sees_their_agency_and_no_staff_pages(page, ado_a, agency_b):
    sign_in(page, "alice")
    nav = page.get_by_role("navigation", name="Primary navigation")
    assert nav.get_by_role("link", name="My agency").is_visible()
    assert nav.get_by_role("link", name="Agencies").count() == 0
    assert nav.get_by_role("link", name="Administration").count() == 0
    _check_accessible(page)

    nav.get_by_role("link", name="My agency").click()
    page.wait_for_url("**/agencies/alpha/")
    assert page.get_by_role("heading", level=1).inner_text() == "Department of Alpha (DOA)"
    assert "Alice Adams" in page.locator("#ado").inner_text()
    _check_accessible(page)

    response = page.goto("/agencies/beta/")
    assert response.status == 404
    response = page.goto("/admin/")
    assert "/admin/login/" in page.url


def test_cdo_designates_an_ado_from_the_directory(page, cdo, ado_a):
    from tests.factories import UserFactory

    UserFactory(username="dora", first_name="Dora", last_name="Diaz")
    sign_in(page, "cdo")
    nav = page.get_by_role("navigation", name="Primary navigation")
    assert nav.get_by_role("link", name="Administration").is_visible()
    _check_accessible(page)

    nav.get_by_role("link", name="Agencies").click()
    page.get_by_label("Search").fill("Alpha")
    page.get_by_role("button", name="Filter").click()
    assert page.locator("#agency-table tbody tr").count() == 1
    _check_accessible(page)

    page.get_by_role("link", name="Department of Alpha").click()
    page.get_by_role("link", name="Change the ADO").click()
    _check_accessible(page)
    page.get_by_role("button", name="Designate").click()  # nothing filled in
    assert page.locator(".usa-error-message").count() >= 2
    _check_accessible(page)

    page.get_by_label("New Agency Data Officer").select_option(
        label="Dora Diaz (dora, dora@ct.example)"
    )
    page.get_by_label("Reason for the designation").fill("Alice moved to another agency")
    page.get_by_role("button", name="Designate").click()
    page.wait_for_url("**/agencies/alpha/")
    assert "Dora Diaz is now the ADO." in page.get_by_role("status").first.inner_text()
    assert "Dora Diaz" in page.locator("#ado").inner_text()
    assert "Alice moved to another agency" in page.locator("#designation-history").inner_text()
    _check_accessible(page)
