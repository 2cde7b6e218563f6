"""A run whose worker died says so as soon as its heartbeat is two beats late, and the sweeper
queues it again then, not after the stuck timeout (issue #17.2, ADR 0023). A run the task queue
never took is never said to be "sent again" (issue #17.3)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from publishing import services
from publishing.models import AttemptOutcome, PublicationRun, RunAttempt, RunStatus
from tests.publishing.helpers import ocme_dataset, ready_publication

pytestmark = pytest.mark.clock("2026-03-02 15:00:00")


@pytest.fixture
def beats(settings):
    settings.CTODP_RUN_HEARTBEAT = 30  # lost after 60 s without a beat
    settings.CTODP_RUN_STUCK_AFTER = 900
    settings.CTODP_RUN_SWEEP = 60
    return settings


@pytest.fixture
def publication(agency_a, publisher_a):
    return ready_publication(ocme_dataset(agency_a), publisher_a)


def _running(publication, *, beat_ago: float) -> PublicationRun:
    now = timezone.now()
    run = PublicationRun.objects.create(
        publication=publication,
        status=RunStatus.RUNNING,
        attempts=1,
        started_at=now - datetime.timedelta(minutes=5),
        heartbeat_at=now - datetime.timedelta(seconds=beat_ago),
        enqueued_at=now - datetime.timedelta(minutes=5),
        rows_created=100,
    )
    RunAttempt.objects.create(
        run=run, number=1, started_at=run.started_at, rows_created=100, rows_in_flight=100
    )
    return run


def _clock(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M:%S")


def test_a_heartbeat_less_than_two_beats_late_is_a_live_worker(beats, client, publication):
    run = _running(publication, beat_ago=59)
    client.force_login(publication.created_by)

    assert not run.worker_lost
    assert services.runs_sweep() == []
    page = client.get(reverse("publishing:run_progress", args=[run.pk])).content.decode()
    assert "Worker lost" not in page
    assert f"Last heartbeat {_clock(run.heartbeat_at)}." in page


def test_two_missed_heartbeats_show_worker_lost_and_the_sweeper_queues_the_run_again(
    beats, client, publication
):
    run = _running(publication, beat_ago=61)
    client.force_login(publication.created_by)
    retry_at = run.heartbeat_at + datetime.timedelta(seconds=60 + 60)

    page = client.get(reverse("publishing:run_progress", args=[run.pk])).content.decode()
    api = client.get(reverse("api:run-detail", args=[run.pk])).json()

    assert run.worker_lost
    assert run.retry_at == retry_at
    assert f"Worker lost, will retry at {_clock(retry_at)}" in page
    assert f"no heartbeat since {_clock(run.heartbeat_at)}" in page
    assert api["worker_lost"] is True
    assert (api["heartbeat_at"] is None, api["retry_at"] is None) == (False, False)

    last_beat = _clock(run.heartbeat_at)
    assert services.runs_sweep() == [run.pk]  # at the next sweep, not 15 minutes later
    run.refresh_from_db()
    attempt = run.attempt_log.get()
    assert run.status == RunStatus.QUEUED
    assert f"worker lost (last heartbeat at {last_beat})" in attempt.error
    assert (attempt.outcome, attempt.rows_unknown, attempt.rows_in_flight) == (
        AttemptOutcome.LOST, 100, 0
    )  # fmt: skip
    assert (run.rows_created, run.rows_unknown) == (100, 100)  # the chunk in flight: unknown


def test_without_heartbeats_only_the_stuck_timeout_requeues(beats, publication):
    beats.CTODP_RUN_HEARTBEAT = 0
    run = _running(publication, beat_ago=600)

    assert not run.worker_lost
    assert services.runs_sweep() == []


def test_a_run_the_queue_never_took_is_sent_but_never_said_to_be_sent_again(beats, publication):
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    unsent = PublicationRun.objects.create(publication=publication, heartbeat_at=long_ago)
    other = ready_publication(ocme_dataset(publication.agency), publication.created_by)
    lost = PublicationRun.objects.create(
        publication=other, heartbeat_at=long_ago, enqueued_at=long_ago
    )

    assert services.runs_sweep() == [lost.pk, unsent.pk]

    unsent.refresh_from_db()
    lost.refresh_from_db()
    assert (unsent.status, unsent.error) == (RunStatus.QUEUED, "")
    assert "sent to the task queue again" in lost.error
