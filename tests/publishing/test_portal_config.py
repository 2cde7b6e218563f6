"""Portal settings: http only on loopback, credentials that make sense."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from publishing.portal import PortalClient, PortalSettings, is_loopback


@pytest.mark.parametrize(
    ("domain", "loopback"),
    [
        ("127.0.0.1:8001", True),
        ("127.8.9.10", True),
        ("localhost:8001", True),
        ("[::1]:8001", True),
        ("::1", True),
        ("data.ct.gov", False),
        ("10.0.0.5:8001", False),
        ("127.0.0.1.example.com", False),
        ("localhost.example.com:80", False),
    ],
)
def test_is_loopback(domain: str, loopback: bool):
    assert is_loopback(domain) is loopback


def test_http_is_refused_for_a_real_domain(settings):
    settings.SOCRATA_DOMAIN = "data.ct.gov"
    settings.SOCRATA_SCHEME = "http"

    with pytest.raises(ImproperlyConfigured, match="only allowed for a loopback SOCRATA_DOMAIN"):
        PortalClient()


def test_https_to_a_real_domain_uses_https(settings):
    settings.SOCRATA_DOMAIN = "data.ct.gov"
    settings.SOCRATA_SCHEME = "https"

    client = PortalClient()

    assert client.socrata.uri_prefix == "https://"
    assert client.socrata.timeout == settings.SOCRATA_TIMEOUT
    client.close()


def test_http_to_loopback_mounts_the_plain_adapter(settings):
    settings.SOCRATA_DOMAIN = "127.0.0.1:8001"
    settings.SOCRATA_SCHEME = "http"

    with PortalClient() as client:
        assert client.socrata.uri_prefix == "http://"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"domain": "https://data.ct.gov"}, "bare host"),
        ({"scheme": "ftp"}, "must be https or http"),
        ({"username": "u", "password": ""}, "go together"),
        ({"username": "u", "password": "p", "oauth_token": "t"}, "not both"),
    ],
)
def test_inconsistent_settings_are_refused(changes: dict, message: str):
    config = PortalSettings(**{"domain": "data.ct.gov", **changes})

    with pytest.raises(ImproperlyConfigured, match=message):
        config.validate()


def test_default_settings_point_at_the_sandbox_over_http_in_tests(settings):
    config = PortalSettings.from_django()

    assert config.scheme == "http"
    assert is_loopback(config.domain)
    assert config.timeout >= 1
