"""Production refuses to start with single sign-on half-configured, without any way to sign in,
or with a group map that names a staff group ctodp does not have; fully configured, it passes
`check --deploy` with no warnings."""

import pytest

from tests.core.test_security import PRODUCTION_ENV, _manage

SSO_ENV = {
    **PRODUCTION_ENV,
    "CTODP_OIDC_ENABLED": "1",
    "CTODP_OIDC_ISSUER": "https://login.example.gov/tenant/v2.0",
    "CTODP_OIDC_CLIENT_ID": "ctodp",
    "CTODP_OIDC_CLIENT_SECRET": "not-a-real-secret",
    "CTODP_OIDC_AUTHORIZATION_ENDPOINT": "https://login.example.gov/tenant/authorize",
    "CTODP_OIDC_TOKEN_ENDPOINT": "https://login.example.gov/tenant/token",
    "CTODP_OIDC_USERINFO_ENDPOINT": "https://graph.example.gov/oidc/userinfo",
    "CTODP_OIDC_JWKS_ENDPOINT": "https://login.example.gov/tenant/keys",
    "CTODP_OIDC_GROUP_MAP": "ctodp-cdo=Chief Data Officer,ctodp-dapa=DAPA analyst",
    "CTODP_LOCAL_LOGIN_ENABLED": "0",
}


def test_single_sign_on_only_passes_check_deploy():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=SSO_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("missing", ["CTODP_OIDC_ISSUER", "CTODP_OIDC_CLIENT_SECRET"])
def test_half_configured_single_sign_on_refuses_to_start(missing):
    env = {k: v for k, v in SSO_ENV.items() if k != missing}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert f"{missing} must be set in production" in result.stderr


def test_plain_http_endpoints_refuse_to_start():
    env = {**SSO_ENV, "CTODP_OIDC_TOKEN_ENDPOINT": "http://login.example.gov/tenant/token"}
    assert "CTODP_OIDC_TOKEN_ENDPOINT must be https" in _manage("check", env=env).stderr


def test_no_way_to_sign_in_refuses_to_start():
    env = {**PRODUCTION_ENV, "CTODP_LOCAL_LOGIN_ENABLED": "0"}
    assert "needs CTODP_OIDC_ENABLED=1" in _manage("check", env=env).stderr


def test_a_group_map_naming_an_unknown_staff_group_refuses_to_start():
    env = {**SSO_ENV, "CTODP_OIDC_GROUP_MAP": "ctodp-cdo=Chief Data Oficer"}
    assert "unknown staff groups ['Chief Data Oficer']" in _manage("check", env=env).stderr
