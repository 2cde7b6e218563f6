"""Keeping a run's record alive and honest while it executes: a heartbeat from a thread, and
database writes that wait out a short outage instead of abandoning the run halfway.

The heartbeat says "this worker is alive", not "this run made progress": a slow step (surveying
a large source, the portal retrying one chunk for minutes) must not look like a dead worker to
the sweeper, and a dead worker must be noticed after CTODP_RUN_STUCK_AFTER_SECONDS.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection

logger = logging.getLogger(__name__)

T = TypeVar("T")
UNREACHABLE = (OperationalError, InterfaceError)  # the database went away, not a bad query


def patiently(write: Callable[[], T]) -> T:
    """Run a database write, trying again on a fresh connection while the database is
    unreachable (a restart, a failover, a dropped connection), for up to
    CTODP_RUN_DB_WAIT_SECONDS. Inside a transaction a retry cannot help: it raises at once."""
    deadline = time.monotonic() + settings.CTODP_RUN_DB_WAIT
    pause = 0.25
    while True:
        try:
            return write()
        except UNREACHABLE as error:
            if connection.in_atomic_block or time.monotonic() + pause > deadline:
                raise
            logger.warning("database unreachable (%s); trying again in %.2f s", error, pause)
            drop_connection()
            time.sleep(pause)
            pause = min(pause * 2, 4.0)


def drop_connection() -> None:
    """Close this thread's broken connection; the next query opens a new one."""
    with contextlib.suppress(DatabaseError):
        connection.close()


class Heartbeat:
    """While the `with` block runs, call `touch` every CTODP_RUN_HEARTBEAT_SECONDS from a
    thread (0 turns it off). `touch` returns how many runs it touched: 0 means the run is not
    ours any more, and the beating stops (the run's next progress write notices too)."""

    def __init__(self, touch: Callable[[], int]) -> None:
        self._touch = touch
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Heartbeat:
        if settings.CTODP_RUN_HEARTBEAT > 0:
            self._thread = threading.Thread(target=self._beat, name="run-heartbeat", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        if self._thread is not None:
            # Bounded: a beat stuck on an unreachable database must not hold the worker.
            self._thread.join(timeout=settings.CTODP_RUN_HEARTBEAT + 5)

    def _beat(self) -> None:
        try:
            while not self._stop.wait(settings.CTODP_RUN_HEARTBEAT):
                try:
                    if not self._touch():
                        return
                except DatabaseError as error:
                    logger.warning("heartbeat not recorded (%s); trying at the next beat", error)
                    drop_connection()
        finally:
            drop_connection()  # this thread's own connection
