"""E-mail about plan decisions: sent after the transaction commits, never for a rolled-back one."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction

from access_plans.models import AccessPlan
from agencies.models import StaffGroup


def _absolute(plan: AccessPlan) -> str:
    return f"{settings.CTODP_PUBLIC_BASE_URL.rstrip('/')}{plan.get_absolute_url()}"


def _send_later(subject: str, body: str, recipients: list[str]) -> None:
    recipients = sorted({address for address in recipients if address})
    if recipients:
        transaction.on_commit(
            lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        )


def notify_submitted(plan: AccessPlan) -> None:
    """To every active member of the CDO group."""
    cdo = User.objects.filter(is_active=True, groups__name=StaffGroup.CDO.value)
    _send_later(
        f"Access plan submitted: {plan.agency.name} {plan.year} (version {plan.version})",
        f"{plan.agency.name} submitted version {plan.version} of its {plan.year} open data "
        f"access plan for review.\n\n{_absolute(plan)}\n",
        list(cdo.values_list("email", flat=True)),
    )


def notify_decision(plan: AccessPlan) -> None:
    """To the agency's current ADO."""
    designation = plan.agency.current_ado()
    if designation is None:
        return
    word = plan.get_status_display().lower()
    _send_later(
        f"Access plan {word}: {plan.agency.name} {plan.year}",
        f"The CDO's decision on version {plan.version} of the {plan.year} access plan: {word}."
        f"\n\n{plan.review_comment}\n\n{_absolute(plan)}\n",
        [designation.user.email],
    )
