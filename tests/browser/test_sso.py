"""A DAPA analyst signs in through the state's identity provider (a real OpenID provider process
on loopback) and lands signed in, with the staff group the provider's group claim maps to."""

import pytest
from django.contrib.auth.models import User

from agencies.models import StaffGroup
from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.oidc, pytest.mark.django_db(transaction=True)]


def test_a_dapa_analyst_signs_in_through_the_provider_with_the_mapped_group(page, sso):
    page.goto("/accounts/login/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Sign in with your State of Connecticut account").click()

    page.wait_for_url(f"{sso.issuer}/interaction/**")
    page.get_by_label("Login").fill("dana")
    page.get_by_label("Password").fill("pw-for-tests")
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/")
    assert "Dana Diaz" in page.locator(".ctodp-user").inner_text()
    nav = page.get_by_role("navigation", name="Primary navigation")
    assert nav.get_by_role("link", name="Dashboard").is_visible()
    assert nav.get_by_role("link", name="Administration").is_visible()
    assert axe_violations(page) == []

    dana = User.objects.get(email="dana.diaz@ct.example")
    assert set(dana.groups.values_list("name", flat=True)) == {StaffGroup.DAPA.value}
    page.get_by_role("link", name="Dashboard").click()
    page.wait_for_url("**/dashboard/")
    assert axe_violations(page) == []


def test_a_cdo_signing_in_without_the_providers_second_factor_enrols_one(page, sso, settings):
    settings.CTODP_OTP_REQUIRED = True
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Sign in with your State of Connecticut account").click()
    page.get_by_label("Login").fill("carol")
    page.get_by_label("Password").fill("pw-for-tests")
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/accounts/two-factor/setup/**")
    assert page.locator("#totp-qr").is_visible()
    assert page.locator("#totp-qr").evaluate("img => img.naturalWidth") > 0  # the SVG renders
    assert axe_violations(page) == []
