"""A real OpenID provider for the tests: node-oidc-provider in its own Node process on an
ephemeral loopback port (tests/oidc_provider/server.mjs), one per test session.

`oidc_provider` starts it (session-scoped, stopped at the end); `sso` points the settings at it
for one test. `provider_sign_in` walks the provider's pages over HTTP, as a browser would, and
returns the callback address the provider sends the browser back to. Tests that use it carry
the `oidc` marker: the shifted-clock pass of `make test` leaves them out, since the provider's
tokens carry the real time and Django checks their expiry.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent / "oidc_provider"
CLIENT_ID = "ctodp-tests"
CLIENT_SECRET = "test-only-client-secret"
GROUP_MAP = {
    "ctodp-cdo": "Chief Data Officer",
    "ctodp-dapa": "DAPA analyst",
    "ctodp-portal": "Portal administrator",
}
# The provider's people: login → claims. Passwords are all "pw-for-tests".
ACCOUNTS = {
    "dana": {
        "email": "Dana.Diaz@ct.example",
        "email_verified": True,
        "given_name": "Dana",
        "family_name": "Diaz",
        "groups": ["ctodp-dapa", "all-staff"],
    },
    "carol": {
        "email": "carol.cruz@ct.example",
        "email_verified": True,
        "given_name": "Carol",
        "family_name": "Cruz",
        "groups": ["ctodp-cdo"],
    },
    "alice": {"email": "alice@ct.example", "email_verified": True, "groups": []},
    "mallory": {"email": "dana.diaz@ct.example", "email_verified": False, "groups": []},
}


def missing() -> str | None:
    if shutil.which("node") is None:
        return "no Node.js (node) on PATH"
    if not (ROOT / "node_modules" / "oidc-provider").is_dir():
        return "tests/oidc_provider/node_modules missing (make setup installs it)"
    return None


@dataclass
class Provider:
    issuer: str

    def settings(self) -> dict:
        return {
            "CTODP_OIDC_ENABLED": True,
            "CTODP_OIDC_ISSUER": self.issuer,
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.issuer}/auth",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.issuer}/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.issuer}/me",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.issuer}/jwks",
            "CTODP_OIDC_GROUP_MAP": GROUP_MAP,
        }


@pytest.fixture(scope="session")
def oidc_provider():
    reason = missing()
    if reason:
        pytest.skip(f"oidc group skipped: {reason}")
    env = {
        **os.environ,
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_ACCOUNTS": json.dumps(ACCOUNTS),
    }
    process = subprocess.Popen(
        [shutil.which("node"), str(ROOT / "server.mjs")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = _first_line(process, timeout=30)
        yield Provider(issuer=json.loads(line)["issuer"])
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _first_line(process: subprocess.Popen, timeout: float) -> str:
    """The provider's "listening" line; its stderr in the failure when it never comes."""
    result: list[str] = []
    reader = threading.Thread(target=lambda: result.append(process.stdout.readline()))
    reader.start()
    reader.join(timeout)
    if not result or not result[0].strip():
        process.kill()
        raise RuntimeError(f"the OpenID provider did not start: {process.stderr.read()[-2000:]}")
    return result[0]


@pytest.fixture
def sso(settings, oidc_provider):
    """Single sign-on on, against the test provider, for one test."""
    for name, value in oidc_provider.settings().items():
        setattr(settings, name, value)
    return oidc_provider


def provider_sign_in(authorize_url: str, login: str, *, mfa: bool = False) -> str:
    """Follow the provider from its authorization URL to the redirect back to ctodp, signing in
    on its page as `login`. Returns that redirect (our callback with code and state)."""
    browser = requests.Session()
    url = authorize_url
    for _ in range(10):
        if urlsplit(url).path == "/accounts/sso/callback/":
            return url
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.status_code == 200 and "/interaction/" in url:
            form = {"login": login, "password": "pw-for-tests", **({"mfa": "1"} if mfa else {})}
            response = browser.post(url, data=form, allow_redirects=False, timeout=10)
        assert response.status_code in {302, 303}, (response.status_code, response.text[:500])
        url = urljoin(url, response.headers["Location"])
    raise AssertionError(f"the provider never sent the browser back: {url}")
