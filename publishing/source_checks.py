"""Reading a URL or SQL source's columns in a worker (ADR 0017): attaching records the source's
configuration and queues a SourceCheck; the task `publishing.check_source` reads the first rows
through the guarded readers with the worker's deadline and writes the detected columns, if the
publication's source is still the one checked (a newer attach wins)."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from publishing import outbox, sources
from publishing.liveness import Heartbeat
from publishing.models import ACTIVE_STATUSES, Publication, RunStatus, SourceCheck

logger = logging.getLogger(__name__)
QUEUE_DOWN = "The task queue is unreachable, so the source was not read. Attach it again shortly."
REPLACED = "Another source was attached before this check finished; its columns were not kept."


def check_queue(publication: Publication, acting_user: User | None) -> SourceCheck:
    """A check of the publication's current source, in the caller's transaction; the task is
    sent once that commits. The caller saves `publication.source_check`."""
    check = SourceCheck.objects.create(
        publication=publication, requested_by=acting_user, heartbeat_at=timezone.now()
    )
    transaction.on_commit(lambda: _send(check.pk))
    return check


def _send(check_id: int) -> None:
    """A check the task queue cannot take fails at once, saying so (as privacy screens do):
    attaching again is one click, and no check waits for a queue that never heard of it."""
    try:
        outbox.send("publishing.check_source", check_id)
    except (BrokerError, OSError) as error:
        logger.warning("source check %s not sent to the task queue (%s)", check_id, error)
        SourceCheck.objects.filter(pk=check_id, status=RunStatus.QUEUED).update(
            status=RunStatus.FAILED, error=QUEUE_DOWN, finished_at=timezone.now()
        )


def _claim(check_id: int) -> bool:
    now = timezone.now()
    claimed = SourceCheck.objects.filter(pk=check_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=now, heartbeat_at=now
    )
    return claimed == 1


def check_execute(check_id: int) -> None:
    """Read the source's first rows with the worker's deadline and record what was found."""
    if not _claim(check_id):
        return  # a duplicate message, or the sweeper failed it meanwhile
    check = SourceCheck.objects.select_related("publication__agency").get(pk=check_id)
    publication = check.publication
    if publication.source_check_id != check.pk:
        _finish(check_id, RunStatus.FAILED, error=REPLACED)
        return

    def touch() -> int:
        live = SourceCheck.objects.filter(pk=check_id, status=RunStatus.RUNNING)
        return live.update(heartbeat_at=timezone.now())

    try:
        with Heartbeat(touch):
            columns = sources.sample_columns(publication)  # CTODP_SOURCE_URL_TIMEOUT for a URL
    except sources.SourceError as error:
        _finish(check_id, RunStatus.FAILED, error=str(error))
        return
    if not _keep_columns(check, columns):
        _finish(check_id, RunStatus.FAILED, error=REPLACED)
        return
    _finish(check_id, RunStatus.SUCCEEDED, columns_found=len(columns))


def _keep_columns(check: SourceCheck, columns: list[sources.Column]) -> bool:
    """Write the columns only while the publication still points at this check."""
    with transaction.atomic():
        publication = Publication.objects.select_for_update().get(pk=check.publication_id)
        if publication.source_check_id != check.pk:
            return False
        publication.detected_columns = columns
        publication._history_user = check.requested_by
        publication.save(update_fields=["detected_columns", "updated_at"])
    return True


def _finish(check_id: int, status: str, **fields: object) -> None:
    SourceCheck.objects.filter(pk=check_id, status=RunStatus.RUNNING).update(
        status=status, finished_at=timezone.now(), **fields
    )


def checks_sweep() -> list[int]:
    """Fail checks queued or running without a heartbeat past CTODP_SCREEN_STUCK_AFTER (a dead
    worker, a lost message), so that nothing waits forever. Returns the ids failed."""
    bound = settings.CTODP_SCREEN_STUCK_AFTER
    stale = timezone.now() - timedelta(seconds=bound)
    stuck = SourceCheck.objects.filter(status__in=ACTIVE_STATUSES, heartbeat_at__lt=stale)
    failed = []
    for check in stuck.only("pk", "status", "heartbeat_at"):
        note = (
            f"No answer for more than {bound // 60} minutes while {check.status} (the worker "
            "stopped or the task was lost). Attach the source again."
        )
        moved = SourceCheck.objects.filter(
            pk=check.pk, status=check.status, heartbeat_at=check.heartbeat_at
        ).update(status=RunStatus.FAILED, finished_at=timezone.now(), error=note)
        if moved:
            failed.append(check.pk)
    return failed
