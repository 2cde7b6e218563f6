"""A sandbox portal for the whole session, wiped before each test, and real sodapy clients.

A pytest plugin (`-p tests.sandbox` in pyproject's addopts): the publishing, privacy, upkeep and
sandbox tests all use these fixtures."""

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from sodapy import Socrata

from sandbox_portal import RunningSandbox, start_sandbox

USERNAME = "sandbox-user"
PASSWORD = "sandbox-secret"

SONG_COLUMNS = [
    {"fieldName": "song_id", "name": "Song ID", "dataTypeName": "text"},
    {"fieldName": "title", "name": "Title", "dataTypeName": "text"},
    {"fieldName": "plays", "name": "Plays", "dataTypeName": "number"},
]


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[RunningSandbox]:
    running = start_sandbox(username=USERNAME, password=PASSWORD)
    yield running
    running.stop()


@pytest.fixture
def sandbox(sandbox_server: RunningSandbox) -> Iterator[RunningSandbox]:
    sandbox_server.reset()
    yield sandbox_server
    sandbox_server.reset()  # no fault may leak into the next test


def connect(domain: str, username: str | None = None, password: str | None = None, **kw) -> Socrata:
    adapter = {"prefix": "http://", "adapter": requests.adapters.HTTPAdapter()}
    return Socrata(domain, "app-token", username, password, session_adapter=adapter, **kw)


@pytest.fixture
def soda(sandbox: RunningSandbox) -> Iterator[Socrata]:
    with connect(sandbox.domain, USERNAME, PASSWORD) as client:
        yield client


@pytest.fixture
def anonymous(sandbox: RunningSandbox) -> Iterator[Socrata]:
    with connect(sandbox.domain) as client:
        yield client


def control(sandbox: RunningSandbox, method: str, name: str, **kwargs: Any) -> requests.Response:
    """Call one of the sandbox's /__sandbox__/ controls over HTTP, as other processes would,
    with the sandbox's credentials (the controls refuse anyone else)."""
    auth = (sandbox.state.username, sandbox.state.password)
    url = f"{sandbox.url}/__sandbox__/{name}"
    return requests.request(method, url, auth=auth, timeout=5, **kwargs)


def inject(sandbox: RunningSandbox, **fault: Any) -> None:
    """Arm a fault through the sandbox's own HTTP control."""
    control(sandbox, "POST", "faults", json=fault).raise_for_status()


def clear_faults(sandbox: RunningSandbox) -> None:
    control(sandbox, "DELETE", "faults").raise_for_status()


def requests_seen(sandbox: RunningSandbox) -> list[dict[str, Any]]:
    response = control(sandbox, "GET", "requests")
    response.raise_for_status()
    return response.json()["requests"]


def forget_requests(sandbox: RunningSandbox) -> None:
    control(sandbox, "DELETE", "requests").raise_for_status()


@pytest.fixture
def songs(soda: Socrata) -> str:
    """An unpublished dataset of songs keyed by song_id."""
    view = soda.create(
        "Songs", description="Test songs", columns=SONG_COLUMNS, row_identifier="song_id"
    )
    return view["id"]


# --- the portal adapter, configured through Django settings ---------------------------------


@pytest.fixture
def portal_settings(settings, sandbox: RunningSandbox):
    settings.SOCRATA_DOMAIN = sandbox.domain
    settings.SOCRATA_SCHEME = "http"
    settings.SOCRATA_USERNAME = USERNAME
    settings.SOCRATA_PASSWORD = PASSWORD
    settings.SOCRATA_OAUTH_TOKEN = ""
    settings.SOCRATA_TIMEOUT = 5.0
    settings.SOCRATA_RETRIES = 4
    settings.SOCRATA_BACKOFF_BASE = 0.01
    settings.SOCRATA_BACKOFF_MAX = 0.05
    settings.SOCRATA_MAX_RETRY_AFTER = 30.0
    return settings


@pytest.fixture
def naps() -> list[float]:
    """The waits the adapter asked for; recorded instead of slept."""
    return []


@pytest.fixture
def portal(portal_settings, naps: list[float]) -> Iterator:
    from publishing.portal import PortalClient  # Django is set up by the time a test runs

    with PortalClient(sleep=naps.append) as client:
        yield client


def set_asset(sandbox: RunningSandbox, view_id: str, **facts: Any) -> dict[str, Any]:
    """Set what the portal's catalog reports for an asset (dates, page views, downloads)."""
    response = control(sandbox, "POST", f"assets/{view_id}", json=facts)
    response.raise_for_status()
    return response.json()


def writes_received(sandbox: RunningSandbox, view_id: str) -> dict[str, int]:
    """What the sandbox acknowledged of the row writes to one view, and the rows of the writes it
    answered with a 5xx or not at all (its write tally, ADR 0023)."""
    response = control(sandbox, "GET", "writes")
    response.raise_for_status()
    empty = dict.fromkeys(
        ("created", "updated", "deleted", "truncated", "errors", "unacknowledged_rows"), 0
    )
    return response.json()["views"].get(view_id, empty)
