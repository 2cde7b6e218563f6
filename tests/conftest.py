"""Shared fixtures: the personas of STYLE.md, and the gates for groups that need real services."""

import os

import pytest
from hypothesis import settings as hypothesis_settings

from agencies.models import Role, StaffGroup
from tests.accounts import oidc_provider
from tests.factories import AgencyFactory, MembershipFactory, UserFactory, staff_user

REQUIRE = os.environ.get("CTODP_REQUIRE_SERVICES") == "1"


def _missing_for(marker: str) -> str | None:
    database = os.environ.get("DATABASE_URL", "")
    if marker == "browser" and not os.environ.get("CTODP_CHROMIUM"):
        return "no Chromium (set CTODP_CHROMIUM or install Debian's chromium)"
    if marker == "integration":
        if not os.environ.get("REDIS_URL"):
            return "no Redis server (REDIS_URL unset)"
        if not database.startswith("postgres"):
            return "a real worker needs a shared PostgreSQL database (DATABASE_URL)"
    if marker == "postgres" and not database.startswith("postgres"):
        return "no PostgreSQL (DATABASE_URL unset)"
    if marker == "oidc":
        return oidc_provider.missing()
    return None


def pytest_collection_modifyitems(config, items):
    for item in items:
        for marker in ("browser", "integration", "postgres", "oidc"):
            if item.get_closest_marker(marker) is None:
                continue
            reason = _missing_for(marker)
            if reason and REQUIRE:
                pytest.exit(f"CTODP_REQUIRE_SERVICES=1 but {marker} tests cannot run: {reason}", 2)
            if reason:
                item.add_marker(pytest.mark.skip(reason=f"{marker} group skipped: {reason}"))


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: /data.json keeps its body there under its ETag, and
    two tests with the same frozen clock can build bodies with equal marks (ADR 0025)."""
    from django.core.cache import cache

    cache.clear()


# --- Personas ------------------------------------------------------------------------------


@pytest.fixture
def agency_a(db):
    return AgencyFactory(name="Department of Alpha", acronym="DOA", slug="alpha")


@pytest.fixture
def agency_b(db):
    return AgencyFactory(name="Department of Beta", acronym="DOB", slug="beta")


@pytest.fixture
def ado_a(agency_a):
    user = UserFactory(username="alice", first_name="Alice", last_name="Adams")
    MembershipFactory(user=user, agency=agency_a, role=Role.ADO)
    return user


@pytest.fixture
def publisher_a(agency_a):
    user = UserFactory(username="bob", first_name="Bob", last_name="Baker")
    MembershipFactory(user=user, agency=agency_a, role=Role.PUBLISHER)
    return user


@pytest.fixture
def viewer_a(agency_a):
    user = UserFactory(username="vera", first_name="Vera", last_name="Vance")
    MembershipFactory(user=user, agency=agency_a, role=Role.VIEWER)
    return user


@pytest.fixture
def ado_b(agency_b):
    user = UserFactory(username="charlie", first_name="Charlie", last_name="Chen")
    MembershipFactory(user=user, agency=agency_b, role=Role.ADO)
    return user


@pytest.fixture
def cdo(db):
    return staff_user("cdo", StaffGroup.CDO)


@pytest.fixture
def dapa(db):
    return staff_user("dapa", StaffGroup.DAPA)


@pytest.fixture
def portal_admin(db):
    return staff_user("portal", StaffGroup.PORTAL_ADMIN)


@pytest.fixture
def outsider(db):
    """Signed in, but belongs to no agency and holds no staff role."""
    return UserFactory(username="oscar")


# --- Property-based tests ---------------------------------------------------------------------
# Derandomised: CI and every machine draw the same examples, so a red run is reproducible and a
# green one is not luck; no example database is written into the checkout.
hypothesis_settings.register_profile("ctodp", derandomize=True, database=None, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ctodp"))
