"""Walk every URL pattern as an anonymous visitor: anything that answers 200 must be allowlisted."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Paths anonymous visitors may read. Everything else must redirect to login or refuse.
PUBLIC_ALLOWLIST = {
    "/",
    "/healthz",
    "/accounts/login/",
    # Password reset by e-mail (ADR 0014): the request form, "check your mail", the link's page
    # (sampled with a bogus link: "this link does not work") and "password set".
    "/accounts/password/reset/",
    "/accounts/password/reset/sent/",
    "/accounts/password/reset/x/x/",
    "/accounts/password/reset/complete/",
    "/admin/login/",
    "/api/schema/",
    # The public CT Data Catalog and DCAT-US data.json (inventories/public_urls.py).
    "/catalog/",
    "/catalog.csv",
    "/data.json",
    # The public list of retired portal assets (publishing/retirement_views.py, ADR 0010).
    "/catalog/retired/",
    "/catalog/retired.csv",
    # Discoverability (ADR 0028): the sitemap and robots.txt (dataset pages need a real uid).
    "/sitemap.xml",
    "/robots.txt",
    # The public data request form (ADR 0027); its status pages need a real token.
    "/catalog/request/",
}

SAMPLE = {"slug": "alpha", "pk": "1", "int": "1", "path": "x", "str": "x", "uuid": None}


def _walk(patterns, prefix=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


def _concrete(route: str) -> str | None:
    """Turn a route (path() or regex) into a request path, or None when it cannot be sampled."""
    path = re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: SAMPLE.get(m.group(1) or "str") or "1", route)
    path = path.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\.", ".")
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", "1", path)
    path = re.sub(r"\(\?:[^)]*\)\??", "", path)
    if any(ch in path for ch in "()[]*+?\\"):
        return None
    return "/" + path.lstrip("/")


def all_paths() -> list[str]:
    paths = {_concrete(route) for route in _walk(get_resolver().url_patterns)}
    return sorted(p for p in paths if p)


def test_sweep_covers_the_app_urls():
    paths = all_paths()
    assert "/agencies/" in paths
    assert "/agencies/alpha/ado/" in paths
    assert "/api/v1/agencies/" in paths
    # Portal sync and freshness (ADR 0009): staff and agency pages, none public.
    assert "/publishing/portal/unclaimed/" in paths
    assert "/publishing/portal/assets/1/assign/" in paths
    assert "/publishing/stale/alpha/" in paths
    assert {"/api/docs/", "/accounts/tokens/", "/accounts/tokens/1/revoke/"} <= set(paths)
    # Single sign-on and the second factor: swept like every other page (ADR 0014).
    assert {"/accounts/sso/start/", "/accounts/sso/callback/"} <= set(paths)
    assert {"/accounts/two-factor/setup/", "/accounts/two-factor/verify/"} <= set(paths)
    assert len(paths) > 30  # admin included


@pytest.mark.django_db
@pytest.mark.parametrize("path", all_paths())
def test_no_url_is_open_to_anonymous_visitors_unless_allowlisted(client, agency_a, path):
    for method in ("get", "post"):
        response = getattr(client, method)(path)
        if path in PUBLIC_ALLOWLIST:
            continue
        assert response.status_code in {301, 302, 401, 403, 404, 405}, (
            f"{method.upper()} {path} answered {response.status_code} to an anonymous visitor"
        )
        if response.status_code == 302:
            # Only to this site (the target is swept in its turn), normally the login page.
            assert response.url.startswith("/"), f"{path} redirects off-site: {response.url}"
