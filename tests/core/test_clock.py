"""The suite's clock (tests/clock.py): one frozen clock per test, fixtures included, and the
`--shift-clock` guard that runs the suite as if on another day."""

import datetime
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.utils import timezone

MOMENT = datetime.datetime(2024, 2, 29, 23, 30, tzinfo=datetime.UTC)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def made_at():
    """What a fixture that builds records sees as "now"."""
    return timezone.now()


@pytest.mark.clock(MOMENT)
def test_the_clock_marker_covers_fixtures_and_the_test(made_at):
    # The cause of issue #12: a decorator's clock started after the fixtures ran.
    assert made_at == MOMENT
    assert timezone.now() == MOMENT
    assert datetime.date.today() == datetime.date(2024, 2, 29)


@pytest.mark.clock("2030-01-01T09:00:00+00:00", tick=True)
def test_a_ticking_clock_starts_at_the_moment_and_moves():
    first = timezone.now()
    assert datetime.datetime(2030, 1, 1, 9, tzinfo=datetime.UTC) <= first
    assert first - datetime.datetime(2030, 1, 1, 9, tzinfo=datetime.UTC) < datetime.timedelta(
        minutes=5
    )


def test_shift_clock_moves_the_whole_run_forward(tmp_path):
    # A separate pytest run: --shift-clock acts at configure time, for the whole session. The
    # real date comes from another program: this run may itself be shifted (the second pass).
    real_today = subprocess.run(
        ["/usr/bin/date", "-u", "+%F"], capture_output=True, text=True, check=True
    ).stdout.strip()
    probe = tmp_path / "test_probe.py"
    probe.write_text(
        textwrap.dedent(
            f"""
            import datetime
            import time

            import pytest

            REAL_TODAY = datetime.date.fromisoformat("{real_today}")

            def test_today_is_400_days_on():
                today = datetime.datetime.now(datetime.UTC).date()
                assert REAL_TODAY + datetime.timedelta(400) <= today
                assert today <= REAL_TODAY + datetime.timedelta(401)
                assert abs(time.time() - datetime.datetime.now().timestamp()) < 5

            @pytest.mark.clock("2026-06-01T00:00:00+00:00")
            def test_a_frozen_test_is_unaffected():
                assert datetime.date.today() == datetime.date(2026, 6, 1)
            """
        )
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("CTODP_SHIFT_CLOCK_DAYS", None)
    result = subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "-p", "tests.clock", "-p", "no:django"),
            *("-p", "no:cacheprovider", "--shift-clock=400"),
            *("--rootdir", str(tmp_path), str(probe)),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "clock shifted 400 days forward" in result.stdout
    assert "2 passed" in result.stdout
