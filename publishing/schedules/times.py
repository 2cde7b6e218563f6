"""When a publication schedule runs next: pure functions of the schedule's fields and a moment.

Times are wall-clock times in the schedule's IANA time zone; the answer is an aware UTC moment.
Across the daylight-saving changes (ADR 0008):
- a time the clocks skip in March (02:30 in New York) runs shifted by the skipped hour (03:30);
- a time the clocks repeat in November runs once, at its first occurrence, except in a cron
  expression whose hour field is `*`: that one runs every hour by the clock, repeated hour too.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterator
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from croniter import CroniterError, croniter

UTC = datetime.UTC
# Longer than any daylight-saving shift: how far around a moment cron candidates are examined.
SLACK = datetime.timedelta(hours=3)


class ScheduleError(ValueError):
    """A cron expression or time zone that cannot be used, with a message for the form."""


def zone(name: str) -> ZoneInfo:
    if name not in _zone_names():
        raise ScheduleError(f"“{name}” is not a time zone; use a name such as America/New_York.")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ScheduleError(f"“{name}” is not a time zone.") from error


def _zone_names() -> set[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = available_timezones()
    return _ZONES


_ZONES: set[str] | None = None


def check_cron(expression: str) -> str:
    """The expression, normalised, if it has five fields croniter accepts and runs at most
    once an hour (a run takes minutes; the beat looks every minute). Raises ScheduleError."""
    fields = expression.split()
    if len(fields) != 5:
        raise ScheduleError(
            "A cron expression has five fields: minute hour day-of-month month day-of-week "
            f"(for example “30 6 * * 1-5”); this one has {len(fields)}."
        )
    if not croniter.is_valid(" ".join(fields)):
        raise ScheduleError(f"“{expression}” is not a valid cron expression.")
    if not fields[0].isdigit() or not 0 <= int(fields[0]) <= 59:
        raise ScheduleError(
            "Give the minute as one number from 0 to 59: a publication runs at most once an hour."
        )
    normalised = " ".join(fields)
    next_cron(datetime.datetime.now(UTC), ZoneInfo("UTC"), normalised)  # raises if it never runs
    return normalised


def local_moment(day: datetime.date, at: datetime.time, tz: ZoneInfo) -> datetime.datetime:
    """The UTC moment of a wall-clock time (fold 0: the first of a repeated time, and a skipped
    time moved on by the skipped span, per PEP 495)."""
    return datetime.datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def _next_by_day(
    after: datetime.datetime, tz: ZoneInfo, at: datetime.time, matches
) -> datetime.datetime:
    """The first day (from the day before `after`, local) that `matches` whose run is later."""
    day = after.astimezone(tz).date() - datetime.timedelta(days=1)
    for _ in range(400):  # a monthly schedule matches within 31 days; 400 is only a guard
        candidate = matches(day)
        if candidate is not None:
            moment = local_moment(candidate, at, tz)
            if moment > after:
                return moment
        day += datetime.timedelta(days=1)
    raise ScheduleError("No run time found within a year.")


def next_daily(after: datetime.datetime, tz: ZoneInfo, at: datetime.time) -> datetime.datetime:
    return _next_by_day(after, tz, at, lambda day: day)


def next_weekly(
    after: datetime.datetime, tz: ZoneInfo, at: datetime.time, weekday: int
) -> datetime.datetime:
    return _next_by_day(after, tz, at, lambda day: day if day.weekday() == weekday else None)


def run_day_of_month(year: int, month: int, day_of_month: int) -> int:
    """The day of the month a monthly run falls on: the 31st is the last day of a short month."""
    return min(day_of_month, calendar.monthrange(year, month)[1])


def next_monthly(
    after: datetime.datetime, tz: ZoneInfo, at: datetime.time, day_of_month: int
) -> datetime.datetime:
    def matches(day: datetime.date) -> datetime.date | None:
        wanted = run_day_of_month(day.year, day.month, day_of_month)
        return day if day.day == wanted else None

    return _next_by_day(after, tz, at, matches)


def _cron_moments(naive: datetime.datetime, tz: ZoneInfo, both_folds: bool) -> Iterator:
    first = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    yield first
    second = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    if both_folds and second > first:
        yield second  # a repeated hour (November); in a skipped one (March) fold 1 is earlier


def next_cron(after: datetime.datetime, tz: ZoneInfo, expression: str) -> datetime.datetime:
    """The earliest run after `after`. Candidates are wall-clock times from croniter, read from
    a little before `after` so that the second pass through a repeated hour is seen too."""
    hourly = expression.split()[1] == "*"
    start = (after - SLACK).astimezone(tz).replace(tzinfo=None)
    try:
        candidates = croniter(expression, start)
    except (CroniterError, ValueError) as error:
        raise ScheduleError(f"“{expression}” is not a valid cron expression.") from error
    best: datetime.datetime | None = None
    for _ in range(10_000):  # croniter skips ahead by itself; this is only a guard
        try:
            naive = candidates.get_next(datetime.datetime)
        except CroniterError as error:  # e.g. 30 February: croniter finds no such day
            raise ScheduleError(f"“{expression}” never runs.") from error
        for moment in _cron_moments(naive, tz, hourly):
            if moment > after and (best is None or moment < best):
                best = moment
        if best is not None and local_moment(naive.date(), naive.time(), tz) > best + SLACK:
            return best
    if best is None:
        raise ScheduleError("No run time found.")
    return best


def describe_cron(expression: str) -> str:
    """“At 06:30 AM, Monday through Friday”; the expression itself if it cannot be described."""
    from cron_descriptor import get_description

    try:
        return get_description(expression)
    except Exception:  # a description is a courtesy; the expression is the truth
        return expression


def until_in_words(moment: datetime.datetime, now: datetime.datetime) -> str:
    """“in 3 hours”, rounded to the nearest unit; “due now” once the moment has come."""
    seconds = (moment - now).total_seconds()
    if seconds < 60:
        return "due now"
    for unit, size in (("day", 86_400), ("hour", 3_600), ("minute", 60)):
        if seconds >= size * (2 if unit == "day" else 1) or unit == "minute":
            count = round(seconds / size)
            return f"in {count} {unit}{'' if count == 1 else 's'}"
    return "due now"
