"""Thin Celery tasks: take ids, call a service, own the retries."""

from __future__ import annotations

import logging

from celery import shared_task

from publishing import services

logger = logging.getLogger(__name__)


@shared_task(name="publishing.execute_run", bind=True, acks_late=True)
def execute_run(self, run_id: int) -> None:
    """Push one run. A transient portal failure requeues the run; it is sent again after the
    delay through the outbox, so a broker outage at that moment leaves it to the sweeper
    (Celery's own retry would drop it: a retry it cannot publish rejects the message)."""
    try:
        services.run_execute(run_id)
    except services.RunRetry as retry:
        if self.request.is_eager:
            # Eager (tests, CTODP_TASKS_EAGER): no broker to come back through; try again now
            # (bounded by the attempts).
            return execute_run(run_id)
        services.run_enqueue(run_id, countdown=retry.delay)


@shared_task(name="publishing.sweep_stuck_runs")
def sweep_stuck_runs() -> list[int]:
    """Beat, every minute: send queued runs the task queue never took, requeue runs stuck in
    queued or running past the timeout (a dead worker, a lost message)."""
    return services.runs_sweep()


@shared_task(name="publishing.run_due_schedules")
def run_due_schedules() -> list[int]:
    """Beat, every minute: start the runs whose schedule is due (ADR 0008). Returns run ids."""
    from publishing import schedule_services

    fired = schedule_services.schedules_run_due()
    return [outcome.run_id for outcome in fired if outcome.run_id]


@shared_task(name="publishing.screen_publication", acks_late=True)
def screen_publication(screen_id: int) -> None:
    """Privacy-screen a publication's source; the screen row records progress and the report."""
    from publishing import privacy_services

    privacy_services.screen_execute(screen_id)


@shared_task(name="publishing.advance_retirement", acks_late=True)
def advance_retirement(retirement_id: int) -> str:
    """Post a retirement's notice, or restore its metadata; a failure waits for the beat."""
    from publishing import retirement_services

    return retirement_services.retirement_advance(retirement_id).status


@shared_task(name="publishing.retirements_tick")
def retirements_tick() -> list[int]:
    """Beat, hourly: make due retirements private, retry failed steps and pending cancels."""
    from publishing import retirement_services

    return retirement_services.retirements_tick()


@shared_task(name="publishing.sweep_stuck_screens")
def sweep_stuck_screens() -> dict[str, list[int]]:
    """Beat, every five minutes: fail privacy screens and aggregation jobs stuck without
    progress past the bound (CTODP_SCREEN_STUCK_AFTER)."""
    from publishing import privacy_services, suppression_services

    return {
        "screens": privacy_services.screens_sweep(),
        "aggregations": suppression_services.suppression_jobs_sweep(),
    }


@shared_task(name="publishing.suppress_publication", acks_late=True)
def suppress_publication(job_id: int) -> None:
    """Aggregate and suppress a large source; the job row records progress and the preview."""
    from publishing import suppression_services

    suppression_services.suppression_execute(job_id)


@shared_task(name="publishing.sync_portal")
def sync_portal() -> int | None:
    """Beat, hourly: read the portal's catalog (ADR 0009). After a portal failure the next hour
    tries again; the failed sync record says why."""
    from publishing import sync_services
    from publishing.portal import PortalError

    try:
        return sync_services.portal_sync(trigger="beat").pk
    except PortalError:
        logger.warning("Portal sync failed; the next beat tries again", exc_info=True)
        return None
