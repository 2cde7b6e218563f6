"""The production worker (issue #17.1): the documented prefork command, `celery -A ctodp worker
--concurrency=N`, on a Redis with append-only persistence that the test restarts under a busy
worker. The solo pool the other worker tests use hides what breaks here.
"""

import pytest

from ctodp.celery import ping
from publishing import services
from publishing.models import RunStatus
from sandbox_portal import start_sandbox
from tests.integration.conftest import PREFORK, point_broker_at
from tests.integration.helpers import ROW_WRITES, inject, on_portal, wait_for_end, wait_until
from tests.integration.outages import RedisServer
from tests.publishing.helpers import expected_rows, ocme_dataset, ocme_records, ready_publication

pytestmark = pytest.mark.integration

SLOW_WRITES = {"delay": 0.15, "count": 1000, **ROW_WRITES}


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
        "CTODP_RUN_HEARTBEAT_SECONDS": "0.5",
        "CELERY_BROKER_URL": broker.url,
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
