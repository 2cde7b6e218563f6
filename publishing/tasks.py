"""Thin Celery tasks: take ids, call a service, own the retries."""

from __future__ import annotations

import logging

from celery import shared_task

from publishing import services

logger = logging.getLogger(__name__)


@shared_task(name="publishing.execute_run", bind=True, acks_late=True, max_retries=None)
def execute_run(self, run_id: int) -> None:
    """Push one run. A transient portal failure requeues the run; the retry claims it again."""
    try:
        services.run_execute(run_id)
    except services.RunRetry as retry:
        if self.request.is_eager:
            # Eager (tests, CTODP_TASKS_EAGER): no broker to come back through, and Celery's
            # eager retry would raise into the caller; try again now (bounded by the attempts).
            return execute_run(run_id)
        raise self.retry(countdown=retry.delay) from None


@shared_task(name="publishing.sweep_stuck_runs")
def sweep_stuck_runs() -> list[int]:
    """Beat, every five minutes: requeue runs stuck in queued or running past the timeout."""
    return services.runs_sweep()


@shared_task(name="publishing.screen_publication", acks_late=True)
def screen_publication(screen_id: int) -> None:
    """Privacy-screen a publication's source; the screen row records progress and the report."""
    from publishing import privacy_services

    privacy_services.screen_execute(screen_id)


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
