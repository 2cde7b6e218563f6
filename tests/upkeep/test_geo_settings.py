"""Production settings for the Geo Data Portal (ADR 0029): off unless enabled; enabled, its
addresses and query are required."""

import pytest

from tests.core.test_security import PRODUCTION_ENV, _manage

GEO_ENV = {
    "CTODP_GEO_ENABLED": "true",
    "CTODP_GEO_PORTAL_URL": "https://geodata.example.gov",
    "CTODP_GEO_API_URL": "https://www.arcgis.example",
    "CTODP_GEO_QUERY": "orgid:abc123",
}


def test_production_starts_with_the_geo_portal_off_or_fully_configured():
    assert _manage("check", env=PRODUCTION_ENV).returncode == 0
    configured = _manage("check", env={**PRODUCTION_ENV, **GEO_ENV})
    assert configured.returncode == 0, configured.stderr


@pytest.mark.parametrize(
    "missing", ["CTODP_GEO_PORTAL_URL", "CTODP_GEO_API_URL", "CTODP_GEO_QUERY"]
)
def test_production_with_the_geo_portal_on_refuses_to_start_without_it(missing):
    env = {k: v for k, v in {**PRODUCTION_ENV, **GEO_ENV}.items() if k != missing}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert f"{missing} must be set in production" in result.stderr
