"""Thin Celery tasks of privacy: screens and aggregation jobs. The names are the queue's wire
contract, kept from before the apps split (ADR 0013)."""

from __future__ import annotations

from celery import shared_task

from privacy import aggregation, services


@shared_task(name="publishing.screen_publication", acks_late=True)
def screen_publication(screen_id: int) -> None:
    """Privacy-screen a publication's source; the screen row records progress and the report."""
    services.screen_execute(screen_id)


@shared_task(name="publishing.suppress_publication", acks_late=True)
def suppress_publication(job_id: int) -> None:
    """Aggregate and suppress a large source; the job row records progress and the preview."""
    aggregation.suppression_execute(job_id)


@shared_task(name="publishing.sweep_stuck_screens")
def sweep_stuck_screens() -> dict[str, list[int]]:
    """Beat, every five minutes: fail privacy screens and aggregation jobs stuck without
    progress past the bound (CTODP_SCREEN_STUCK_AFTER)."""
    return {
        "screens": services.screens_sweep(),
        "aggregations": aggregation.suppression_jobs_sweep(),
    }
