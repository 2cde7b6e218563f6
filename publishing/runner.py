"""Executing a PublicationRun: claim it, survey the source, push it in chunks, record progress.

A run is owned by whoever moved it from queued to running (a conditional update), and every
later write to it is conditional on that ownership (status running and the same attempt), so
a run requeued by the sweeper and claimed elsewhere is never written by two workers. A thread
beats the run's heartbeat while it executes, and its writes wait out a short database outage
(publishing/liveness.py). Sending runs and the sweeper live in publishing/outbox.py.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from agencies import notices
from agencies.models import Role
from publishing import attempts, extensions, payload, reconcile, sources
from publishing.liveness import Heartbeat, patiently
from publishing.models import (
    ACTIVE_STATUSES,
    AttemptOutcome,
    Mode,
    Publication,
    PublicationRun,
    RunAttempt,
    RunStatus,
    Visibility,
    column_shapes,
)
from publishing.portal import PortalClient, PortalError, WriteResult
from publishing.portal import metadata as portal_metadata

logger = logging.getLogger(__name__)


class RunRetry(Exception):  # noqa: N818  a signal to the task, not an error
    """A transient failure: the run is queued again and the task should retry after `delay`."""

    def __init__(self, delay: float) -> None:
        super().__init__(f"retry in {delay:.0f} s")
        self.delay = delay


class RunInterrupted(Exception):  # noqa: N818
    """The run was cancelled, or taken over after the sweeper requeued it: stop quietly."""


# --- ownership -----------------------------------------------------------------------------

# The progress of the current attempt; the row counts add up over every attempt (ADR 0023).
PROGRESS = ("rows_read", "chunks_done")


def claim(run_id: int) -> PublicationRun | None:
    now = timezone.now()
    claimed = PublicationRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING,
        attempts=F("attempts") + 1,
        started_at=Coalesce("started_at", now),
        heartbeat_at=now,
        **dict.fromkeys(PROGRESS, 0),
        chunks_total=None,
    )
    if claimed != 1:
        return None  # another worker has it, or it ended: pushing it twice would be wrong
    return PublicationRun.objects.select_related(
        "publication__dataset__agency", "publication__dataset__inventory"
    ).get(pk=run_id)


def _mine(run: PublicationRun):
    return PublicationRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING, attempts=run.attempts)


def _progress(run: PublicationRun, **changes) -> None:
    """Record progress (a heartbeat too); stop if the run is no longer ours."""
    if not patiently(lambda: _mine(run).update(heartbeat_at=timezone.now(), **changes)):
        raise RunInterrupted


def _beat(run: PublicationRun) -> int:
    return _mine(run).update(heartbeat_at=timezone.now())


def finish(run_id: int, status: str, error: str = "", *, active: bool = False, **fields) -> bool:
    """End a run: from running (or, with `active`, also from queued) to a final status."""
    statuses = ACTIVE_STATUSES if active else (RunStatus.RUNNING,)
    now = timezone.now()
    ended = bool(
        PublicationRun.objects.filter(pk=run_id, status__in=statuses).update(
            status=status, error=error, finished_at=now, heartbeat_at=now, **fields
        )
    )
    if ended and status == RunStatus.FAILED:
        _tell_failed(run_id)  # once: a second finish of the same run updates nothing
    return ended


def _tell_failed(run_id: int) -> None:
    """The agency's publishers and ADO learn at once that a run failed, and why (issue #16)."""
    run = PublicationRun.objects.select_related("publication__agency", "publication__dataset")
    run = run.get(pk=run_id)
    publication = run.publication
    people = notices.members(publication.agency_id, Role.PUBLISHER, Role.ADO)
    link, context = publication.get_absolute_url(), {"publication": publication, "run": run}
    notices.send("run_failed", to=people, agency=publication.agency, link=link, context=context)


# --- execution -----------------------------------------------------------------------------


def run_execute(run_id: int) -> None:
    """Claim and execute one run. Raises RunRetry after a transient failure it requeued."""
    run = patiently(lambda: claim(run_id))
    if run is None:
        logger.info("run %s is not queued any more; nothing to do", run_id)
        return
    # Outside the claim: a retried claim would find its own run running and give it up.
    run.attempt = attempts.attempt_open(run)
    try:
        with Heartbeat(lambda: _beat(run)):
            _execute(run)
    except RunInterrupted:
        logger.info("run %s was cancelled or taken over", run_id)
        _close(run, AttemptOutcome.INTERRUPTED)
    except sources.SourceError as error:
        reason = str(error)
        patiently(lambda: finish(run.pk, RunStatus.FAILED, reason))
        _close(run, AttemptOutcome.FAILED, reason)
    except PortalError as error:
        _after_portal_error(run, error)
    except Exception as error:
        # If the database is still away this raises too; the run's heartbeat then goes stale
        # and the sweeper queues it again.
        note = f"Unexpected error: {type(error).__name__}: {error}"
        patiently(lambda: finish(run.pk, RunStatus.FAILED, note))
        _close(run, AttemptOutcome.FAILED, note)
        raise


