"""Portal connection settings, read from Django settings (the SOCRATA_* block in base.py)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class PortalSettings:
    domain: str
    scheme: str = "https"
    app_token: str = ""
    username: str = ""
    password: str = ""
    oauth_token: str = ""
    timeout: float = 60.0
    retries: int = 5
    backoff_base: float = 1.0
    backoff_max: float = 60.0
    max_retry_after: float = 300.0
    chunk_size: int = 10_000

    @classmethod
    def from_django(cls) -> PortalSettings:
        config = cls(
            domain=settings.SOCRATA_DOMAIN,
            scheme=settings.SOCRATA_SCHEME,
            app_token=settings.SOCRATA_APP_TOKEN,
            username=settings.SOCRATA_USERNAME,
            password=settings.SOCRATA_PASSWORD,
            oauth_token=settings.SOCRATA_OAUTH_TOKEN,
            timeout=settings.SOCRATA_TIMEOUT,
            retries=settings.SOCRATA_RETRIES,
            backoff_base=settings.SOCRATA_BACKOFF_BASE,
            backoff_max=settings.SOCRATA_BACKOFF_MAX,
            max_retry_after=settings.SOCRATA_MAX_RETRY_AFTER,
            chunk_size=settings.SOCRATA_CHUNK_SIZE,
        )
        config.validate()
        return config

    def validate(self) -> None:
        if not self.domain or "/" in self.domain:
            raise ImproperlyConfigured(
                f"SOCRATA_DOMAIN must be a bare host[:port] such as data.ct.gov, "
                f"got {self.domain!r}"
            )
        if self.scheme not in ("http", "https"):
            raise ImproperlyConfigured(f"SOCRATA_SCHEME must be https or http, got {self.scheme!r}")
        if self.scheme == "http" and not is_loopback(self.domain):
            # Credentials travel with every request: plain http only to this very machine.
            raise ImproperlyConfigured(
                f"SOCRATA_SCHEME=http is only allowed for a loopback SOCRATA_DOMAIN "
                f"(the sandbox portal); {self.domain!r} must use https"
            )
        if self.username and self.oauth_token:
            raise ImproperlyConfigured(
                "Set SOCRATA_USERNAME/SOCRATA_PASSWORD or SOCRATA_OAUTH_TOKEN, not both"
            )
        if bool(self.username) != bool(self.password):
            raise ImproperlyConfigured("SOCRATA_USERNAME and SOCRATA_PASSWORD go together")


def is_loopback(domain: str) -> bool:
    """True for localhost, 127.0.0.0/8 and ::1, with or without a port."""
    if domain.startswith("["):  # [::1]:8001
        host = domain[1:].split("]", 1)[0]
    elif domain.count(":") == 1:  # host:port (a bare IPv6 address has several colons)
        host = domain.split(":", 1)[0]
    else:
        host = domain
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
