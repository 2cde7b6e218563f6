"""One clock per test, and a guard against tests that depend on the day they run.

- ``@pytest.mark.clock(moment)`` (or a module's ``pytestmark``) freezes time at ``moment`` for the
  whole test, fixtures included: the clock starts before any other function-scoped fixture, so
  the records a fixture makes and the assertions the test makes see the same "now". (A
  ``@time_machine.travel`` decorator on a test starts only after its fixtures ran, at the real
  date: the cause of issue #12.)
- ``--shift-clock=DAYS`` moves the whole clock of the run forward (``time.time``, ``datetime.now``,
  ``date.today``; monotonic clocks are untouched), ticking. A test that mixes the real date with a
  fixed one fails under it. `make test` runs the suite a second time with it (not the browser
  and integration groups: Chromium, the sandbox portal and the Celery worker run in processes of
  their own, on the real clock). ``CTODP_SHIFT_CLOCK_DAYS`` sets the default.

Loaded by ``-p tests.clock`` in pyproject's ``addopts``.
"""

from __future__ import annotations

import datetime
import os

import pytest
import time_machine

SHIFT_ENV = "CTODP_SHIFT_CLOCK_DAYS"


def pytest_addoption(parser):
    parser.addoption(
        "--shift-clock",
        type=int,
        default=int(os.environ.get(SHIFT_ENV, "0") or 0),
        metavar="DAYS",
        help="run with the wall clock moved DAYS days forward (a guard against time bombs)",
    )


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "clock(moment, tick=False): freeze time at moment (an aware datetime or ISO string) "
        "for the whole test, its fixtures included",
    )
    days = config.getoption("shift_clock")
    if days:
        destination = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=days)
        traveller = time_machine.travel(destination, tick=True)
        traveller.start()
        config.stash[_traveller_key] = traveller


_traveller_key = pytest.StashKey[time_machine.travel]()


def pytest_unconfigure(config):
    traveller = config.stash.get(_traveller_key, None)
    if traveller is not None:
        traveller.stop()


def pytest_report_header(config):
    days = config.getoption("shift_clock")
    if days:
        now = datetime.datetime.now(datetime.UTC)
        return f"clock shifted {days} days forward: now is {now:%Y-%m-%d %H:%M} UTC"
    return None


@pytest.fixture(autouse=True)
def _frozen_clock(request):
    """Start the test's frozen clock (``@pytest.mark.clock``) before its other fixtures."""
    marker = request.node.get_closest_marker("clock")
    if marker is None:
        yield None
        return
    moment = marker.args[0] if marker.args else marker.kwargs["moment"]
    with time_machine.travel(moment, tick=marker.kwargs.get("tick", False)) as traveller:
        yield traveller
