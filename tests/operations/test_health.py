"""Readiness (/health/, django-health-check): each check fails when its part is dead, with JSON
that names it. Redis and Celery, with real servers: tests/integration/test_operations.py."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connections
from django_celery_beat.models import IntervalSchedule, PeriodicTask
from health_check import Database
from health_check.exceptions import ServiceUnavailable

from operations.health import DiskSpace
from tests.operations.conftest import TOKEN

NOW = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)


def beat_sent(at: datetime) -> PeriodicTask:
    every = IntervalSchedule.objects.create(every=60, period=IntervalSchedule.SECONDS)
    return PeriodicTask.objects.create(
        name="publishing-sweep-stuck-runs",
        task="publishing.sweep_stuck_runs",
        interval=every,
        last_run_at=at,
    )


def failing(response) -> dict[str, str]:
    return {check: state for check, state in response.json().items() if state != "OK"}


@pytest.fixture
def healthy(db, no_task_queue, tmp_path):
    no_task_queue.MEDIA_ROOT = tmp_path
    no_task_queue.CTODP_HEALTH_MIN_FREE_MB = 1
    beat_sent(NOW - timedelta(seconds=30))
    return no_task_queue


@pytest.mark.clock(NOW)
def test_everything_up_answers_200_with_one_ok_per_check(ops, healthy):
    response = ops.get("/health/?format=json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    checks = response.json()
    assert set(checks.values()) == {"OK"}
    names = " ".join(checks)
    for part in ("Database", "Cache", "Storage", "DiskSpace", "BeatHeartbeat"):
        assert part in names


@pytest.mark.clock(NOW)
def test_a_stale_beat_heartbeat_is_unhealthy(ops, healthy):
    PeriodicTask.objects.update(last_run_at=NOW - timedelta(seconds=181))

    response = ops.get("/health/", HTTP_ACCEPT="application/json")

    assert response.status_code == 500
    assert failing(response) == {"BeatHeartbeat()": "Unavailable: beat sent nothing for 181 s"}


@pytest.mark.clock(NOW)
def test_a_beat_that_never_ran_is_unhealthy(ops, healthy):
    PeriodicTask.objects.all().delete()

    response = ops.get("/health/beat/?format=json")

    assert response.status_code == 500
    assert failing(response) == {"BeatHeartbeat()": "Unavailable: beat has never sent a task"}


@pytest.mark.clock(NOW)
def test_a_disk_below_the_free_space_threshold_is_unhealthy(ops, healthy, tmp_path):
    healthy.CTODP_HEALTH_MIN_FREE_MB = 1024 * 1024 * 1024  # a petabyte: no disk has it free

    response = ops.get("/health/?format=json")

    assert response.status_code == 500
    problems = failing(response)
    assert f"DiskSpace(path='{tmp_path}')" in problems
    assert all(state.startswith("Unavailable: ") for state in problems.values())
    assert all("MB free, below" in state for state in problems.values())


def test_a_media_root_not_made_yet_is_measured_on_its_parents_disk(tmp_path):
    missing = tmp_path / "not" / "made" / "yet"  # before the first upload

    assert asyncio.run(DiskSpace(str(missing), 1).get_result()).error is None
    too_much = asyncio.run(DiskSpace(str(missing), 1024**3).get_result()).error
    assert str(too_much).endswith("below 1073741824 MB")


@pytest.mark.clock(NOW)
def test_a_storage_that_cannot_be_written_is_unhealthy(ops, healthy, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the media folder should be")
    healthy.MEDIA_ROOT = blocked

    response = ops.get("/health/?format=json")

    assert response.status_code == 500
    assert set(failing(response)) == {"Storage(alias='default')"}


@pytest.mark.clock(NOW)
def test_a_dead_cache_is_unhealthy(ops, healthy):
    healthy.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nothing answers
        }
    }

    response = ops.get("/health/?format=json")

    assert response.status_code == 500
    assert set(failing(response)) == {"Cache(alias='default')"}


def test_readiness_is_not_found_without_a_token_configured(client, settings):
    settings.CTODP_OPS_TOKEN = ""

    assert client.get("/health/").status_code == 404
    assert client.get("/health/", HTTP_AUTHORIZATION="Bearer ").status_code == 404


@pytest.mark.parametrize("header", [None, "Bearer wrong", f"Token {TOKEN}", f"Bearer {TOKEN}x"])
def test_readiness_refuses_a_missing_or_wrong_token(client, settings, header):
    settings.CTODP_OPS_TOKEN = TOKEN
    extra = {"HTTP_AUTHORIZATION": header} if header else {}

    response = client.get("/health/", **extra)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_unreachable_database_fails_its_check(django_db_blocker, tmp_path):
    # A database the check cannot open: the same check readiness runs on "default".
    connections.settings["unreachable"] = {
        **connections.settings["default"],
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(tmp_path / "no-such-folder" / "db.sqlite3"),
    }
    try:
        with django_db_blocker.unblock():
            result = asyncio.run(Database(alias="unreachable").get_result())
    finally:
        connections["unreachable"].close()
        del connections.settings["unreachable"]

    assert isinstance(result.error, ServiceUnavailable)
