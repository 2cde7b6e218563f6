"""Next-run computation per kind, in New York and elsewhere, across both daylight-saving changes.

2026 in America/New_York: clocks skip 02:00–03:00 on Sunday March 8 (EST −5 → EDT −4) and repeat
01:00–02:00 on Sunday November 1 (EDT −4 → EST −5).
"""

import datetime

import pytest

from publishing.schedules.times import (
    ScheduleError,
    check_cron,
    next_cron,
    next_daily,
    next_monthly,
    next_weekly,
    run_day_of_month,
    until_in_words,
    zone,
)

UTC = datetime.UTC
NEW_YORK = zone("America/New_York")


def utc(*parts) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=UTC)


def series(step, start: datetime.datetime, count: int) -> list[datetime.datetime]:
    moments, moment = [], start
    for _ in range(count):
        moment = step(moment)
        moments.append(moment)
    return moments


def local(moment: datetime.datetime, tz=NEW_YORK) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")


def test_daily_runs_at_the_wall_clock_time_on_both_sides_of_the_march_change():
    runs = series(lambda m: next_daily(m, NEW_YORK, datetime.time(6, 0)), utc(2026, 3, 6, 12), 4)

    assert [local(m) for m in runs] == [
        "2026-03-07 06:00 EST",
        "2026-03-08 06:00 EDT",
        "2026-03-09 06:00 EDT",
        "2026-03-10 06:00 EDT",
    ]
    assert runs[1] - runs[0] == datetime.timedelta(hours=23)  # the short day


def test_a_daily_time_the_clocks_skip_runs_an_hour_later_that_day_only():
    runs = series(lambda m: next_daily(m, NEW_YORK, datetime.time(2, 30)), utc(2026, 3, 7), 3)

    assert [local(m) for m in runs] == [
        "2026-03-07 02:30 EST",
        "2026-03-08 03:30 EDT",
        "2026-03-09 02:30 EDT",
    ]


def test_a_daily_time_the_clocks_repeat_runs_once_at_its_first_occurrence():
    runs = series(lambda m: next_daily(m, NEW_YORK, datetime.time(1, 30)), utc(2026, 10, 31), 3)

    assert [local(m) for m in runs] == [
        "2026-10-31 01:30 EDT",
        "2026-11-01 01:30 EDT",
        "2026-11-02 01:30 EST",
    ]
    # Asked again from inside the repeated hour (01:40 EST), it does not run a second time.
    assert local(next_daily(utc(2026, 11, 1, 6, 40), NEW_YORK, datetime.time(1, 30))) == (
        "2026-11-02 01:30 EST"
    )


def test_daily_is_strictly_after_the_moment_given():
    six = utc(2026, 5, 4, 10)  # 06:00 EDT
    assert next_daily(six, NEW_YORK, datetime.time(6, 0)) == utc(2026, 5, 5, 10)
    assert next_daily(six - datetime.timedelta(seconds=1), NEW_YORK, datetime.time(6, 0)) == six


def test_weekly_runs_on_its_weekday_across_the_november_change():
    monday = 0
    runs = series(
        lambda m: next_weekly(m, NEW_YORK, datetime.time(7, 15), monday), utc(2026, 10, 21), 3
    )

    assert [local(m) for m in runs] == [
        "2026-10-26 07:15 EDT",
        "2026-11-02 07:15 EST",
        "2026-11-09 07:15 EST",
    ]
    assert runs[1] - runs[0] == datetime.timedelta(days=7, hours=1)


def test_monthly_on_the_31st_runs_on_the_last_day_of_shorter_months():
    runs = series(
        lambda m: next_monthly(m, NEW_YORK, datetime.time(6, 0), 31), utc(2027, 12, 15), 5
    )

    assert [local(m) for m in runs] == [
        "2027-12-31 06:00 EST",
        "2028-01-31 06:00 EST",
        "2028-02-29 06:00 EST",  # a leap year
        "2028-03-31 06:00 EDT",
        "2028-04-30 06:00 EDT",
    ]
    assert run_day_of_month(2027, 2, 30) == 28


def test_cron_weekdays_in_another_zone():
    la = zone("America/Los_Angeles")
    friday_evening = utc(2026, 7, 10, 23)
    runs = series(lambda m: next_cron(m, la, "30 6 * * 1-5"), friday_evening, 2)

    assert [local(m, la) for m in runs] == ["2026-07-13 06:30 PDT", "2026-07-14 06:30 PDT"]


def test_an_hourly_cron_keeps_an_hour_between_runs_through_the_repeated_hour():
    runs = series(lambda m: next_cron(m, NEW_YORK, "0 * * * *"), utc(2026, 11, 1, 4, 30), 4)

    assert [local(m) for m in runs] == [
        "2026-11-01 01:00 EDT",
        "2026-11-01 01:00 EST",
        "2026-11-01 02:00 EST",
        "2026-11-01 03:00 EST",
    ]


def test_a_cron_at_a_fixed_hour_runs_once_in_the_repeated_hour_and_once_in_the_skipped_one():
    autumn = series(lambda m: next_cron(m, NEW_YORK, "30 1 * * *"), utc(2026, 10, 31, 12), 2)
    spring = series(lambda m: next_cron(m, NEW_YORK, "30 2 * * *"), utc(2026, 3, 7, 12), 2)

    assert [local(m) for m in autumn] == ["2026-11-01 01:30 EDT", "2026-11-02 01:30 EST"]
    assert [local(m) for m in spring] == ["2026-03-08 03:30 EDT", "2026-03-09 02:30 EDT"]


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("0 6 * *", "five fields"),
        ("0 6 * * * *", "this one has 6"),
        ("0 25 * * *", "not a valid cron expression"),
        ("*/5 * * * *", "at most once an hour"),
        ("0 6 30 2 *", "never runs"),
    ],
)
def test_bad_cron_expressions_are_refused_with_a_reason(expression, message):
    with pytest.raises(ScheduleError, match=message):
        check_cron(expression)


def test_a_cron_expression_is_normalised():
    assert check_cron("  30  6 * *   1-5 ") == "30 6 * * 1-5"


def test_unknown_time_zones_are_refused():
    with pytest.raises(ScheduleError, match="not a time zone"):
        zone("Mars/Olympus_Mons")
    with pytest.raises(ScheduleError):
        zone("../etc/passwd")


def test_the_time_until_the_next_run_in_words():
    now = utc(2026, 5, 4, 12)
    hours = datetime.timedelta(hours=1)
    assert until_in_words(now + 3 * hours, now) == "in 3 hours"
    assert until_in_words(now + 2 * hours + datetime.timedelta(minutes=50), now) == "in 3 hours"
    assert until_in_words(now + datetime.timedelta(minutes=1), now) == "in 1 minute"
    assert until_in_words(now + 30 * hours, now) == "in 30 hours"
    assert until_in_words(now + 72 * hours, now) == "in 3 days"
    assert until_in_words(now - hours, now) == "due now"
