"""Each attempt of a run and what the portal acknowledged to it (issue #17.3, ADR 0023).

A run's counters add up over its attempts: an attempt that failed halfway still wrote what it
wrote. Only what the portal acknowledged is counted as created, updated or deleted; rows sent
whose answer never came (a dropped connection, a 5xx, a worker killed while it waited) are
counted as unknown, never guessed. Before each chunk the attempt records the rows it is about
to send; if its worker dies before the answer is recorded, whoever closes the attempt (the next
claim, or the sweeper) moves them to unknown.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from publishing.liveness import patiently
from publishing.models import AttemptOutcome, PublicationRun, RunAttempt
from publishing.portal import WriteResult

COUNTS = ("rows_created", "rows_updated", "rows_deleted", "rows_unknown")


def attempt_open(run: PublicationRun) -> RunAttempt:
    """The attempt the caller just claimed (run.attempts); earlier ones left open were lost."""
    attempts_close(run.pk, AttemptOutcome.LOST, "The worker stopped answering.")
    return patiently(
        lambda: RunAttempt.objects.create(
            run_id=run.pk, number=run.attempts, started_at=timezone.now()
        )
    )


def attempts_close(
    run_id: int, outcome: str, error: str = "", *, number: int | None = None
) -> None:
    """Close the run's open attempts (only attempt `number`, when given). Rows still in flight
    were never acknowledged: they become unknown, on the attempt and on the run."""

    def close() -> None:
        with transaction.atomic():
            open_attempts = RunAttempt.objects.select_for_update().filter(
                run_id=run_id, finished_at=None
            )
            if number is not None:
                open_attempts = open_attempts.filter(number=number)
            for attempt in open_attempts:
                lost = attempt.rows_in_flight
                RunAttempt.objects.filter(pk=attempt.pk).update(
                    outcome=outcome,
                    error=error,
                    finished_at=timezone.now(),
                    rows_in_flight=0,
                    rows_unknown=F("rows_unknown") + lost,
                )
                if lost:
                    PublicationRun.objects.filter(pk=run_id).update(
                        rows_unknown=F("rows_unknown") + lost
                    )

    patiently(close)


def in_flight(attempt: RunAttempt, rows: int) -> None:
    patiently(lambda: RunAttempt.objects.filter(pk=attempt.pk).update(rows_in_flight=rows))


def counted(rows: int, result: WriteResult | None = None, *, lost_tries: int = 0) -> dict:
    """The counter increments for one write of `rows` rows: what the portal acknowledged, and
    the rows of every try whose answer was lost."""
    result = result or WriteResult()
    unknown = rows * (result.lost_tries + lost_tries)
    values = (result.created, result.updated, result.deleted, unknown)
    return {name: F(name) + value for name, value in zip(COUNTS, values, strict=True)}


def attempt_count(attempt: RunAttempt, **changes) -> None:
    """Add a chunk's counts to the attempt; the chunk is no longer in flight."""
    patiently(lambda: RunAttempt.objects.filter(pk=attempt.pk).update(rows_in_flight=0, **changes))