def _close(run: PublicationRun, outcome: str, error: str = "") -> None:
    attempts.attempts_close(run.pk, outcome, error, number=run.attempts)


def _after_portal_error(run: PublicationRun, error: PortalError) -> None:
    if error.retryable and run.attempts < settings.CTODP_RUN_MAX_ATTEMPTS:
        note = f"Attempt {run.attempts} failed, will retry: {error}"
        back = {"status": RunStatus.QUEUED, "error": note, "enqueued_at": None}
        if patiently(lambda: _mine(run).update(heartbeat_at=timezone.now(), **back)):
            _close(run, AttemptOutcome.RETRY, str(error))
            delay = error.retry_after or settings.SOCRATA_BACKOFF_MAX * run.attempts
            raise RunRetry(delay)
    patiently(lambda: finish(run.pk, RunStatus.FAILED, str(error)))
    _close(run, AttemptOutcome.FAILED, str(error))


def _execute(run: PublicationRun) -> None:
    publication = run.publication
    metadata = portal_metadata.view_fields(publication)
    described = portal_metadata.column_descriptions(publication)
    edited = portal_metadata.digest(metadata, described) != publication.last_metadata_hash
    with PortalClient() as portal, sources.downloaded_once(publication), payload.Spool() as spool:
        if publication.is_external:
            _ensure_asset(portal, publication)
            _sync_asset(portal, publication, metadata)
            return _succeed(run, publication, "", metadata, unchanged=False)
        survey = survey_source(publication, spool)
        _progress(run, chunks_total=survey.chunks, content_hash=survey.content_hash)
        if publication.portal_id and survey.content_hash == publication.last_content_hash:
            if edited:
                portal.update_metadata(publication.portal_id, metadata)  # the rows stay as they are
                _sync_descriptions(portal, publication, described)
            _progress(run, chunks_done=survey.chunks, rows_read=survey.rows)
            return _succeed(run, publication, survey.content_hash, metadata, unchanged=True)
        _forget_last_content(publication)
        _ensure_asset(portal, publication)
        _push(portal, run, publication, spool)
        warning = reconcile.missing_rows(portal, run, publication, survey.rows, _record_write)
        _sync_asset(portal, publication, metadata)
        if edited:
            _sync_descriptions(portal, publication, described)
        _succeed(run, publication, survey.content_hash, metadata, unchanged=False, warning=warning)


def _sync_descriptions(portal: PortalClient, publication: Publication, described: dict) -> None:
    """Column descriptions written after the asset was created (its columns carry the first).

    Only descriptions the publisher wrote are sent: an empty one in ctodp never clears what an
    adopted asset already has on the portal."""
    if not any(described.values()):
        return
    for column in portal.get_metadata(publication.portal_id).get("columns", []):
        wanted = described.get(column.get("fieldName"))
        if wanted and wanted != (column.get("description") or ""):
            portal.update_column(publication.portal_id, column["id"], {"description": wanted})


def _forget_last_content(publication: Publication) -> None:
    """From the first write on, the portal no longer holds what the last success wrote: if this
    run fails, the next one must not skip its push as "unchanged"."""
    patiently(lambda: Publication.objects.filter(pk=publication.pk).update(last_content_hash=""))


def hash_key(publication: Publication) -> dict:
    # Not the portal id: it is set during the first run, after the hash was taken.
    return {
        "mode": publication.mode,
        "row_identifier": publication.row_identifier,
        "columns": column_shapes(publication.columns),  # a description edit re-pushes no row
    }


def survey_source(publication: Publication, spool: payload.Spool) -> payload.Survey:
    """First pass, the only read of the source: check every header and value, count chunks,
    hash the content, spool the bodies (publishing/payload.py). No writes, so bad input fails
    the run before anything reaches the portal."""
    upsert = publication.mode == "upsert"
    return payload.survey(
        publication,
        hash_key(publication),
        _chunk_size(),
        spool,
        row_identifier=publication.row_identifier if upsert else "",
    )


def _chunk_size() -> int:
    return settings.SOCRATA_CHUNK_SIZE


def _ensure_asset(portal: PortalClient, publication: Publication) -> None:
    if publication.portal_id:
        if publication.adopted:
            _check_adopted(portal, publication)
        return
    fields = portal_metadata.view_fields(publication)
    view = portal.create_dataset(
        fields.pop("name"),
        columns=portal_metadata.portal_columns(publication),
        description=fields.get("description", ""),
        row_identifier=publication.row_identifier or None,
    )
    publication.portal_id = view["id"]
    # Saved at once: a retried run must find this asset rather than create another one.
    patiently(lambda: Publication.objects.filter(pk=publication.pk).update(portal_id=view["id"]))


