"""Notices: one e-mail per workflow step, to the people it concerns (ADR 0019).

Any app sends one with

    notices.send("inventory_submitted", to=notices.cdo() + notices.dapa(),
                 agency=inventory.agency, link=inventory.get_absolute_url(),
                 context={"inventory": inventory})

`templates/notices/<kind>.txt` is the text part (its first line is the subject) and
`templates/notices/<kind>.html` the HTML part (extending `notices/base.html`). Each gets the
context plus `recipient`, `agency`, `link` (absolute) and `reminders_url`.

A Notice row per person is written in the caller's transaction: a step that rolls back leaves
none and sends nothing. The mail goes out once the transaction commits; a failed send is logged
and recorded on the row (status "failed"), never raised into the step. With `key`, a person gets
a notice of that key at most once (reminders that must not repeat).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from agencies.models import Agency, Membership, Notice, NoticeStatus, Role, StaffGroup
from agencies.permissions import is_program_staff

logger = logging.getLogger(__name__)

# Labels for the notices log's filter; a kind missing here still sends (its name is shown).
KINDS: dict[str, str] = {
    "inventory_submitted": "Inventory submitted",
    "inventory_accepted": "Inventory accepted",
    "inventory_returned": "Inventory returned",
    "plan_submitted": "Access plan submitted",
    "plan_decided": "Access plan decided",
    "plan_recommended": "Access plan recommendation (DAPA)",
    "exception_requested": "Privacy exception requested",
    "exception_approved": "Privacy exception approved",
    "publication_created": "Publication created",
    "publication_public": "Publication made public",
    "run_failed": "Publication run failed",
    "ado_designated": "ADO designated",
    "retirement_started": "Retirement started",
    "retirement_cancelled": "Retirement cancelled",
    "retirement_done": "Retired asset made private",
}


def kind_label(kind: str) -> str:
    return KINDS.get(kind, kind.replace("_", " ").capitalize())


def absolute(path: str) -> str:
    """This site's address for a path (links in e-mail must work outside the site)."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.CTODP_PUBLIC_BASE_URL.rstrip("/") + path


def visible_notices(user) -> QuerySet:
    """Program staff see every notice sent; anyone else only the notices sent to them."""
    if is_program_staff(user):
        return Notice.objects.all()
    return Notice.objects.filter(recipient_id=user.pk)


# --- Recipients ------------------------------------------------------------------------------


def staff(*groups: StaffGroup) -> list[User]:
    """Active members of the staff groups (the CDO, DAPA analysts, portal administrators)."""
    names = [group.value for group in groups]
    people = User.objects.filter(is_active=True, groups__name__in=names).distinct()
    return list(people.order_by("pk"))


def cdo() -> list[User]:
    return staff(StaffGroup.CDO)


def dapa() -> list[User]:
    return staff(StaffGroup.DAPA)


def members(agency: Agency | int, *roles: Role) -> list[User]:
    """The agency's current members in these roles (its ADO: `members(agency, Role.ADO)`)."""
    current = Membership.objects.current().filter(agency=agency, role__in=roles)
    return [membership.user for membership in current.select_related("user").order_by("pk")]


def ado(agency: Agency | int) -> list[User]:
    return members(agency, Role.ADO)


# --- Sending ---------------------------------------------------------------------------------


def _people(to: Iterable[User | None]) -> list[User]:
    seen: dict[int, User] = {}
    for user in to:
        if user is not None and user.is_active and user.email and user.pk not in seen:
            seen[user.pk] = user
    return list(seen.values())


def _render(kind: str, context: Mapping[str, Any]) -> tuple[str, str, str]:
    text = render_to_string(f"notices/{kind}.txt", context).strip()
    subject, _, body = text.partition("\n")
    html = render_to_string(f"notices/{kind}.html", context)
    return " ".join(subject.split())[:300], body.strip() + "\n", html


def send(
    kind: str,
    *,
    to: Iterable[User | None],
    context: Mapping[str, Any] | None = None,
    agency: Agency | None = None,
    link: str = "",
    key: str = "",
) -> list[Notice]:
    """Record a notice for each person (active, with an e-mail address) and send it on commit."""
    people = _people(to)
    if key:
        done = set(
            Notice.objects.filter(key=key, recipient__in=people).values_list("recipient", flat=True)
        )
        people = [user for user in people if user.pk not in done]
    if not people:
        return []
    url = absolute(link) if link else ""
    shared = {**(context or {}), "agency": agency, "link": url}
    shared["reminders_url"] = absolute("/reminders/notices/")
    rows = []
    for user in people:
        subject, body, html = _render(kind, {**shared, "recipient": user})
        rows.append(
            Notice(
                kind=kind,
                agency=agency,
                recipient=user,
                email=user.email,
                subject=subject,
                body=body,
                html=html,
                link=url,
                key=key,
            )
        )
    rows = Notice.objects.bulk_create(rows)
    ids = [row.pk for row in rows]
    transaction.on_commit(lambda: deliver(ids))
    return rows


def deliver(ids: list[int]) -> None:
    """Send queued notices; a failure is logged and recorded, never raised (the step is done)."""
    for notice in Notice.objects.filter(pk__in=ids, status=NoticeStatus.QUEUED):
        message = EmailMultiAlternatives(
            notice.subject, notice.body, settings.DEFAULT_FROM_EMAIL, [notice.email]
        )
        message.attach_alternative(notice.html, "text/html")
        try:
            message.send()
        except Exception as error:  # any backend failure: the workflow step stands
            logger.exception("Notice %s (%s) to %s not sent", notice.pk, notice.kind, notice.email)
            changes = {"status": NoticeStatus.FAILED, "error": f"{type(error).__name__}: {error}"}
        else:
            changes = {"status": NoticeStatus.SENT, "sent_at": timezone.now()}
        Notice.objects.filter(pk=notice.pk).update(**changes)
