"""Thin tasks: the daily expiry pass (ADR 0026)."""

from celery import shared_task

from sharing import reminders


@shared_task(name="sharing.agreement_expiry")
def agreement_expiry() -> dict[str, int]:
    return {
        "reminders": reminders.send_expiry_reminders(),
        "expired": reminders.mark_expired(),
    }
