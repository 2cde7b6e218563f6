"""Crash safety of publishing runs (ADR 0011), proved with real processes: a Celery worker
subprocess on a real Redis, the test PostgreSQL, and the sandbox portal over loopback HTTP.

Each run pushes the 300-row OCME slice in 30 chunks of 10, every row write slowed by the
sandbox, so that the outage demonstrably lands mid-run. In every case the run ends with exactly
the source's rows on the portal, or fails with a reason and a retry does; none stays active.
"""

import signal
import time

import pytest
from django.db import connection
from django.urls import reverse

from ctodp.celery import ping
from publishing import services, tasks
from publishing.models import RunStatus
from sandbox_portal import start_sandbox
from tests.integration.conftest import point_broker_at, stop_worker
from tests.integration.helpers import (
    ROW_WRITES,
    inject,
    on_portal,
    rows_on_portal,
    wait_for_end,
    wait_until,
)
from tests.integration.outages import RedisServer, TcpRelay
from tests.publishing.helpers import (
    counts_of,
    expected_rows,
    ocme_dataset,
    ocme_records,
    ocme_upload,
    ready_publication,
    received,
)
from tests.sandbox import writes_received

pytestmark = pytest.mark.integration

QUICK = {
    "SOCRATA_CHUNK_SIZE": "10",
    "CTODP_RUN_HEARTBEAT_SECONDS": "0.5",
    "CTODP_RUN_STUCK_AFTER_SECONDS": "3",
}
SLOW_WRITES = {"delay": 0.15, "count": 1000, **ROW_WRITES}  # 30 chunks: at least 4.5 s a run


@pytest.fixture(scope="module")
def portal():
    running = start_sandbox()
    yield running
    running.stop()


@pytest.fixture
def broker(settings):
    """A Redis of this test's own, for the worker and for the tasks this process sends."""
    server = RedisServer()
    previous = settings.CELERY_BROKER_URL
    point_broker_at(server.url)
    yield server
    point_broker_at(previous)
    server.kill()


@pytest.fixture
def database_relay(transactional_db):
    relay = TcpRelay(connection.settings_dict["HOST"], int(connection.settings_dict["PORT"]))
    yield relay
    relay.close()


@pytest.fixture
def worker_env(request, portal) -> dict[str, str]:
    env = {**QUICK, "SOCRATA_DOMAIN": portal.domain, **getattr(request, "param", {})}
    if "broker" in request.fixturenames:
        env["CELERY_BROKER_URL"] = request.getfixturevalue("broker").url
    if "database_relay" in request.fixturenames:
        relay, db = request.getfixturevalue("database_relay"), connection.settings_dict
        env["DATABASE_URL"] = f"postgres://{db['USER']}@127.0.0.1:{relay.port}/{db['NAME']}"
    return env


@pytest.fixture
def publication(portal, agency_a, publisher_a):
    portal.reset()
    return ready_publication(ocme_dataset(agency_a), publisher_a)


def _exactly_the_source(portal, publication) -> None:
    rows = rows_on_portal(portal, publication)
    assert len(rows) == 300  # no duplicates
    assert on_portal(portal, publication) == expected_rows(ocme_records())  # no loss


def _counts_are_what_the_portal_received(portal, run) -> None:
    run.publication.refresh_from_db()
    assert counts_of(run) == received(writes_received(portal, run.publication.portal_id))


def _mid_run(run):
    return wait_until(run, lambda r: r.status == RunStatus.RUNNING and r.chunks_done >= 5)


