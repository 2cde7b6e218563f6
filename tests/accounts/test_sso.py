"""Single sign-on through a real OpenID provider process (node-oidc-provider on loopback):
people matched by e-mail or created, staff groups from the provider's group claims on every
sign-in, the provider's second factor trusted only when its signed ID token says so."""

from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from agencies.models import Membership, StaffGroup
from tests.accounts.oidc_provider import provider_sign_in

pytestmark = [pytest.mark.oidc, pytest.mark.django_db]


@pytest.fixture
def browser():
    # The provider accepts loopback redirect addresses only, as the state's would accept ours.
    return Client(HTTP_HOST="localhost")


def sign_in(browser: Client, login: str, *, mfa: bool = False, next_url: str = "/"):
    start = browser.get("/accounts/sso/start/", {"next": next_url})
    assert start.status_code == 302
    back = urlsplit(provider_sign_in(start["Location"], login, mfa=mfa))
    return browser.get(back.path, QUERY_STRING=back.query)


def staff_groups(user: User) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def test_a_dapa_analyst_is_created_with_the_mapped_group(sso, browser):
    response = sign_in(browser, "dana", next_url="/dashboard/")
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    dana = User.objects.get(email="dana.diaz@ct.example")
    assert dana.username == "dana.diaz@ct.example"
    assert (dana.first_name, dana.last_name) == ("Dana", "Diaz")
    assert not dana.has_usable_password()
    assert staff_groups(dana) == {StaffGroup.DAPA.value}  # "all-staff" maps to nothing
    assert browser.get("/dashboard/").status_code == 200


def test_an_existing_account_is_matched_by_email_and_the_map_is_applied_again(
    sso, settings, browser, ado_a, agency_a
):
    settings.CTODP_OIDC_GROUP_MAP = {"ctodp-cdo": StaffGroup.CDO.value}
    cdo_group = Group.objects.get_or_create(name=StaffGroup.CDO.value)[0]
    portal_group = Group.objects.get_or_create(name=StaffGroup.PORTAL_ADMIN.value)[0]
    ado_a.groups.add(cdo_group, portal_group)

    assert sign_in(browser, "alice").status_code == 302

    assert User.objects.filter(email__iexact="alice@ct.example").count() == 1
    # The provider no longer grants the CDO group; the portal group is not in the map: kept.
    assert staff_groups(ado_a) == {StaffGroup.PORTAL_ADMIN.value}
    assert Membership.objects.filter(user=ado_a, agency=agency_a).exists()  # ctodp's own
    assert browser.get("/agencies/alpha/").status_code == 200


def test_an_address_the_provider_did_not_verify_matches_nobody(sso, browser, dapa):
    dapa.email = "dana.diaz@ct.example"
    dapa.save()
    response = sign_in(browser, "mallory")
    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in browser.session
    assert not User.objects.filter(username="dana.diaz@ct.example").exists()


def test_a_token_from_another_issuer_is_refused(sso, settings, browser):
    settings.CTODP_OIDC_ISSUER = "https://login.example.gov/other-tenant"
    response = sign_in(browser, "dana")
    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in browser.session
    page = browser.get("/accounts/login/").content.decode()
    assert "Single sign-on did not complete" in page


def test_a_cdo_without_the_providers_second_factor_must_enrol_here(sso, settings, browser):
    settings.CTODP_OTP_REQUIRED = True
    assert sign_in(browser, "carol", next_url="/dashboard/")["Location"] == "/dashboard/"
    response = browser.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/setup/?next=")


def test_a_cdo_whose_provider_checked_a_second_factor_goes_straight_in(sso, settings, browser):
    settings.CTODP_OTP_REQUIRED = True
    sign_in(browser, "carol", mfa=True)
    carol = User.objects.get(email="carol.cruz@ct.example")
    assert staff_groups(carol) == {StaffGroup.CDO.value}
    assert browser.get("/dashboard/").status_code == 200


def test_the_providers_mfa_counts_only_when_configured(sso, settings, browser):
    settings.CTODP_OTP_REQUIRED = True
    settings.CTODP_OIDC_MFA_AMR = []  # the provider's amr is not trusted at all
    sign_in(browser, "carol", mfa=True)
    assert browser.get("/dashboard/")["Location"].startswith("/accounts/two-factor/setup/")
