"""The second factor: the CDO, portal administrators and superusers enrol an authenticator app
and prove a code after signing in; until then no page (the admin included) is open to them."""

import datetime
import re
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services

MOMENT = datetime.datetime(2026, 3, 2, 14, 0, 10, tzinfo=datetime.UTC)
pytestmark = [pytest.mark.clock(MOMENT)]


@pytest.fixture(autouse=True)
def _second_factor_on(settings):
    settings.CTODP_OTP_REQUIRED = True


def code_for(key: bytes, *, steps_ago: int = 0) -> str:
    totp = TOTP(key)
    totp.time = MOMENT.timestamp() - 30 * steps_ago
    return f"{totp.token():06d}"


def sign_in(client, user) -> None:
    response = client.post(
        "/accounts/login/", {"username": user.username, "password": "pw-for-tests"}
    )
    assert response.status_code == 302


@pytest.fixture
def enrolled_cdo(cdo):
    key = services.totp_key_new()
    device = services.totp_device_confirm(user=cdo, key=key, code=code_for(bytes.fromhex(key)))
    device.last_t = 0  # as if enrolled long ago: the current code is still unused
    device.save()
    codes = services.backup_codes_replace(user=cdo)
    return cdo, bytes.fromhex(key), codes


def test_a_cdo_without_a_device_is_sent_to_enrolment_and_cannot_reach_pages(client, cdo):
    sign_in(client, cdo)
    for path in ("/", "/dashboard/", "/admin/", "/accounts/tokens/", "/api/v1/agencies/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/two-factor/setup/?next="), path

    page = client.get("/accounts/two-factor/setup/?next=/dashboard/")
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    html = page.content.decode()
    qr = re.search(r'<img id="totp-qr" src="(data:image/svg\+xml[^"]+)"', html)
    assert qr, "the QR code is an SVG in a data: URI (no inline script for the CSP)"
    secret = re.search(r'<code id="totp-secret">([A-Z2-7]+)</code>', html).group(1)
    key = b32decode(secret)

    wrong = client.post("/accounts/two-factor/setup/", {"code": "000000", "next": "/dashboard/"})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors["code"]
    assert not TOTPDevice.objects.filter(user=cdo).exists()
    assert client.get("/dashboard/").status_code == 302

    done = client.post(
        "/accounts/two-factor/setup/", {"code": code_for(key), "next": "/dashboard/"}
    )
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10
    assert all(code in done.content.decode() for code in codes)  # shown once, here
    assert TOTPDevice.objects.get(user=cdo).confirmed
    assert client.get("/dashboard/").status_code == 200
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_fails_and_the_right_one_lets_the_cdo_in(client, enrolled_cdo):
    cdo, key, _ = enrolled_cdo
    sign_in(client, cdo)
    response = client.get("/dashboard/")
    assert response["Location"] == "/accounts/two-factor/verify/?next=%2Fdashboard%2F"
    assert client.get("/accounts/two-factor/setup/")["Location"].startswith(
        "/accounts/two-factor/verify/"
    )  # no second enrolment before proving the first

    wrong = client.post("/accounts/two-factor/verify/", {"code": "123456", "next": "/dashboard/"})
    assert wrong.status_code == 200
    assert "That code did not work" in wrong.content.decode()
    assert client.get("/dashboard/").status_code == 302
    assert client.get("/admin/").status_code == 302

    # django-otp makes the next try wait after a failure; a moment later the right code works.
    TOTPDevice.objects.get(user=cdo).throttle_reset()
    right = client.post(
        "/accounts/two-factor/verify/", {"code": code_for(key), "next": "/dashboard/"}
    )
    assert right["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200


def test_failures_are_throttled(client, enrolled_cdo):
    cdo, key, _ = enrolled_cdo
    sign_in(client, cdo)
    client.post("/accounts/two-factor/verify/", {"code": "123456"})
    # The right code, straight after a failure, still waits out the throttle.
    response = client.post("/accounts/two-factor/verify/", {"code": code_for(key)})
    assert response.status_code == 200
    assert client.get("/dashboard/").status_code == 302


def test_a_backup_code_works_once(client, enrolled_cdo):
    cdo, _, codes = enrolled_cdo
    sign_in(client, cdo)
    response = client.post("/accounts/two-factor/verify/", {"code": codes[0].upper()})
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 200
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    assert StaticToken.objects.filter(device__user=cdo).count() == 9

    client.post("/accounts/logout/")
    sign_in(client, cdo)
    again = client.post("/accounts/two-factor/verify/", {"code": codes[0]})
    assert again.status_code == 200
    assert client.get("/dashboard/").status_code == 302


def test_a_code_is_not_accepted_twice(client, enrolled_cdo):
    cdo, key, _ = enrolled_cdo
    sign_in(client, cdo)
    assert client.post("/accounts/two-factor/verify/", {"code": code_for(key)}).status_code == 302
    client.post("/accounts/logout/")
    sign_in(client, cdo)
    TOTPDevice.objects.get(user=cdo).throttle_reset()
    replay = client.post("/accounts/two-factor/verify/", {"code": code_for(key)})
    assert replay.status_code == 200


def test_a_portal_admin_and_a_superuser_need_it_and_a_dapa_analyst_does_not(
    client, portal_admin, dapa, ado_a
):
    from tests.factories import UserFactory

    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    for user in (portal_admin, root):
        client.force_login(user)
        assert client.get("/")["Location"].startswith("/accounts/two-factor/setup/")
    for user in (dapa, ado_a):
        client.force_login(user)
        assert client.get("/").status_code == 200
        assert client.get("/accounts/two-factor/setup/").status_code == 404  # not for them


def test_renewed_backup_codes_replace_the_old_ones(client, enrolled_cdo):
    cdo, key, codes = enrolled_cdo
    sign_in(client, cdo)
    assert client.post("/accounts/two-factor/backup-codes/").status_code == 302  # unproved
    client.post("/accounts/two-factor/verify/", {"code": code_for(key)})
    response = client.post("/accounts/two-factor/backup-codes/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    new = set(response.context["codes"])
    assert new == set(StaticToken.objects.filter(device__user=cdo).values_list("token", flat=True))
    assert not new & set(codes)


def test_off_when_the_setting_is_off(client, settings, cdo):
    settings.CTODP_OTP_REQUIRED = False
    client.force_login(cdo)
    assert client.get("/dashboard/").status_code == 200


def test_the_navigation_waits_for_the_second_factor(client, cdo):
    sign_in(client, cdo)
    page = client.get("/accounts/two-factor/setup/")
    assert page.context["nav_items"] == []


def test_a_verified_cdo_can_move_to_a_new_phone(client, enrolled_cdo):
    cdo, key, _ = enrolled_cdo
    sign_in(client, cdo)
    client.post("/accounts/two-factor/verify/", {"code": code_for(key)})
    page = client.get("/accounts/two-factor/setup/")
    assert page.context["replacing"]
    assert "Make new backup codes" in page.content.decode()
    new_key = b32decode(page.context["secret"])
    form = {"code": code_for(new_key)}
    assert client.post("/accounts/two-factor/setup/", form).status_code == 200
    assert TOTPDevice.objects.get(user=cdo).bin_key == new_key  # the old one is gone