@pytest.mark.parametrize("mode", ["upsert", "replace"])
def test_a_worker_killed_mid_run_is_replaced_and_the_run_ends_with_exactly_the_rows(
    mode, portal, agency_a, publisher_a, celery_worker, spawn_worker
):
    portal.reset()
    publication = (
        ready_publication(ocme_dataset(agency_a), publisher_a)
        if mode == "upsert"
        else _replace_without_row_identifier(agency_a, publisher_a)
    )
    inject(portal, **SLOW_WRITES)
    run = _mid_run(services.run_start(publication=publication, acting_user=publisher_a))

    celery_worker.send_signal(signal.SIGKILL)
    celery_worker.wait(timeout=10)
    run.refresh_from_db()
    assert (run.status, run.attempts) == (RunStatus.RUNNING, 1)  # abandoned halfway

    spawn_worker()
    # Beat's job, once a second here: requeue the run once its heartbeat is 3 s old.
    run = wait_for_end(run, timeout=60, every=tasks.sweep_stuck_runs.delay)

    assert run.status == RunStatus.SUCCEEDED, run.error
    assert run.attempts == 2
    _exactly_the_source(portal, publication)  # a replace started over with its truncating PUT


def test_a_chunk_slower_than_the_stuck_timeout_is_not_taken_for_a_dead_worker(
    settings, portal, publication, publisher_a, celery_worker
):
    settings.CTODP_RUN_STUCK_AFTER = 3
    inject(portal, delay=5, count=1, **ROW_WRITES)  # one chunk write outlasts the timeout

    run = services.run_start(publication=publication, acting_user=publisher_a)
    # The sweeper runs here, in this process: the worker is busy with the run.
    run = wait_for_end(run, timeout=60, every=services.runs_sweep)

    assert run.status == RunStatus.SUCCEEDED, run.error
    assert run.attempts == 1  # the heartbeat thread kept the sweeper away
    _exactly_the_source(portal, publication)


def test_redis_restarted_mid_run_the_run_ends_and_the_worker_reconnects(
    broker, portal, publication, publisher_a, celery_worker
):
    inject(portal, **SLOW_WRITES)
    run = _mid_run(services.run_start(publication=publication, acting_user=publisher_a))

    broker.kill()  # every queued and unacknowledged message is gone with it
    time.sleep(2)
    broker.start()

    run = wait_for_end(run, timeout=60)
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert run.attempts == 1
    _exactly_the_source(portal, publication)
    _counts_are_what_the_portal_received(portal, run)
    assert ping.delay().get(timeout=45) == "pong"  # the worker found the new Redis


def test_a_queued_run_whose_message_redis_lost_is_sent_again_by_the_sweeper(
    broker, portal, publication, publisher_a, celery_worker, spawn_worker
):
    stop_worker(celery_worker)  # nobody takes the message: it waits in Redis
    run = services.run_start(publication=publication, acting_user=publisher_a)
    run.refresh_from_db()
    assert run.enqueued_at is not None

    broker.kill()  # and is lost with it
    broker.start()
    spawn_worker()
    # Beat's job: the run is queued, sent, and without a heartbeat for 3 s: sent again.
    run = wait_for_end(run, timeout=60, every=tasks.sweep_stuck_runs.delay)

    assert run.status == RunStatus.SUCCEEDED, run.error
    assert run.attempts == 1
    _exactly_the_source(portal, publication)
    _counts_are_what_the_portal_received(portal, run)


