"""Aggregation with small-cell suppression of a publication's source (issue 7, ADR 0007):
preview in the browser, then save as a new source of a publication of the same agency.

A small uploaded file is aggregated in the request. A larger file, a URL or an SQL source is
aggregated by a worker (`SuppressionJob`, the task `publishing.suppress_publication`) whose page
shows the rows read and then the same preview: the request never waits on a big source.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from privacy.engine.sources import iter_chunks
from privacy.engine.suppression import (
    SuppressedTable,
    SuppressionError,
    describe_method,
    suppress_source,
)
from privacy.models import SuppressionJob
from publishing import outbox, services, sources
from publishing.models import ACTIVE_STATUSES, Publication, RunStatus

logger = logging.getLogger(__name__)
PREVIEW_ROWS = 50
CHUNK_ROWS = 50_000


def runs_in_worker(publication: Publication) -> bool:
    """Only an uploaded file up to CTODP_SUPPRESS_SYNC_BYTES is aggregated in the request."""
    if publication.source_kind != "file":
        return True
    try:
        return publication.source_file.size > settings.CTODP_SUPPRESS_SYNC_BYTES
    except OSError:
        return True  # the worker reports the unreadable file


@contextlib.contextmanager
def _chunks(publication: Publication) -> Iterator[Iterator[pd.DataFrame]]:
    """The source as chunks of text columns, missing values as NaN (what the engine expects)."""
    if publication.source_kind in ("file", "url"):  # a URL through the guarded client
        with sources.open_source(publication) as handle:
            yield iter_chunks(handle, CHUNK_ROWS)
    elif publication.source_kind == "sql":
        chunks = sources.read_chunks(publication, CHUNK_ROWS)
        yield (chunk.replace("", np.nan) for chunk in chunks)
    else:
        raise ValidationError("Attach a source before aggregating it.")


def suppressed_table(
    publication: Publication,
    *,
    by: list[str],
    value: str = "",
    threshold: int = 5,
    progress: Callable[[int], None] | None = None,
) -> SuppressedTable:
    """Counts (or sums of `value`) by the `by` columns, with primary and complementary
    suppression of the cells from 1 to `threshold`."""
    if not by:
        raise ValidationError({"by": "Choose at least one column to group by."})
    try:
        with _chunks(publication) as chunks:
            return suppress_source(
                None, by, value=value or None, threshold=threshold, chunks=chunks, progress=progress
            )
    except (SuppressionError, sources.SourceError, ValueError, OSError) as error:
        raise ValidationError(f"The source cannot be aggregated: {error}") from error


def preview(table: SuppressedTable) -> dict[str, Any]:
    """What the page shows (and a job stores): the counts and the first rows, as plain JSON."""
    rows = table.published().head(PREVIEW_ROWS)
    return {
        "by": table.by,
        "value": table.value,
        "threshold": table.threshold,
        "cells": len(table.table),
        "hidden": int(table.table["suppressed"].sum()),
        # The audit: no suppressed cell recoverable from the line totals (strict: it passed).
        "audit_passed": bool(table.audit is not None and table.audit.passed),
        "complements_added": table.audit.added if table.audit is not None else 0,
        "rows": [
            {
                "labels": [str(row[name]) for name in table.by],
                "value": None if pd.isna(row[table.value]) else _number(row[table.value]),
                "suppressed": bool(row["suppressed"]),
            }
            for _, row in rows.iterrows()
        ],
    }


def _number(value: Any) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def method_note(table: SuppressedTable, source: Publication) -> str:
    """How this asset's rows were made: the aggregation, the suppression and its audit."""
    measure = f"the sum of {table.value}" if table.value != "count" else "the number of records"
    return (
        f"Method ({timezone.localdate():%Y-%m-%d}): aggregated from publication {source.pk} "
        f"to {measure} by {', '.join(table.by)}. " + describe_method(table)
    )


def save_as_source(
    *,
    source: Publication,
    target: Publication,
    acting_user: User,
    by: list[str],
    value: str = "",
    threshold: int = 5,
) -> SuppressedTable:
    """Write the suppressed table as a CSV through Django storage, attach it to `target`, and
    note the method on `target` (its portal asset's description carries it)."""
    _check_target(source, target)
    table = suppressed_table(source, by=by, value=value, threshold=threshold)
    _attach(table, source=source, target=target, acting_user=acting_user)
    return table


