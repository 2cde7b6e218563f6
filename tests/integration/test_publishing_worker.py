"""Publishing with a real Celery worker (Redis broker, PostgreSQL shared with the test) that
pushes to a sandbox portal over loopback HTTP, with faults injected on the way."""

import datetime
import time

import pytest
from django.utils import timezone

from publishing import services, tasks
from publishing.models import PublicationRun, RunStatus
from sandbox_portal import start_sandbox
from tests.integration.helpers import inject as _inject
from tests.integration.helpers import on_portal as _on_portal
from tests.integration.helpers import wait_until
from tests.publishing.helpers import (
    expected_rows,
    ocme_dataset,
    ocme_records,
    ready_publication,
    sandbox_writes,
)
from tests.sandbox import forget_requests

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def portal():
    running = start_sandbox()  # the default sandbox/sandbox credentials the test settings use
    yield running
    running.stop()


@pytest.fixture
def worker_env(portal) -> dict[str, str]:
    return {"SOCRATA_DOMAIN": portal.domain, "SOCRATA_CHUNK_SIZE": "100"}


@pytest.fixture
def publication(settings, portal, celery_worker, agency_a, publisher_a):
    portal.reset()
    settings.SOCRATA_DOMAIN = portal.domain
    return ready_publication(ocme_dataset(agency_a), publisher_a)


def _wait_for_end(run: PublicationRun, timeout: float = 90) -> PublicationRun:
    return wait_until(run, lambda r: not r.is_active, timeout)


def test_worker_pushes_exactly_the_file_through_faults_and_skips_an_unchanged_rerun(
    portal, publication, publisher_a
):
    writes = {"path_prefix": "/resource/", "method": "POST"}
    _inject(portal, status=500, count=3, **writes)
    _inject(portal, status=429, retry_after=1, **writes)
    _inject(portal, drop=True, after=True, **writes)

    run = _wait_for_end(services.run_start(publication=publication, acting_user=publisher_a))

    assert run.status == RunStatus.SUCCEEDED, run.error
    assert (run.rows_created + run.rows_updated, run.chunks_done, run.chunks_total) == (300, 3, 3)
    assert _on_portal(portal, publication) == expected_rows(ocme_records())

    forget_requests(portal)
    publication.refresh_from_db()
    second = _wait_for_end(services.run_start(publication=publication, acting_user=publisher_a))
    assert second.status == RunStatus.SUCCEEDED, second.error
    assert second.unchanged
    assert sandbox_writes(portal) == []


def test_a_run_sent_twice_is_pushed_once(portal, publication, publisher_a):
    run = services.run_start(publication=publication, acting_user=publisher_a)
    tasks.execute_run.delay(run.pk)  # a duplicate delivery of the same run

    run = _wait_for_end(run)
    time.sleep(1)  # let the duplicate reach the worker and find nothing to claim

    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert run.attempts == 1
    row_writes = [w for w in sandbox_writes(portal) if w["path"].startswith("/resource/")]
    assert len(row_writes) == 3


def test_the_sweeper_requeues_a_run_stuck_in_running(portal, publication):
    stuck = PublicationRun.objects.create(
        publication=publication,
        status=RunStatus.RUNNING,
        attempts=1,
        heartbeat_at=timezone.now() - datetime.timedelta(hours=1),
    )

    tasks.sweep_stuck_runs.delay()

    run = _wait_for_end(stuck)
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert run.attempts == 2
    assert len(_on_portal(portal, publication)) == 300


def test_the_beat_task_on_a_worker_fires_a_due_schedule_once_and_the_run_completes(
    portal, publication, publisher_a
):
    from publishing.models import PublicationSchedule
    from publishing.schedules import services as schedule_services

    schedule = schedule_services.schedule_set(
        publication=publication, acting_user=publisher_a, kind="daily"
    )
    missed = timezone.now() - datetime.timedelta(days=3)  # beat was down for three days
    PublicationSchedule.objects.filter(pk=schedule.pk).update(next_run_at=missed)

    tasks.run_due_schedules.delay()
    tasks.run_due_schedules.delay()  # a second tick, delivered at the same time

    run = _wait_for_end(_first_run(publication))
    assert run.status == RunStatus.SUCCEEDED, run.error
    runs = list(publication.runs.all())  # the second tick has long finished by now
    assert [(r.pk, r.trigger) for r in runs] == [(run.pk, "scheduled")]
    schedule.refresh_from_db()
    assert schedule.next_run_at > timezone.now()
    assert schedule.last_run == run


def _first_run(publication, timeout: float = 60) -> PublicationRun:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = publication.runs.first()
        if run is not None:
            return run
        time.sleep(0.05)
    raise AssertionError("the beat task started no run")