@pytest.mark.parametrize(
    "worker_env",
    [{"SOCRATA_RETRIES": "1", "CTODP_RUN_MAX_ATTEMPTS": "2", "SOCRATA_BACKOFF_MAX": "2"}],
    indirect=True,
)
def test_a_portal_failing_beyond_the_retries_fails_the_run_visibly_and_a_retry_is_exact(
    client, portal, publication, publisher_a, celery_worker
):
    # Ten chunks go through, then two attempts of two requests each are refused.
    inject(portal, delay=0.15, count=10, **ROW_WRITES)
    inject(portal, status=503, count=4, message="Down for maintenance", **ROW_WRITES)
    client.force_login(publisher_a)

    run = services.run_start(publication=publication, acting_user=publisher_a)
    run = wait_until(run, lambda r: r.status == RunStatus.QUEUED and r.attempts == 1)
    progress = client.get(reverse("publishing:run_progress", args=[run.pk])).content.decode()
    assert "Attempt 1 failed, will retry" in progress

    run = wait_for_end(run, timeout=60)
    assert (run.status, run.attempts) == (RunStatus.FAILED, 2)
    assert "transient, 2 attempts): HTTP 503" in run.error
    assert "Down for maintenance" in run.error

    response = client.post(reverse("publishing:run_start", args=[publication.pk]))
    assert response.status_code == 302
    assert (run.rows_created, run.rows_unknown) == (100, 40)  # 4 refused tries of chunk 11
    retry = wait_for_end(publication.runs.exclude(pk=run.pk).get(), timeout=60)
    assert retry.status == RunStatus.SUCCEEDED, retry.error
    _exactly_the_source(portal, publication)
    both = {key: counts_of(run)[key] + counts_of(retry)[key] for key in counts_of(run)}
    assert both == received(writes_received(portal, publication.portal_id))


def _replace_without_row_identifier(agency, user):
    """Rows appended, not upserted: a chunk written twice would show as duplicate rows."""
    publication = services.publication_create(
        dataset=ocme_dataset(agency), acting_user=user, mode="replace"
    )
    services.publication_attach_source(
        publication=publication, acting_user=user, file=ocme_upload()
    )
    return services.publication_confirm_columns(
        publication=publication, acting_user=user, row_identifier=""
    )


@pytest.mark.parametrize("worker_env", [{"CTODP_RUN_DB_WAIT_SECONDS": "30"}], indirect=True)
def test_a_short_database_outage_is_waited_out_by_the_run(
    database_relay, portal, publication, publisher_a, celery_worker
):
    inject(portal, **SLOW_WRITES)
    run = _mid_run(services.run_start(publication=publication, acting_user=publisher_a))

    database_relay.cut()  # open connections dropped, new ones refused
    time.sleep(3)
    database_relay.restore()

    run = wait_for_end(run, timeout=60)
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert run.attempts == 1  # the same attempt went on
    _exactly_the_source(portal, publication)
    _counts_are_what_the_portal_received(portal, run)


@pytest.mark.parametrize("worker_env", [{"CTODP_RUN_DB_WAIT_SECONDS": "1"}], indirect=True)
def test_a_database_outage_longer_than_the_wait_leaves_the_run_to_the_sweeper(
    database_relay, portal, publication, publisher_a, celery_worker
):
    inject(portal, **SLOW_WRITES)
    run = _mid_run(services.run_start(publication=publication, acting_user=publisher_a))

    database_relay.cut()
    time.sleep(4)  # the worker gives the run up; nobody can record that
    database_relay.restore()

    run = wait_for_end(run, timeout=60, every=tasks.sweep_stuck_runs.delay)
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert run.attempts == 2
    _exactly_the_source(portal, publication)


def test_a_run_started_while_the_broker_is_down_waits_and_the_sweeper_sends_it(
    client, broker, portal, publication, publisher_a, celery_worker
):
    broker.kill()
    client.force_login(publisher_a)

    response = client.post(reverse("publishing:run_start", args=[publication.pk]))

    assert response.status_code == 302
    run = publication.runs.get()
    assert (run.status, run.enqueued_at) == (RunStatus.QUEUED, None)
    assert "Waiting for the task queue" in client.get(response.url).content.decode()
    assert services.runs_sweep() == [run.pk]  # the broker is still down: tried, nothing lost
    run.refresh_from_db()
    assert run.enqueued_at is None

    broker.start()
    assert services.runs_sweep() == [run.pk]
    run.refresh_from_db()
    assert run.enqueued_at is not None
    run = wait_for_end(run, timeout=60)
    assert run.status == RunStatus.SUCCEEDED, run.error
    _exactly_the_source(portal, publication)
    _counts_are_what_the_portal_received(portal, run)
