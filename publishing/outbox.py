"""Handing runs to the task queue: a run is a database row first and a message second.

`run_start` writes the run in the request's transaction and sends it once that commits. When the
broker is down the request still succeeds: the run stays queued without `enqueued_at`, the page
says it waits for the task queue, and the sweeper (beat, every minute) sends it once the broker
is back. The sweeper also requeues runs whose worker died or whose message was lost: a queued or
running run without a heartbeat for CTODP_RUN_STUCK_AFTER_SECONDS. Sending a run twice is
harmless: only one worker can claim it (runner.claim).
"""

from __future__ import annotations

import logging
import random
import threading
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from publishing import routing
from publishing.attempts import attempts_close
from publishing.liveness import drop_connection
from publishing.models import (
    ACTIVE_STATUSES,
    LOST_AFTER_BEATS,
    AttemptOutcome,
    PublicationRun,
    RunStatus,
)
from publishing.runner import finish

logger = logging.getLogger(__name__)


def send(task_name: str, *args: object, countdown: float | None = None) -> None:
    """Hand a task to the queue by its registered name (each app's tasks.py; the apps import
    them when ready). Services never import tasks modules, so tasks → services → send has no
    cycle (ADR 0013); eager mode (tests) still runs the task in place. A task that reads an
    agency's sources goes to that agency's queue when it has one (routing.py, ADR 0024)."""
    queue = routing.queue_for(task_name, args)
    current_app.signature(task_name, args=args).apply_async(countdown=countdown, queue=queue)


def run_enqueue(run_id: int, *, countdown: float | None = None) -> bool:
    """Send the run to the task queue and record when it took it. A broker that is down or
    unreachable is logged, not raised: the run is safe in the database and the sweeper sends it.
    """
    try:
        send("publishing.execute_run", run_id, countdown=countdown)
    except (BrokerError, OSError) as error:
        logger.warning("run %s not sent to the task queue (%s); the sweeper will", run_id, error)
        return False
    PublicationRun.objects.filter(pk=run_id).update(enqueued_at=timezone.now())
    return True


def runs_sweep() -> list[int]:
    """Requeue runs stuck in queued or running past the timeout, fail those out of attempts,
    and send every queued run the task queue never took. Returns the ids sent (once this
    transaction commits)."""
    requeued = _requeue_stuck()
    unsent = PublicationRun.objects.filter(status=RunStatus.QUEUED, enqueued_at__isnull=True)
    to_send = list(dict.fromkeys([*requeued, *unsent.order_by("pk").values_list("pk", flat=True)]))
    for pk in to_send:
        transaction.on_commit(lambda pk=pk: run_enqueue(pk))
    return to_send


def _stuck() -> QuerySet[PublicationRun]:
    """Runs to queue again: a running run whose heartbeat is two beats late (its worker is
    lost, ADR 0023), and a queued or running run without a heartbeat for the stuck timeout (a
    lost message; a run without heartbeats). A run the queue never took is not stuck: it is
    sent below, and was never "sent again"."""
    now = timezone.now()
    stuck = Q(heartbeat_at__lt=now - timedelta(seconds=settings.CTODP_RUN_STUCK_AFTER))
    if settings.CTODP_RUN_HEARTBEAT > 0:
        late = timedelta(seconds=LOST_AFTER_BEATS * settings.CTODP_RUN_HEARTBEAT)
        stuck |= Q(status=RunStatus.RUNNING, heartbeat_at__lt=now - late)
    unsent = Q(status=RunStatus.QUEUED, enqueued_at__isnull=True)
    return PublicationRun.objects.filter(stuck, status__in=ACTIVE_STATUSES).exclude(unsent)


def _requeue_stuck() -> list[int]:
    requeued = []
    for run in _stuck().only("pk", "status", "attempts", "heartbeat_at"):
        if run.attempts >= settings.CTODP_RUN_MAX_ATTEMPTS:
            note = f"Stuck in {run.status} after {run.attempts} attempts; given up."
            if finish(run.pk, RunStatus.FAILED, note, active=True):
                attempts_close(run.pk, AttemptOutcome.LOST, _stuck_note(run))
            continue
        # Conditional on the heartbeat we saw: a worker that beat meanwhile keeps its run.
        moved = PublicationRun.objects.filter(
            pk=run.pk, status=run.status, heartbeat_at=run.heartbeat_at
        ).update(
            status=RunStatus.QUEUED,
            heartbeat_at=timezone.now(),
            enqueued_at=None,
            error=_stuck_note(run),
        )
        if moved:
            if run.status == RunStatus.RUNNING:
                attempts_close(run.pk, AttemptOutcome.LOST, _stuck_note(run))
            requeued.append(run.pk)
    return requeued


def _stuck_note(run: PublicationRun) -> str:
    if run.status == RunStatus.RUNNING:
        last = timezone.localtime(run.heartbeat_at).strftime("%H:%M:%S")
        return f"Attempt {run.attempts}: worker lost (last heartbeat at {last}); queued again."
    waited = f"{settings.CTODP_RUN_STUCK_AFTER} s"
    return f"No worker took the run within {waited}; sent to the task queue again."


def start_worker_sweeper(**_signal) -> threading.Thread | None:
    """Celery's `worker_ready`: each worker also sweeps, every CTODP_RUN_SWEEP seconds or so, in
    a thread of its own (issue #17.1, ADR 0023). Beat's sweep is a task and needs the broker to
    reach a worker; this one needs none to run, so runs waiting for the task queue are sent
    once Redis is back even if beat's messages were lost or beat is down. Sweeps from several
    workers at once are harmless: requeues are conditional, a duplicate message does nothing."""
    if settings.CTODP_RUN_SWEEP <= 0:
        return None
    thread = threading.Thread(target=_sweep_forever, name="run-sweeper", daemon=True)
    thread.start()
    return thread


def _sweep_forever(stop: threading.Event | None = None) -> None:
    stop = stop or threading.Event()
    # Jitter: workers started together do not sweep in step.
    while not stop.wait(settings.CTODP_RUN_SWEEP * (0.5 + random.random())):  # noqa: S311
        try:
            runs_sweep()
        except DatabaseError as error:
            logger.warning("sweep not done (%s); trying at the next one", error)
            drop_connection()
