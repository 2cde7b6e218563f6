"""Sign-in throttling (ADR 0016): per account and address, per address across accounts, on the
client's real address behind the proxy (X-Forwarded-For read from the right)."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.throttling import client_ip
from tests.factories import UserFactory

PASSWORD = "pw-for-tests"
PROXY = "10.0.0.2"


def _sign_in(client: Client, username: str, password: str, *, via: str = "") -> int:
    extra = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": via} if via else {}
    response = client.post(reverse("login"), {"username": username, "password": password}, **extra)
    return response.status_code


@pytest.fixture
def people(db) -> list[str]:
    return [UserFactory(username=f"person{n}").username for n in range(8)]


@pytest.fixture
def behind_one_proxy(settings):
    settings.CTODP_TRUSTED_PROXY_COUNT = 1
    return settings


def test_one_address_trying_many_accounts_is_locked_out(client, people, settings):
    assert (settings.AXES_FAILURE_LIMIT, settings.CTODP_LOGIN_ADDRESS_FAILURE_LIMIT) == (5, 20)
    # Four wrong passwords on each of five accounts: under the per-account limit every time,
    # but the twentieth failure from the address locks it.
    answers = [_sign_in(client, name, "wrong") for name in people[:5] for _ in range(4)]

    assert answers == [200] * 19 + [429]
    assert _sign_in(client, people[5], PASSWORD) == 429  # the address is locked, any account


def test_the_address_is_not_locked_before_its_own_limit(client, people):
    for username in people[:4]:
        for _ in range(4):
            _sign_in(client, username, "wrong")

    assert _sign_in(client, people[5], PASSWORD) == 302


def test_signing_in_to_ones_own_account_does_not_clear_the_address(client, people):
    for username in people[:4]:
        for _ in range(4):
            _sign_in(client, username, "wrong")
    assert _sign_in(client, people[6], PASSWORD) == 302  # the sprayer's own account
    Client().post(reverse("logout"))

    for _ in range(4):
        _sign_in(client, people[4], "wrong")

    assert _sign_in(client, people[5], PASSWORD) == 429


def test_behind_the_proxy_a_lockout_is_the_attackers_address_not_everyones(behind_one_proxy, cdo):
    attacker, colleague = Client(), Client()
    for _ in range(5):
        _sign_in(attacker, "cdo", "wrong", via="203.0.113.9")

    assert _sign_in(attacker, "cdo", PASSWORD, via="203.0.113.9") == 429
    assert _sign_in(colleague, "cdo", PASSWORD, via="198.51.100.7") == 302


def test_a_forged_forwarded_for_entry_does_not_escape_the_lock(behind_one_proxy, people):
    client = Client()
    for number, username in enumerate(people[:5]):
        for attempt in range(4):
            forged = f"192.0.2.{number * 4 + attempt}, 203.0.113.9"  # the proxy appends the last
            _sign_in(client, username, "wrong", via=forged)

    assert _sign_in(client, people[5], PASSWORD, via="192.0.2.99, 203.0.113.9") == 429


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.2"),  # no proxy trusted: the header is the client's word
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "192.0.2.1, 203.0.113.9", "203.0.113.9"),
        (2, "192.0.2.1, 203.0.113.9, 10.0.0.1", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.2"),  # fewer hops than proxies: not through them all
        (1, "not-an-address", "10.0.0.2"),
        (1, "", "10.0.0.2"),
    ],
)
def test_the_client_address_is_read_from_the_right(settings, proxies, forwarded, expected):
    settings.CTODP_TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == expected
