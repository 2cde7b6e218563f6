"""Operations against real services (ADR 0024): readiness with a Redis this test owns (stopped
mid-test) and Celery ping with and without a worker; per-agency queues on the test Redis."""

import json
import subprocess
import sys
import time

import pytest
import redis
from django.utils import timezone

from ctodp.celery import app as celery_app
from publishing import services
from publishing.models import PublicationRun, RunStatus
from publishing.outbox import run_enqueue
from sandbox_portal import start_sandbox
from tests.integration.conftest import ROOT, point_broker_at, stop_worker
from tests.integration.helpers import on_portal, wait_until
from tests.integration.outages import RedisServer
from tests.operations.conftest import TOKEN
from tests.operations.test_health import beat_sent, failing
from tests.publishing.helpers import expected_rows, ocme_dataset, ocme_records, ready_publication

pytestmark = pytest.mark.integration


@pytest.fixture
def ops(settings, client):
    settings.CTODP_OPS_TOKEN = TOKEN
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {TOKEN}"
    return client


@pytest.fixture
def redis_server():
    server = RedisServer()
    yield server
    server.kill()


@pytest.fixture
def on_redis(settings, tmp_path, transactional_db):
    settings.MEDIA_ROOT = tmp_path
    settings.CTODP_HEALTH_MIN_FREE_MB = 1
    settings.CTODP_HEALTH_CELERY_TIMEOUT = 1.0
    beat_sent(timezone.now())
    return settings


def test_redis_check_fails_once_its_server_is_stopped(ops, on_redis, redis_server):
    on_redis.REDIS_URL = redis_server.url
    on_redis.CELERY_BROKER_URL = "filesystem://"  # this test is about Redis alone

    before = ops.get("/health/?format=json")
    redis_server.kill()
    after = ops.get("/health/?format=json")

    assert before.status_code == 200, before.json()
    assert after.status_code == 500
    name = f"Redis(db=0, host='127.0.0.1', port={redis_server.port})"
    assert list(failing(after)) == [name]
    assert failing(after)[name].startswith("Unavailable: Unable to connect to Redis")


def test_celery_ping_fails_without_a_worker(ops, on_redis):
    response = ops.get("/health/?format=json")

    assert response.status_code == 500
    assert failing(response) == {"CeleryPing()": "Unavailable: Celery workers unavailable"}


def test_celery_ping_passes_with_a_worker(ops, on_redis, celery_worker):
    response = ops.get("/health/?format=json")

    assert response.status_code == 200, response.json()
    assert "CeleryPing()" in response.json()


@pytest.fixture
def own_broker(settings, redis_server):
    """Tasks really sent (not run in place) to a Redis of this test's own, without a worker."""
    previous = (celery_app.conf.broker_url, celery_app.conf.task_always_eager)
    point_broker_at(redis_server.url)
    celery_app.conf.task_always_eager = False
    settings.CELERY_BROKER_URL = redis_server.url
    yield redis.Redis.from_url(redis_server.url)
    point_broker_at(previous[0])
    celery_app.conf.task_always_eager = previous[1]


def test_a_run_of_an_agency_with_a_queue_lands_in_that_queue(
    ops, settings, own_broker, portal_settings, agency_a, agency_b, publisher_a, ado_b
):
    settings.CTODP_AGENCY_QUEUES = {"alpha": "alpha-net"}
    ours = ready_publication(ocme_dataset(agency_a), publisher_a)
    theirs = ready_publication(ocme_dataset(agency_b), ado_b)
    run_a = PublicationRun.objects.create(publication=ours)
    run_b = PublicationRun.objects.create(publication=theirs)

    assert run_enqueue(run_a.pk)
    assert run_enqueue(run_b.pk)

    [message] = own_broker.lrange("alpha-net", 0, -1)
    headers = json.loads(message)["headers"]
    assert (headers["task"], headers["argsrepr"]) == ("publishing.execute_run", f"({run_a.pk},)")
    [other] = own_broker.lrange("celery", 0, -1)
    assert json.loads(other)["headers"]["argsrepr"] == f"({run_b.pk},)"
    depth = [
        line
        for line in ops.get("/metrics").content.decode().splitlines()
        if line.startswith("ctodp_queue_depth{")
    ]
    assert sorted(depth) == [
        'ctodp_queue_depth{queue="alpha-net"} 1.0',
        'ctodp_queue_depth{queue="celery"} 1.0',
    ]


@pytest.fixture(scope="module")
def portal():
    running = start_sandbox()
    yield running
    running.stop()


@pytest.fixture
def agency_worker(settings, portal, worker_process_env):
    """A worker that consumes only agency alpha's queue, as one inside its network would
    (`celery -A ctodp worker -Q alpha-net`); no worker serves the default queue."""
    settings.SOCRATA_DOMAIN = portal.domain
    settings.CTODP_AGENCY_QUEUES = {"alpha": "alpha-net"}
    env = {
        **worker_process_env,
        "SOCRATA_DOMAIN": portal.domain,
        "CTODP_AGENCY_QUEUES": "alpha:alpha-net",
    }
    argv = ["-m", "celery", "-A", "ctodp", "worker", "-Q", "alpha-net", "--pool=solo"]
    argv += ["--loglevel=WARNING", "--without-gossip", "--without-mingle", "--hostname=alpha@%h"]
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    worker = subprocess.Popen([sys.executable, *argv], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 60
        while not celery_app.control.ping(timeout=0.5):
            assert worker.poll() is None, "the agency worker exited"
            assert time.monotonic() < deadline, "the agency worker did not answer in a minute"
        yield worker
    finally:
        celery_app.conf.task_always_eager = previous
        stop_worker(worker)


def test_an_agency_worker_pushes_its_agencys_run(portal, agency_worker, agency_a, publisher_a):
    publication = ready_publication(ocme_dataset(agency_a), publisher_a)

    run = services.run_start(publication=publication, acting_user=publisher_a)
    run = wait_until(run, lambda r: not r.is_active, timeout=90)

    assert run.status == RunStatus.SUCCEEDED, run.error
    assert on_portal(portal, publication) == expected_rows(ocme_records())
