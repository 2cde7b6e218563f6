import pytest
from django.core.cache import cache

from tests.accounts.oidc_provider import oidc_provider, sso  # noqa: F401 (fixtures)


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """The password-reset throttle counts in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()