def _check_adopted(portal: PortalClient, publication: Publication) -> None:
    """An adopted asset the public already sees gets nothing the make-public gate would refuse
    (ADR 0016), and it must already have every confirmed column: rows are never pushed into
    columns the portal does not know (it would refuse them halfway through)."""
    view = portal.get_metadata(publication.portal_id)
    if portal_metadata.is_public(view) and publication.visibility != Visibility.PUBLIC:
        try:
            extensions.check_public(publication)
        except ValidationError as error:
            raise sources.SourceError(
                f"The portal asset {publication.portal_id} is public: " + " ".join(error.messages)
            ) from error
    if publication.is_external:
        return
    on_portal = {column["fieldName"] for column in view.get("columns", [])}
    missing = [c["name"] for c in publication.columns if c["field_name"] not in on_portal]
    if missing:
        raise sources.SourceError(
            f"The portal asset {publication.portal_id} has no column for: {', '.join(missing)}. "
            "Add them on the portal, or publish to a new asset."
        )


def _sync_asset(portal: PortalClient, publication: Publication, metadata: dict) -> None:
    """Metadata from the CT fields, published (still private until a reviewer says so)."""
    portal.update_metadata(publication.portal_id, metadata)
    if not publication.adopted:
        portal.publish(publication.portal_id)
    if publication.visibility == Visibility.PUBLIC:
        portal.set_public(publication.portal_id, True)
    elif not publication.adopted:
        portal.set_public(publication.portal_id, False)
    # An adopted asset stays as the portal has it: a push never hides what the public sees
    # (only retirement does, with notice). ADR 0016.


def _push(
    portal: PortalClient, run: PublicationRun, publication: Publication, spool: payload.Spool
) -> None:
    """Second pass, over the spooled bodies: write chunk by chunk; the first chunk of a replace
    truncates (PUT)."""
    replace = publication.mode == Mode.REPLACE
    # Socrata's report of a replace leaves out the rows it removed: count them first.
    truncated = portal.count_rows(publication.portal_id) if replace else 0
    number = 0
    for rows, body in spool.bodies():
        number += 1
        verb = "replace" if replace and number == 1 else "upsert"
        appends = verb == "upsert" and not publication.row_identifier
        attempts.in_flight(run.attempt, rows)
        try:
            result = portal.write_json(
                verb, publication.portal_id, body, number, idempotent=not appends
            )
        except PortalError as error:
            _record_write(run, attempts.counted(rows, lost_tries=error.lost_tries))
            # An append the portal may have applied is not sent again, but the whole run may
            # be: its next attempt starts with the truncating PUT.
            error.retryable = error.retryable or (replace and error.transient)
            raise
        if verb == "replace":
            result = replace_result(result, truncated)
        _record_chunk(run, rows, result, len(body))
    if replace and number == 0:
        result = portal.replace(publication.portal_id, [])  # an empty source empties the asset
        _record_write(run, attempts.counted(0, replace_result(result, truncated)))


def replace_result(result: WriteResult, truncated: int) -> WriteResult:
    """A replace's report with the rows it truncated counted as deleted."""
    return WriteResult(
        result.created, result.updated, result.deleted + truncated, result.errors, result.lost_tries
    )


def _record_chunk(run: PublicationRun, rows: int, result: WriteResult, size: int) -> None:
    counts = {
        **attempts.counted(rows, result),
        "bytes_sent": F("bytes_sent") + size,
        "chunks_done": F("chunks_done") + 1,
    }
    _record_write(run, counts, rows_read=F("rows_read") + rows)


def _record_write(run: PublicationRun, counts: dict, **progress) -> None:
    """Add a write's counts to the run (a progress write: it stops a run no longer ours) and
    to its attempt, in one transaction: a worker killed between the two would leave the chunk
    acknowledged on the run and still in flight on the attempt, counted twice once the attempt
    is closed. One commit a chunk instead of two, too."""

    def record() -> bool:
        with transaction.atomic():
            if not _mine(run).update(heartbeat_at=timezone.now(), **counts, **progress):
                return False
            attempts.attempt_count(run.attempt, **counts)
            return True

    if not patiently(record):
        raise RunInterrupted


def _succeed(
    run: PublicationRun,
    publication: Publication,
    digest: str,
    metadata: dict,
    *,
    unchanged: bool,
    warning: str = "",
) -> None:
    described = portal_metadata.column_descriptions(publication)

    def record() -> bool:
        with transaction.atomic():
            if not finish(run.pk, RunStatus.SUCCEEDED, unchanged=unchanged, warning=warning):
                return False
            RunAttempt.objects.filter(pk=run.attempt.pk).update(
                outcome=AttemptOutcome.SUCCEEDED, finished_at=timezone.now()
            )
            Publication.objects.filter(pk=publication.pk).update(
                last_content_hash=digest,
                last_metadata_hash=portal_metadata.digest(metadata, described),
            )
            return True

    if not patiently(record):
        raise RunInterrupted
