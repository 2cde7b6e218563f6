"""Publication schedules (ADR 0008): set, pause, resume, suggest, and the beat task's work.

A scheduled run is started by `services.run_start`, the service behind the "publish" button, so
its checks, ownership, claims and retries are those of every run; it is only marked `scheduled`.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from inventories.choices import UpdateFrequency
from publishing import extensions, services
from publishing.models import Publication, PublicationSchedule, RunTrigger, ScheduleKind, Weekday
from publishing.schedules import times as schedule_times
from publishing.schedules.times import ScheduleError

logger = logging.getLogger(__name__)

BATCH = 200  # schedules fired per beat tick at most; the rest wait a minute


# --- the suggestion from the declared update frequency ---------------------------------------


@dataclass(frozen=True)
class Suggestion:
    automate: bool
    reason: str
    initial: dict = field(default_factory=dict)


HANDBOOK = "the Handbook asks to automate anything updated more often than quarterly"
DAILY = {"kind": ScheduleKind.DAILY}
WEEKLY = {"kind": ScheduleKind.WEEKLY}
MONTHLY = {"kind": ScheduleKind.MONTHLY}
WEEKDAYS = {"kind": ScheduleKind.CRON, "cron": "0 6 * * 1-5"}
SUGGESTED = {
    UpdateFrequency.DAILY: ("a daily run", DAILY),
    UpdateFrequency.WEEKDAY: ("a run every weekday", WEEKDAYS),
    UpdateFrequency.WEEKLY: ("a weekly run", WEEKLY),
    UpdateFrequency.BIWEEKLY: ("a weekly run (within its two weeks)", WEEKLY),
    UpdateFrequency.MONTHLY: ("a monthly run", MONTHLY),
    UpdateFrequency.BIMONTHLY: ("a monthly run (within its two months)", MONTHLY),
}  # fmt: skip
NOT_REQUIRED = {UpdateFrequency.QUARTERLY, UpdateFrequency.BIANNUALLY, UpdateFrequency.ANNUALLY}
DEFAULTS = {
    "time_of_day": datetime.time(6, 0),
    "weekday": Weekday.MONDAY,
    "day_of_month": 1,
}


def schedule_suggestion(publication: Publication) -> Suggestion:
    """What the dataset's declared update frequency (newest inventory year) calls for."""
    frequency = publication.current_dataset().update_frequency
    declared = f"The dataset is updated {frequency.lower()}" if frequency else ""
    if frequency in SUGGESTED:
        what, initial = SUGGESTED[frequency]
        reason = f"{declared}, and {HANDBOOK}: {what} is suggested."
        return Suggestion(True, reason, {**DEFAULTS, **initial})
    if frequency in NOT_REQUIRED:
        reason = (
            f"{declared}: the Handbook does not require automating quarterly or rarer updates. "
            "A schedule is optional."
        )
        return Suggestion(False, reason)
    if frequency == UpdateFrequency.HISTORICAL:
        return Suggestion(False, "The dataset is not updated (historical only): no schedule.")
    return Suggestion(
        False,
        "The dataset declares no regular update frequency in its inventory; a schedule is "
        "optional. Declare one there to get a suggestion.",
    )


# --- setting, pausing, resuming --------------------------------------------------------------


def _checked(
    kind: str, weekday: int | None, day_of_month: int | None, cron: str, time_zone: str
) -> dict:
    errors: dict[str, str] = {}
    try:
        schedule_times.zone(time_zone)
    except ScheduleError as error:
        errors["time_zone"] = str(error)
    if kind == ScheduleKind.WEEKLY and weekday is None:
        errors["weekday"] = "A weekly schedule needs its day of the week."
    if kind == ScheduleKind.MONTHLY and not day_of_month:
        errors["day_of_month"] = "A monthly schedule needs its day of the month (1 to 31)."
    if kind == ScheduleKind.CRON:
        try:
            cron = schedule_times.check_cron(cron)
        except ScheduleError as error:
            errors["cron"] = str(error)
    if errors:
        raise ValidationError(errors)
    return {
        "weekday": weekday if kind == ScheduleKind.WEEKLY else None,
        "day_of_month": day_of_month if kind == ScheduleKind.MONTHLY else None,
        "cron": cron if kind == ScheduleKind.CRON else "",
    }


