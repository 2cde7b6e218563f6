"""Pieces the worker tests share: wait for a run, inject portal faults, read the portal's rows."""

from __future__ import annotations

import time
from collections.abc import Callable

from publishing.models import PublicationRun
from sandbox_portal import DEFAULT_PASSWORD, DEFAULT_USERNAME
from tests.publishing.helpers import portal_rows
from tests.sandbox import clear_faults, inject  # noqa: F401  the worker tests import them here

ROW_WRITES = {"path_prefix": "/resource/", "method": "POST"}


def wait_until(
    run: PublicationRun,
    condition: Callable[[PublicationRun], bool],
    timeout: float = 60,
    every: Callable[[], object] | None = None,
) -> PublicationRun:
    """Poll the run until `condition` holds; `every` runs once a second (a beat, say)."""
    deadline = time.monotonic() + timeout
    next_tick = 0.0
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if condition(run):
            return run
        if every is not None and time.monotonic() >= next_tick:
            every()
            next_tick = time.monotonic() + 1
        time.sleep(0.05)
    raise AssertionError(f"run {run.pk} is {run.status} ({run.error!r}) after {timeout} s")


def wait_for_end(run: PublicationRun, timeout: float = 90, **kwargs) -> PublicationRun:
    return wait_until(run, lambda r: not r.is_active, timeout, **kwargs)


def rows_on_portal(portal, publication) -> list[dict]:
    publication.refresh_from_db()
    return portal_rows(portal.domain, publication.portal_id, DEFAULT_USERNAME, DEFAULT_PASSWORD)


def on_portal(portal, publication) -> dict:
    return {row["id"]: row for row in rows_on_portal(portal, publication)}
