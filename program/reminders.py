"""Reminders by e-mail, sent by beat, once per condition and person.

Each condition has a key (kind, record, and what makes it a new occurrence: a plan's version,
a run's id, the last success a staleness follows); a ReminderSent row per person and key is
written in the same transaction as the send, so a reminder is never sent twice and a failed send
is tried again at the next beat.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from access_plans.choices import PlanStatus
from access_plans.models import AccessPlan
from agencies import notices
from agencies.models import Agency, Membership, Role, StaffGroup
from inventories.choices import InventoryStatus
from inventories.models import Inventory, default_due_date
from program.freshness import PublicationState, publication_states
from program.models import (
    OPTIONAL_KINDS,
    DataRequest,
    ReminderKind,
    ReminderOptOut,
    ReminderSent,
)
from publishing.models import Publication, RunStatus, Visibility
from upkeep.models import RETIREMENT_BLOCKING, Retirement

logger = logging.getLogger(__name__)

RETIREMENT_NOTICE_DAYS = 7


@dataclass(frozen=True)
class Condition:
    agency_id: int | None
    kind: str
    key: str
    subject: str
    body: str
    link: str = ""
    publishers_too: bool = False  # publishing conditions go to publishers as well as the ADO
    to_staff: str = ""  # "oversight" (CDO, DAPA) or "reviewers" (CDO, portal administrators)


def _url(path: str) -> str:
    return settings.CTODP_PUBLIC_BASE_URL.rstrip("/") + path


def _inventory_kind(days_left: int) -> str | None:
    if days_left < 0:
        return ReminderKind.INVENTORY_OVERDUE
    if days_left <= 7:
        return ReminderKind.INVENTORY_DUE_7
    if days_left <= 30:
        return ReminderKind.INVENTORY_DUE_30
    return None


def inventory_conditions(today: datetime.date) -> Iterator[Condition]:
    unfiled = Inventory.objects.exclude(
        status__in=[InventoryStatus.SUBMITTED, InventoryStatus.ACCEPTED]
    ).select_related("agency")
    for inventory in unfiled.filter(agency__in=Agency.objects.active()):
        kind = _inventory_kind((inventory.due_date - today).days)
        if kind is None:
            continue
        label = ReminderKind(kind).label
        yield Condition(
            inventory.agency_id,
            kind,
            f"{kind}:inventory:{inventory.pk}",
            f"{label}: {inventory}",
            f"The {inventory.year} inventory of {inventory.agency} is due on "
            f"{inventory.due_date:%B %-d, %Y} and has not been submitted.",
            _url(inventory.get_absolute_url()),
        )


def _inventory_year(today: datetime.date) -> int:
    """The year whose inventory is due next, or was due last if that was within 30 days."""
    last = default_due_date(today.year - 1)
    return today.year - 1 if (today - last).days <= 30 else today.year


def unstarted_conditions(today: datetime.date) -> Iterator[Condition]:
    """Active agencies with an ADO and no inventory row for the year at all."""
    year = _inventory_year(today)
    due = default_due_date(year)
    kind = _inventory_kind((due - today).days)
    if kind is None:
        return
    label = ReminderKind(kind).label
    agencies = (
        Agency.objects.active()
        .exclude(inventories__year=year)
        .exclude(pk__in=Agency.objects.without_ado())
    )
    for agency in agencies:
        yield Condition(
            agency.pk,
            kind,
            f"{kind}:agency:{agency.pk}:{year}",
            f"{label}: {agency} — {year} inventory (not started)",
            f"The {year} inventory of {agency} is due on {due:%B %-d, %Y} and has not been "
            "started. Start it (the latest inventory's datasets are carried forward), then "
            "submit it with an attestation.",
            _url(reverse("inventories:list")),
        )


def _agencies(count: int) -> str:
    return "1 agency has" if count == 1 else f"{count} agencies have"


def no_ado_conditions(today: datetime.date) -> Iterator[Condition]:
    """One message to the CDO and DAPA listing the agencies no one would be reminded at."""
    year = _inventory_year(today)
    due = default_due_date(year)
    kind = _inventory_kind((due - today).days)
    if kind is None:
        return
    filed = Inventory.objects.filter(
        year=year, status__in=[InventoryStatus.SUBMITTED, InventoryStatus.ACCEPTED]
    )
    agencies = list(Agency.objects.active().without_ado().exclude(pk__in=filed.values("agency_id")))
    if not agencies:
        return
    lines = "\n".join(f"- {agency} has no ADO" for agency in agencies)
    yield Condition(
        None,
        kind,
        f"{kind}:no-ado:{year}",
        f"{ReminderKind(kind).label}: {_agencies(len(agencies))} no ADO ({year} inventory)",
        f"The {year} inventory is due on {due:%B %-d, %Y}. These agencies have not filed it "
        f"and have no Agency Data Officer, so no one there is reminded:\n\n{lines}\n\n"
        "Designate an ADO for each (agency page, or the admin).",
        _url(reverse("program:dashboard")),
        to_staff="oversight",
    )


def request_conditions(today: datetime.date) -> Iterator[Condition]:
    """Each day, per agency, the public data requests past their due date: to the ADO."""
    by_agency: dict[int, list[DataRequest]] = defaultdict(list)
    overdue = DataRequest.objects.overdue(today).select_related("agency").order_by("due_date", "pk")
    for request in overdue:
        by_agency[request.agency_id].append(request)
    kind = ReminderKind.REQUEST_OVERDUE
    for agency_id, requests in by_agency.items():
        agency = requests[0].agency
        lines = "\n".join(
            f"- received {r.received_on:%B %-d, %Y}, due {r.due_date:%B %-d, %Y}: {r.summary}"
            for r in requests
        )
        yield Condition(
            agency_id,
            kind,
            f"{kind}:agency:{agency_id}:{today:%Y%m%d}",
            f"Data requests overdue: {agency} ({len(requests)})",
            f"{len(requests)} data request{'s' if len(requests) > 1 else ''} to {agency} "
            f"{'are' if len(requests) > 1 else 'is'} past the due date and still open:\n\n"
            f"{lines}\n\nAnswer them and record the response in the requests log.",
            _url(reverse("program:requests", args=[agency.slug])),
        )


def plan_conditions() -> Iterator[Condition]:
    returned = AccessPlan.objects.filter(status=PlanStatus.CHANGES_REQUESTED)
    for plan in returned.select_related("agency"):
        yield Condition(
            plan.agency_id,
            ReminderKind.PLAN_CHANGES,
            f"{ReminderKind.PLAN_CHANGES}:plan:{plan.pk}:v{plan.version}",
            f"Changes requested: {plan}",
            f"The Chief Data Officer returned the plan with comments:\n\n{plan.review_comment}",
            _url(plan.get_absolute_url()),
        )


def _failed(state: PublicationState, link: str) -> Condition:
    kind = ReminderKind.PUBLICATION_FAILED
    text = f"The last run of {state.title} failed. See the run for the reason."
    subject = f"Publication failed: {state.title}"
    return Condition(
        state.agency_id, kind, f"{kind}:run:{state.last_run_id}", subject, text, link, True
    )


def _staleness(state: PublicationState, link: str, now: datetime.datetime) -> Condition:
    """Once per last update: a warning while it is going stale, or the news that it is."""
    kind = ReminderKind.DATASET_STALE
    key = f"{kind}:publication:{state.pk}:{state.last_updated:%Y%m%d%H%M%S}"
    stale = state.is_stale(now)
    subject = f"Dataset {'is stale' if stale else 'going stale'}: {state.title}"
    text = (
        f"{state.title} is updated {state.update_frequency.lower()}; it was last refreshed "
        f"on {state.last_updated:%B %-d, %Y}, so the next refresh "
        f"{'was' if stale else 'is'} due by {state.overdue_since:%B %-d, %Y}."
    )
    return Condition(state.agency_id, kind, key, subject, text, link, True)


def publication_conditions(now: datetime.datetime) -> Iterator[Condition]:
    for state in publication_states():
        link = _url(f"/publishing/{state.pk}/")
        if state.failing:
            yield _failed(state, link)
        elif state.is_going_stale(now):
            yield _staleness(state, link, now)


def ready_conditions() -> Iterator[Condition]:
    """Private publications whose last run succeeded: the reviewers' turn (Handbook step 5).
    Once per run, so a new successful run of a still private publication reminds again."""
    waiting = (
        Publication.objects.filter(
            visibility=Visibility.PRIVATE, last_run__status=RunStatus.SUCCEEDED
        )
        .exclude(retirements__status__in=RETIREMENT_BLOCKING)
        .select_related("dataset", "agency")
    )
    kind = ReminderKind.PUBLICATION_READY
    for publication in waiting:
        title = publication.dataset.title
        yield Condition(
            publication.agency_id,
            kind,
            f"{kind}:run:{publication.last_run_id}",
            f"Ready to be made public: {title} ({publication.agency})",
            f"{publication.agency} published {title} privately and its last run succeeded. "
            "It waits for the CDO or a portal administrator to make it public; its page lists "
            "what the make-public gate still needs (privacy screen, access plan).",
            _url(publication.get_absolute_url()),
            to_staff="reviewers",
        )


def retirement_conditions(today: datetime.date) -> Iterator[Condition]:
    """Retirements whose asset goes private within a week (ADR 0010): the last call to cancel."""
    horizon = today + datetime.timedelta(days=RETIREMENT_NOTICE_DAYS)
    retirements = (
        Retirement.objects.in_progress()
        .filter(immediate=False, due_at__date__lte=horizon)
        .select_related("publication__dataset")
    )
    for retirement in retirements:
        due = timezone.localdate(retirement.due_at)
        title = retirement.publication.dataset.title
        kind = ReminderKind.RETIREMENT_DEADLINE
        yield Condition(
            retirement.agency_id,
            kind,
            f"{kind}:retirement:{retirement.pk}:{due:%Y%m%d}",
            f"Retirement deadline {due}: {title}",
            f"{title} will be made private on the portal on {due:%B %-d, %Y}, at the end of its "
            "30-day retirement notice. Cancel the retirement before then if it should stay public.",
            _url(retirement.get_absolute_url()),
            True,
        )


def current_conditions(now: datetime.datetime) -> list[Condition]:
    today = timezone.localdate(now)
    return [
        *inventory_conditions(today),
        *unstarted_conditions(today),
        *no_ado_conditions(today),
        *request_conditions(today),
        *plan_conditions(),
        *publication_conditions(now),
        *ready_conditions(),
        *retirement_conditions(today),
    ]


def _recipients() -> dict[tuple[int | str, bool], list[User]]:
    """{(agency id, publishers too): people}: the ADO, and publishers for publishing matters;
    {(staff audience, False): program staff} for what staff act on (Condition.to_staff)."""
    people: dict[tuple[int | str, bool], list[User]] = defaultdict(list)
    people[("oversight", False)] = notices.staff(StaffGroup.CDO, StaffGroup.DAPA)
    people[("reviewers", False)] = notices.staff(StaffGroup.CDO, StaffGroup.PORTAL_ADMIN)
    members = Membership.objects.current().filter(role__in=[Role.ADO, Role.PUBLISHER])
    for member in members.select_related("user"):
        if member.role == Role.ADO:
            people[(member.agency_id, False)].append(member.user)
        people[(member.agency_id, True)].append(member.user)
    return people


def _send(user: User, condition: Condition) -> bool:
    body = f"{condition.body}\n\n{condition.link}\n\nYour reminders: {_url('/reminders/')}"
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                user=user,
                kind=condition.kind,
                condition=condition.key,
                subject=condition.subject,
                body=body,
                link=condition.link,
            )
            send_mail(condition.subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    except IntegrityError:  # another beat sent it first
        return False
    except OSError:  # the mail server refused or is down (SMTPException is an OSError)
        logger.exception("Reminder %s to %s not sent; it will be tried again", condition.key, user)
        return False
    return True


def send_due_reminders(now: datetime.datetime | None = None) -> int:
    """Send every reminder whose condition holds and that was not sent yet. Returns the count."""
    conditions = current_conditions(now or timezone.now())
    keys = [condition.key for condition in conditions]
    sent = set(ReminderSent.objects.filter(condition__in=keys).values_list("user_id", "condition"))
    opted_out = set(ReminderOptOut.objects.values_list("user_id", "kind"))
    people = _recipients()
    count = 0
    for condition in conditions:
        audience = condition.to_staff or condition.agency_id
        for user in people.get((audience, condition.publishers_too), []):
            if not user.email or (user.pk, condition.key) in sent:
                continue
            if condition.kind in OPTIONAL_KINDS and (user.pk, condition.kind) in opted_out:
                continue
            if _send(user, condition):
                sent.add((user.pk, condition.key))
                count += 1
    return count
