"""Password reset by e-mail for local accounts: end to end through the mail, the same answer
whether or not the address has an account, throttled, and gone when local passwords are off."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail

from tests.factories import UserFactory

NEW_PASSWORD = "a-new-long-passphrase-41"


def request_reset(client, email: str):
    return client.post("/accounts/password/reset/", {"email": email})


def test_a_local_account_resets_its_password_through_the_mail(client, ado_a):
    response = request_reset(client, "ALICE@ct.example")
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@ct.example"]
    assert message.subject == "Reset your ctodp password"
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/\S+/)", message.body).group(1)

    form = client.get(link, follow=True)  # Django swaps the token for a session marker
    assert form.status_code == 200
    assert form.context["validlink"]
    set_url = form.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == "/accounts/password/reset/complete/"
    assert client.get(done["Location"]).status_code == 200

    ado_a.refresh_from_db()
    assert ado_a.check_password(NEW_PASSWORD)
    signed_in = client.post("/accounts/login/", {"username": "alice", "password": NEW_PASSWORD})
    assert signed_in["Location"] == "/"
    client.post("/accounts/logout/")
    assert not client.get(link, follow=True).context["validlink"]  # the link works once


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, ado_a):
    known = request_reset(client, "alice@ct.example")
    unknown = request_reset(client, "nobody@ct.example")
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert [m.to for m in mail.outbox] == [["alice@ct.example"]]


def test_a_single_sign_on_account_has_no_password_to_reset(client, db):
    user = UserFactory(username="dana.diaz@ct.example", email="dana.diaz@ct.example")
    user.set_unusable_password()
    user.save()
    assert request_reset(client, "dana.diaz@ct.example")["Location"].endswith("/sent/")
    assert mail.outbox == []


def test_requests_are_throttled_without_saying_so(client, settings, ado_a):
    settings.CTODP_PASSWORD_RESET_LIMIT = 3
    answers = {request_reset(client, "alice@ct.example")["Location"] for _ in range(5)}
    assert answers == {"/accounts/password/reset/sent/"}
    assert len(mail.outbox) == 3


def test_a_bad_link_says_so(client, db):
    response = client.get("/accounts/password/reset/MQ/bad-token/")
    assert response.status_code == 200
    assert "This link does not work" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/password/reset/",
        "/accounts/password/reset/sent/",
        "/accounts/password/reset/complete/",
        "/accounts/password/",
    ],
)
def test_password_pages_are_gone_when_local_sign_in_is_off(client, settings, ado_a, path):
    settings.CTODP_LOCAL_LOGIN_ENABLED = False
    client.force_login(ado_a)
    assert client.get(path).status_code == 404


def test_without_local_passwords_the_login_page_offers_only_single_sign_on(client, settings, db):
    settings.CTODP_LOCAL_LOGIN_ENABLED = False
    settings.CTODP_OIDC_ENABLED = True
    page = client.get("/accounts/login/?next=/dashboard/").content.decode()
    assert 'href="/accounts/sso/start/?next=/dashboard/"' in page
    assert 'name="password"' not in page
    assert "Forgot your password" not in page
    UserFactory(username="eve")
    response = client.post("/accounts/login/", {"username": "eve", "password": "pw-for-tests"})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/login/?next=/admin/")["Location"] == (
        "/accounts/login/?next=%2Fadmin%2F"
    )


def test_with_both_on_the_login_page_offers_both(client, settings, db):
    settings.CTODP_OIDC_ENABLED = True
    page = client.get("/accounts/login/").content.decode()
    assert 'id="sso-sign-in"' in page
    assert 'name="password"' in page
    assert User.objects.count() == 0
