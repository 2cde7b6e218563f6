"""Thin Celery tasks: take ids, call a service, own the retries.

Task names are the queue's wire contract and stay as they were before the apps split
(ADR 0013): every name starts with "publishing.", wherever its task now lives."""

from __future__ import annotations

from celery import shared_task

from publishing import builtin, services, source_checks
from publishing.schedules import services as schedule_services


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


@shared_task(name="publishing.check_source", acks_late=True)
def check_source(check_id: int) -> None:
    """Read a URL or SQL source's columns (ADR 0017); the check row records the outcome."""
    source_checks.check_execute(check_id)


@shared_task(name="publishing.sweep_stuck_runs")
def sweep_stuck_runs() -> list[int]:
    """Beat, every minute: send queued runs the task queue never took, requeue runs stuck in
    queued or running past the timeout (a dead worker, a lost message), and fail source checks
    stuck past CTODP_SCREEN_STUCK_AFTER. Returns the run ids sent."""
    source_checks.checks_sweep()
    return services.runs_sweep()


@shared_task(name="publishing.run_due_schedules")
def run_due_schedules() -> list[int]:
    """Beat, every minute: start the runs whose schedule is due (ADR 0008). Returns run ids."""
    fired = schedule_services.schedules_run_due()
    return [outcome.run_id for outcome in fired if outcome.run_id]


@shared_task(name="publishing.refresh_builtin")
def refresh_builtin(kind: str) -> list[int]:
    """The catalog changed (an inventory accepted, a retirement step): queue a run of each
    publication of that built-in source, unless one is queued already (ADR 0030)."""
    return builtin.builtin_refresh(kind)