def schedule_set(
    *,
    publication: Publication,
    acting_user: User,
    kind: str,
    time_of_day: datetime.time = DEFAULTS["time_of_day"],
    weekday: int | None = None,
    day_of_month: int | None = None,
    cron: str = "",
    time_zone: str = "America/New_York",
) -> PublicationSchedule:
    """Create or change the publication's schedule; its next run is computed from now."""
    if publication.is_external:
        raise ValidationError("An external-link publication has no rows to refresh on a schedule.")
    if kind not in ScheduleKind.values:
        raise ValidationError({"kind": "Choose daily, weekly, monthly or a cron expression."})
    details = _checked(kind, weekday, day_of_month, cron.strip(), time_zone)
    schedule = PublicationSchedule.objects.filter(publication=publication).first()
    schedule = schedule or PublicationSchedule(publication=publication)
    schedule.kind, schedule.time_zone = kind, time_zone
    schedule.time_of_day = time_of_day.replace(second=0, microsecond=0)
    for name, value in details.items():
        setattr(schedule, name, value)
    schedule.updated_by = acting_user
    if not schedule.is_paused:
        schedule.next_run_at = schedule.next_after(timezone.now())
    schedule._history_user = acting_user
    schedule.save()
    return schedule


def schedule_pause(*, schedule: PublicationSchedule, acting_user: User) -> PublicationSchedule:
    if schedule.is_paused:
        raise ValidationError("The schedule is already paused.")
    schedule.paused_at, schedule.paused_by = timezone.now(), acting_user
    schedule.next_run_at = None
    schedule._history_user = acting_user
    schedule.save(update_fields=["paused_at", "paused_by", "next_run_at", "updated_at"])
    return schedule


def schedule_resume(*, schedule: PublicationSchedule, acting_user: User) -> PublicationSchedule:
    """Resume from now: the runs missed while paused are not made up (ADR 0008)."""
    if not schedule.is_paused:
        raise ValidationError("The schedule is not paused.")
    schedule.paused_at, schedule.paused_by = None, None
    schedule.next_run_at = schedule.next_after(timezone.now())
    schedule._history_user = acting_user
    schedule.save(update_fields=["paused_at", "paused_by", "next_run_at", "updated_at"])
    return schedule


# --- the beat task's work --------------------------------------------------------------------


def run_blocker(publication: Publication, today: datetime.date) -> str:
    """Why the publication cannot run on its schedule now ("" if it can); run_start checks the
    rest (source, confirmed columns, a run already queued or running)."""
    if publication.is_external:
        return "An external-link publication has no rows to refresh."
    return extensions.push_blocked(publication)


@dataclass
class Fired:
    schedule_id: int
    run_id: int | None = None
    skipped: str = ""


def schedules_run_due(now: datetime.datetime | None = None) -> list[Fired]:
    """Fire every schedule that is due, each in its own transaction. Run by beat every minute."""
    now = now or timezone.now()
    fired: list[Fired] = []
    for _ in range(BATCH):
        with transaction.atomic():
            # skip_locked: a second beat tick (or a second beat) passes over what this one holds.
            schedule = (
                PublicationSchedule.objects.due(now)
                .select_for_update(skip_locked=True)
                .order_by("next_run_at", "pk")
                .first()
            )
            if schedule is None:
                break
            outcome = schedule_fire(schedule, now)
        if outcome is not None:
            fired.append(outcome)
    return fired


def schedule_fire(schedule: PublicationSchedule, now: datetime.datetime) -> Fired | None:
    """Claim the due schedule by moving its next run on (a conditional update, so two ticks
    never both fire it), then start a run or record why not. After downtime the slots missed
    are not run one by one: the next run is the first slot after now."""
    try:
        following, problem = schedule.next_after(now), ""
    except ScheduleError as error:  # e.g. a time zone the server's database no longer knows
        following, problem = None, f"The schedule cannot be computed: {error}"
    claimed = PublicationSchedule.objects.filter(
        pk=schedule.pk, next_run_at=schedule.next_run_at, paused_at__isnull=True
    ).update(next_run_at=following)
    if claimed != 1:
        return None  # another tick fired it, or it was paused or changed meanwhile
    publication = Publication.objects.select_related("dataset", "agency").get(
        pk=schedule.publication_id
    )
    reason = problem or run_blocker(publication, timezone.localdate(now))
    if not reason:
        try:
            run = services.run_start(
                publication=publication, acting_user=None, trigger=RunTrigger.SCHEDULED
            )
        except ValidationError as error:
            reason = " ".join(error.messages)
        else:
            PublicationSchedule.objects.filter(pk=schedule.pk).update(
                last_run=run, last_skipped_at=None, last_skip_reason=""
            )
            return Fired(schedule.pk, run_id=run.pk)
    logger.info("Scheduled run of publication %s skipped: %s", publication.pk, reason)
    PublicationSchedule.objects.filter(pk=schedule.pk).update(
        last_skipped_at=now, last_skip_reason=reason
    )
    return Fired(schedule.pk, skipped=reason)
