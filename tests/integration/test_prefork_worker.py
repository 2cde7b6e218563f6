"""The production worker (issue #17.1): the documented prefork command, `celery -A ctodp worker
--concurrency=N`, on a Redis with append-only persistence that the test restarts under a busy
worker. The solo pool the other worker tests use hides what breaks here.
"""

import datetime
import os
import signal
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from ctodp.celery import ping
from publishing import services
from publishing.models import AttemptOutcome, RunStatus
from sandbox_portal import start_sandbox
from tests.integration.conftest import PREFORK, point_broker_at
from tests.integration.helpers import ROW_WRITES, inject, on_portal, wait_for_end, wait_until
from tests.integration.outages import RedisServer
from tests.publishing.helpers import (
    counts_of,
    expected_rows,
    ocme_dataset,
    ocme_records,
    ready_publication,
    received,
)
from tests.sandbox import writes_received

pytestmark = pytest.mark.integration

SLOW_WRITES = {"delay": 0.15, "count": 1000, **ROW_WRITES}
HEARTBEAT = 0.5


@pytest.fixture(scope="module")
def portal():
    running = start_sandbox()
    yield running
    running.stop()


@pytest.fixture
def worker_pool() -> tuple[str, ...]:
    return PREFORK


@pytest.fixture
def broker(settings):
    server = RedisServer(append_only=True)
    previous = settings.CELERY_BROKER_URL
    point_broker_at(server.url)
    yield server
    point_broker_at(previous)
    server.kill()


@pytest.fixture
def worker_env(portal, broker) -> dict[str, str]:
    return {
        "SOCRATA_DOMAIN": portal.domain,
        "SOCRATA_CHUNK_SIZE": "10",
        "CTODP_RUN_HEARTBEAT_SECONDS": str(HEARTBEAT),
        "CELERY_BROKER_URL": broker.url,
        "CTODP_RUN_SWEEP_SECONDS": "1",  # the worker's own sweeper
    }


@pytest.fixture
def publication(portal, agency_a, publisher_a):
    portal.reset()
    return ready_publication(ocme_dataset(agency_a), publisher_a)


def test_redis_restarted_under_a_busy_prefork_worker_the_next_run_still_succeeds(
    broker, portal, publication, publisher_a, celery_worker
):
    inject(portal, **SLOW_WRITES)
    run = services.run_start(publication=publication, acting_user=publisher_a)
    run = wait_until(run, lambda r: r.status == RunStatus.RUNNING and r.chunks_done >= 5)

    broker.restart()

    run = wait_for_end(run, timeout=60)
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert celery_worker.poll() is None, "the worker exited after Redis came back"
    assert counts_of(run) == _received(portal, publication)

    portal.reset()  # the second run must push again: a new asset
    publication.refresh_from_db()
    publication.portal_id = ""
    publication.last_content_hash = ""
    publication.save(update_fields=["portal_id", "last_content_hash"])
    second = wait_for_end(services.run_start(publication=publication, acting_user=publisher_a))
    assert second.status == RunStatus.SUCCEEDED, second.error
    assert on_portal(portal, publication) == expected_rows(ocme_records())
    assert ping.delay().get(timeout=30) == "pong"
    assert celery_worker.poll() is None


def _received(portal, publication) -> dict[str, int]:
    publication.refresh_from_db()
    return received(writes_received(portal, publication.portal_id))


def test_a_killed_prefork_worker_shows_worker_lost_within_two_heartbeats_and_counts_stay_true(
    settings, client, portal, publication, publisher_a, celery_worker, spawn_worker
):
    settings.CTODP_RUN_HEARTBEAT = HEARTBEAT  # this process judges the heartbeat as the worker
    inject(portal, delay=0.15, count=5, **ROW_WRITES)
    inject(portal, delay=5, drop=True, **ROW_WRITES)  # chunk 6 hangs, then is never answered
    run = services.run_start(publication=publication, acting_user=publisher_a)
    attempt = wait_until(run, lambda r: r.chunks_done == 5).attempt_log.get()
    wait_until(attempt, lambda a: a.rows_in_flight == 10)  # chunk 6 is on its way

    os.killpg(celery_worker.pid, signal.SIGKILL)  # the whole worker, pool processes included
    killed_at = timezone.now()
    celery_worker.wait(timeout=10)

    run = wait_until(run, lambda r: r.worker_lost, timeout=2 * HEARTBEAT + 1)
    assert run.lost_at <= killed_at + datetime.timedelta(seconds=2 * HEARTBEAT)
    client.force_login(publisher_a)
    page = client.get(reverse("publishing:run_progress", args=[run.pk])).content.decode()
    assert "Worker lost, will retry at" in page

    time.sleep(5)  # the sandbox drops chunk 6 unanswered and unapplied
    spawn_worker()
    run = wait_for_end(run, timeout=90, every=services.runs_sweep)  # beat's job, every second

    assert (run.status, run.attempts) == (RunStatus.SUCCEEDED, 2), run.error
    first, second = run.attempt_log.all()
    assert (first.outcome, first.rows_created, first.rows_unknown) == (AttemptOutcome.LOST, 50, 10)
    assert second.outcome == AttemptOutcome.SUCCEEDED
    assert counts_of(run) == {"created": 300, "updated": 50, "deleted": 0, "unknown": 10}
    assert counts_of(run) == _received(portal, publication)
    assert on_portal(portal, publication) == expected_rows(ocme_records())


def test_a_run_started_while_redis_was_down_is_sent_by_the_workers_own_sweeper(
    client, broker, portal, publication, publisher_a, celery_worker
):
    broker.kill()
    client.force_login(publisher_a)
    response = client.post(reverse("publishing:run_start", args=[publication.pk]))
    run = publication.runs.get()
    assert (response.status_code, run.status, run.enqueued_at) == (302, RunStatus.QUEUED, None)

    broker.start()
    # Nobody sweeps in this test, and there is no beat: the worker sends the run itself.
    run = wait_for_end(run, timeout=60)

    assert (run.status, run.error) == (RunStatus.SUCCEEDED, "")
    assert celery_worker.poll() is None
    assert on_portal(portal, publication) == expected_rows(ocme_records())
    assert counts_of(run) == _received(portal, publication)
