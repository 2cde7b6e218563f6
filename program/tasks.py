"""Thin Celery tasks of the program app."""

from __future__ import annotations

from celery import shared_task

from program import reminders


@shared_task(name="program.send_reminders")
def send_reminders() -> int:
    """Beat, hourly: e-mail every reminder that is due and not sent yet."""
    return reminders.send_due_reminders()
