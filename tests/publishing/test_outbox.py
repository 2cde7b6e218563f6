"""The outbox (publishing/outbox.py) and the run's liveness helpers (publishing/liveness.py),
without a broker: a dead port stands for Redis being down."""

import datetime
import threading

import pytest
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from ctodp.celery import app as celery_app
from privacy.models import PrivacyScreen
from publishing import liveness, services
from publishing.models import PublicationRun, RunStatus
from tests.core.test_security import PRODUCTION_ENV, _manage
from tests.publishing.helpers import ocme_dataset, ready_publication

DEAD_BROKER = "redis://127.0.0.1:9/0"  # the discard port: nothing answers


@pytest.fixture
def publication(agency_a, publisher_a):
    return ready_publication(ocme_dataset(agency_a), publisher_a)


@pytest.fixture
def broker_down():
    """Tasks are really sent (not run eagerly), to a broker that refuses connections."""
    previous = (celery_app.conf.task_always_eager, celery_app.conf.broker_url)
    celery_app.conf.task_always_eager = False
    _point_broker_at(DEAD_BROKER)
    yield
    celery_app.conf.task_always_eager = previous[0]
    _point_broker_at(previous[1])


def _point_broker_at(url: str) -> None:
    celery_app.conf.broker_url = url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def test_publishing_while_the_broker_is_down_keeps_the_run_and_the_page_says_it_waits(
    client, broker_down, publication, publisher_a, django_capture_on_commit_callbacks
):
    client.force_login(publisher_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/publishing/{publication.pk}/publish/")

    assert response.status_code == 302
    run = PublicationRun.objects.get()
    assert (run.status, run.enqueued_at) == (RunStatus.QUEUED, None)
    page = client.get(response.url).content.decode()
    assert "Waiting for the task queue" in page
    progress = client.get(f"/publishing/runs/{run.pk}/progress/").content.decode()
    assert "Waiting for the task queue" in progress


def test_a_privacy_screen_the_queue_cannot_take_fails_at_once_saying_why(
    client, broker_down, publication, publisher_a, django_capture_on_commit_callbacks
):
    client.force_login(publisher_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/publishing/{publication.pk}/privacy/screen/", {"threshold": 5})

    assert response.status_code == 302
    screen = PrivacyScreen.objects.get()
    assert screen.status == RunStatus.FAILED
    assert "task queue is unreachable" in screen.error


def test_a_run_the_queue_took_says_it_waits_for_a_worker(client, publication, publisher_a):
    run = PublicationRun.objects.create(publication=publication, enqueued_at=timezone.now())
    client.force_login(publisher_a)

    progress = client.get(f"/publishing/runs/{run.pk}/progress/").content.decode()

    assert "Queued: waiting for a worker" in progress
    assert "Waiting for the task queue" not in progress


def test_the_sweeper_sends_the_runs_the_queue_never_took(
    sandbox, portal_settings, publication, django_capture_on_commit_callbacks
):
    unsent = PublicationRun.objects.create(publication=publication, heartbeat_at=timezone.now())
    other = ready_publication(ocme_dataset(publication.agency), publication.created_by)
    sent = PublicationRun.objects.create(
        publication=other, heartbeat_at=timezone.now(), enqueued_at=timezone.now()
    )

    with django_capture_on_commit_callbacks(execute=True):
        swept = services.runs_sweep()

    assert swept == [unsent.pk]  # the other one is in the queue already
    unsent.refresh_from_db()
    assert unsent.status == RunStatus.SUCCEEDED, unsent.error  # sent, and run (eagerly)
    assert unsent.enqueued_at is not None
    sent.refresh_from_db()
    assert sent.status == RunStatus.QUEUED


def test_the_sweeper_says_why_it_requeued_a_run_and_a_failed_send_is_tried_again(
    broker_down, publication, django_capture_on_commit_callbacks
):
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    stuck = PublicationRun.objects.create(
        publication=publication, status=RunStatus.RUNNING, attempts=1, heartbeat_at=long_ago
    )

    for _ in range(2):  # the broker stays down: each sweep tries again, nothing is lost
        with django_capture_on_commit_callbacks(execute=True):
            assert services.runs_sweep() == [stuck.pk]

    stuck.refresh_from_db()
    assert (stuck.status, stuck.enqueued_at) == (RunStatus.QUEUED, None)
    assert "Attempt 1: worker lost (last heartbeat at " in stuck.error


def test_patiently_waits_out_an_unreachable_database(settings, monkeypatch):
    settings.CTODP_RUN_DB_WAIT = 5
    monkeypatch.setattr(liveness.time, "sleep", lambda seconds: None)
    failures = iter([OperationalError("server closed the connection"), InterfaceError()])

    def write() -> int:
        error = next(failures, None)
        if error is not None:
            raise error
        return 1

    assert liveness.patiently(write) == 1


def test_patiently_gives_up_after_the_wait(settings):
    settings.CTODP_RUN_DB_WAIT = 0.3
    calls = []

    def write() -> None:
        calls.append(1)
        raise OperationalError("could not connect to server")

    with pytest.raises(OperationalError):
        liveness.patiently(write)
    assert 1 < len(calls) < 5


def test_patiently_does_not_retry_inside_a_transaction(db, settings):
    settings.CTODP_RUN_DB_WAIT = 5
    calls = []

    def write() -> None:
        calls.append(1)
        raise OperationalError("server closed the connection")

    with pytest.raises(OperationalError), transaction.atomic():
        liveness.patiently(write)
    assert len(calls) == 1


def test_the_heartbeat_beats_until_the_block_ends_or_the_run_is_not_ours(settings):
    settings.CTODP_RUN_HEARTBEAT = 0.01
    beats = []
    lost = threading.Event()

    def touch() -> int:
        beats.append(1)
        if len(beats) == 3:
            lost.set()
            return 0  # cancelled or taken over
        return 1

    with liveness.Heartbeat(touch):
        assert lost.wait(timeout=5)
    assert len(beats) == 3


def test_no_heartbeat_thread_when_it_is_turned_off(settings):
    settings.CTODP_RUN_HEARTBEAT = 0
    with liveness.Heartbeat(lambda: pytest.fail("beat while turned off")) as heartbeat:
        assert heartbeat._thread is None


def test_production_keeps_the_redis_visibility_timeout():
    probe = "from django.conf import settings; print(settings.CELERY_BROKER_TRANSPORT_OPTIONS)"
    env = {**PRODUCTION_ENV, "CELERY_VISIBILITY_TIMEOUT_SECONDS": "7200"}

    result = _manage("shell", "-c", probe, env=env)

    assert result.returncode == 0, result.stderr
    assert "'visibility_timeout': 7200" in result.stdout
