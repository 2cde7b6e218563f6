"""Reminders before an agreement ends (ADR 0026): CTODP_SHARING_REMINDER_DAYS days before (60
and 30 by default), to the current ADO of each party agency. Each (agreement, lead time, end
date) is sent once: the ExpiryReminder row is written in the same transaction as the send is
decided, under a unique constraint, so a second run the same day (or two workers) sends nothing.

Sent with Django's mail through `send_expiry_notice`, text and HTML templates, so the shared
notice mechanism (branch `notices`) can take it over in one place.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from sharing.models import Agreement, AgreementStatus, ExpiryReminder


def _recipients(agreement: Agreement) -> list[str]:
    emails = {
        ado.user.email
        for agency in agreement.parties.all()
        if (ado := agency.current_ado()) and ado.user.email
    }
    return sorted(emails)


def send_expiry_notice(agreement: Agreement, days_left: int, recipients: list[str]) -> None:
    context = {
        "agreement": agreement,
        "days_left": days_left,
        "url": f"{settings.CTODP_PUBLIC_BASE_URL.rstrip('/')}"
        f"{reverse('sharing:detail', args=[agreement.pk])}",
    }
    message = EmailMultiAlternatives(
        subject=f"Data sharing agreement ends in {days_left} days: {agreement.title}",
        body=render_to_string("sharing/email/expiry.txt", context),
        to=recipients,
    )
    message.attach_alternative(render_to_string("sharing/email/expiry.html", context), "text/html")
    message.send()


def _due_lead(agreement: Agreement, today: datetime.date) -> int | None:
    """The shortest lead time already reached for this agreement, if any."""
    days_left = (agreement.ends_on - today).days
    reached = [d for d in settings.CTODP_SHARING_REMINDER_DAYS if 0 <= days_left <= d]
    return min(reached) if reached else None


def send_expiry_reminders(today: datetime.date | None = None) -> int:
    """Send what is due; returns the number of e-mails sent. Only the nearest lead time is sent
    when several are reached at once (a late first run sends the 30-day notice, not both)."""
    today = today or timezone.localdate()
    longest = max(settings.CTODP_SHARING_REMINDER_DAYS, default=0)
    candidates = Agreement.objects.in_force(today).filter(
        ends_on__lte=today + datetime.timedelta(days=longest)
    )
    sent = 0
    for agreement in candidates.prefetch_related("parties"):
        lead = _due_lead(agreement, today)
        if lead is None:
            continue
        recipients = _recipients(agreement)
        try:
            with transaction.atomic():
                ExpiryReminder.objects.create(
                    agreement=agreement,
                    days_before=lead,
                    ends_on=agreement.ends_on,
                    recipients="\n".join(recipients),
                )
                if recipients:
                    send_expiry_notice(agreement, (agreement.ends_on - today).days, recipients)
        except IntegrityError:
            continue  # already sent for this lead time and end date
        sent += bool(recipients)
    return sent


def mark_expired(today: datetime.date | None = None) -> int:
    """Agreements in force whose end date passed become expired (history keeps the change)."""
    today = today or timezone.localdate()
    count = 0
    for agreement in Agreement.objects.filter(status=AgreementStatus.IN_FORCE, ends_on__lt=today):
        agreement.status = AgreementStatus.EXPIRED
        agreement.save(update_fields=["status", "updated_at"])
        count += 1
    return count