def _check_target(source: Publication, target: Publication) -> None:
    if target.agency_id != source.agency_id:
        raise ValidationError("The new source goes to a publication of the same agency.")


def _attach(
    table: SuppressedTable, *, source: Publication, target: Publication, acting_user: User
) -> None:
    content = table.published().to_csv(index=False).encode()
    name = f"suppressed-publication-{source.pk}.csv"
    with transaction.atomic():
        services.publication_attach_source(
            publication=target, acting_user=acting_user, file=ContentFile(content, name=name)
        )
        _note(target, acting_user, method_note(table, source))


def _note(target: Publication, acting_user: User, note: str) -> None:
    """The method belongs to this publication's asset, not to the dataset: sibling assets of one
    dataset are made differently, and a new aggregation replaces the old note."""
    target.method_note = note
    target._history_user = acting_user
    target.save(update_fields=["method_note", "updated_at"])


# --- in a worker ---------------------------------------------------------------------------


def suppression_start(
    *,
    publication: Publication,
    acting_user: User,
    by: list[str],
    value: str = "",
    threshold: int = 5,
    target: Publication | None = None,
) -> SuppressionJob:
    """Queue the aggregation (and, with a target, the save) in the caller's transaction."""
    if not by:
        raise ValidationError({"by": "Choose at least one column to group by."})
    if target is not None:
        _check_target(publication, target)
    job = SuppressionJob.objects.create(
        publication=publication,
        target=target,
        by=by,
        value=value,
        threshold=threshold,
        requested_by=acting_user,
        heartbeat_at=timezone.now(),
    )
    transaction.on_commit(lambda: outbox.send("publishing.suppress_publication", job.pk))
    return job


def suppression_execute(job_id: int) -> None:
    """Run one claimed job: rows read after every chunk, then the preview (and the save)."""
    now = timezone.now()
    jobs = SuppressionJob.objects.filter(pk=job_id)
    if jobs.filter(status=RunStatus.QUEUED).update(status=RunStatus.RUNNING, heartbeat_at=now) != 1:
        return
    job = jobs.select_related("publication", "target", "requested_by").get()

    def progress(rows: int) -> None:
        jobs.filter(status=RunStatus.RUNNING).update(rows_read=rows, heartbeat_at=timezone.now())

    try:
        table = suppressed_table(
            job.publication, by=job.by, value=job.value, threshold=job.threshold, progress=progress
        )
        if job.target is not None:
            _attach(table, source=job.publication, target=job.target, acting_user=job.requested_by)
    except ValidationError as error:
        _finish(jobs, RunStatus.FAILED, error=" ".join(error.messages))
    except Exception as error:  # any failure of the source or the engine ends the job
        logger.exception("suppression job %s failed", job_id)
        _finish(jobs, RunStatus.FAILED, error=f"{type(error).__name__}: {error}")
    else:
        _finish(jobs, RunStatus.SUCCEEDED, result=preview(table))


def suppression_jobs_sweep() -> list[int]:
    """Fail jobs queued or running without progress past CTODP_SCREEN_STUCK_AFTER (the worker
    died): their page stops polling and says to start again. Returns the ids failed."""
    bound = settings.CTODP_SCREEN_STUCK_AFTER
    stale = timezone.now() - timedelta(seconds=bound)
    stuck = SuppressionJob.objects.filter(status__in=ACTIVE_STATUSES, heartbeat_at__lt=stale)
    note = f"No progress for more than {bound // 60} minutes (the worker stopped). Start again."
    failed = []
    for job in stuck.only("pk", "status", "heartbeat_at"):
        jobs = SuppressionJob.objects.filter(
            pk=job.pk, status=job.status, heartbeat_at=job.heartbeat_at
        )
        if jobs.update(status=RunStatus.FAILED, finished_at=timezone.now(), error=note):
            failed.append(job.pk)
    return failed


def _finish(jobs, status: str, **fields: Any) -> None:
    jobs.filter(status=RunStatus.RUNNING).update(
        status=status, finished_at=timezone.now(), **fields
    )
