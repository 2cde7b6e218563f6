"""Schedules with a frozen clock: setting one, the beat task firing it once, skipping with a
reason, pausing and resuming, and the suggestion from the declared update frequency."""

import datetime
import threading
import time

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connections, transaction

from inventories.choices import UpdateFrequency
from publishing import services
from publishing.models import (
    Publication,
    PublicationRun,
    PublicationSchedule,
    RunStatus,
    RunTrigger,
    ScheduleKind,
)
from publishing.schedules import services as schedule_services
from publishing.tasks import run_due_schedules
from tests.publishing.helpers import ocme_dataset, ready_publication
from upkeep.models import Retirement, RetirementStatus

UTC = datetime.UTC


def at(*parts):
    """A frozen clock at a UTC moment."""
    return time_machine.travel(datetime.datetime(*parts, tzinfo=UTC), tick=False)


@pytest.fixture
def publication(agency_a, publisher_a):
    return ready_publication(ocme_dataset(agency_a), publisher_a)


@pytest.fixture
def daily(publication, publisher_a):
    """Daily at 06:00 New York time, set on Monday May 4, 2026 at 08:00 (04:00 EDT)."""
    with at(2026, 5, 4, 8):
        return schedule_services.schedule_set(
            publication=publication,
            acting_user=publisher_a,
            kind=ScheduleKind.DAILY,
            time_of_day=datetime.time(6, 0),
        )


def _scheduled_runs(publication) -> list[PublicationRun]:
    return list(publication.runs.filter(trigger=RunTrigger.SCHEDULED))


def test_setting_a_schedule_computes_its_next_run_and_keeps_history(daily, publisher_a):
    assert daily.next_run_at == datetime.datetime(2026, 5, 4, 10, tzinfo=UTC)  # 06:00 EDT
    assert daily.describe() == "Daily at 06:00 (America/New_York)"
    record = daily.history.get()
    assert (record.history_type, record.history_user) == ("+", publisher_a)


def test_a_due_schedule_starts_exactly_one_scheduled_run(daily, publication):
    with at(2026, 5, 4, 10, 0, 30):
        first = run_due_schedules()
        second = run_due_schedules()  # the next beat tick, same minute

    runs = _scheduled_runs(publication)
    assert [run.pk for run in runs] == first
    assert second == []
    assert (runs[0].status, runs[0].requested_by) == (RunStatus.QUEUED, None)
    daily.refresh_from_db()
    assert daily.next_run_at == datetime.datetime(2026, 5, 5, 10, tzinfo=UTC)
    assert daily.last_run == runs[0]
    publication.refresh_from_db()
    assert publication.last_run == runs[0]  # the same bookkeeping as the publish button's


def test_nothing_runs_before_the_time_or_while_paused(daily, publication, publisher_a):
    with at(2026, 5, 4, 9, 59, 59):
        assert run_due_schedules() == []
    with at(2026, 5, 4, 9, 30):
        schedule_services.schedule_pause(schedule=daily, acting_user=publisher_a)
    with at(2026, 5, 6, 12):
        assert run_due_schedules() == []
    assert _scheduled_runs(publication) == []


def test_after_downtime_a_schedule_runs_once_not_once_per_missed_day(daily, publication):
    with at(2026, 5, 9, 15):  # five 06:00 slots missed
        fired = run_due_schedules()
        again = run_due_schedules()

    assert len(fired) == 1
    assert again == []
    daily.refresh_from_db()
    assert daily.next_run_at == datetime.datetime(2026, 5, 10, 10, tzinfo=UTC)


def _daily_at(publication, user, hour: int, minute: int, *when) -> PublicationSchedule:
    with at(*when):
        return schedule_services.schedule_set(
            publication=publication,
            acting_user=user,
            kind=ScheduleKind.DAILY,
            time_of_day=datetime.time(hour, minute),
        )


def test_beat_across_the_march_change_runs_a_skipped_time_an_hour_later(publication, publisher_a):
    schedule = _daily_at(publication, publisher_a, 2, 30, 2026, 3, 7, 12)
    assert schedule.next_run_at == datetime.datetime(2026, 3, 8, 7, 30, tzinfo=UTC)  # 03:30 EDT

    with at(2026, 3, 8, 7, 29):  # 03:29 EDT
        assert run_due_schedules() == []
    with at(2026, 3, 8, 7, 30, 20):
        assert len(run_due_schedules()) == 1

    schedule.refresh_from_db()
    assert schedule.next_run_at == datetime.datetime(2026, 3, 9, 6, 30, tzinfo=UTC)  # 02:30 EDT


def test_beat_across_the_november_change_runs_a_repeated_time_once(publication, publisher_a):
    schedule = _daily_at(publication, publisher_a, 1, 30, 2026, 10, 31, 12)

    with at(2026, 11, 1, 5, 30, 20):  # 01:30 EDT, the first pass
        assert len(run_due_schedules()) == 1
    PublicationRun.objects.update(status=RunStatus.SUCCEEDED)
    with at(2026, 11, 1, 6, 30, 20):  # 01:30 EST, the second pass
        assert run_due_schedules() == []

    schedule.refresh_from_db()
    assert schedule.next_run_at == datetime.datetime(2026, 11, 2, 6, 30, tzinfo=UTC)  # 01:30 EST
    assert len(_scheduled_runs(publication)) == 1


def test_two_beats_holding_the_same_due_schedule_start_one_run(daily, publication):
    """Both ticks read the row before either wrote it (what skip_locked prevents on PostgreSQL);
    the conditional update on next_run_at lets only one of them fire it."""
    stale_copy = PublicationSchedule.objects.get(pk=daily.pk)
    now = datetime.datetime(2026, 5, 4, 10, 1, tzinfo=UTC)

    first = schedule_services.schedule_fire(daily, now)
    second = schedule_services.schedule_fire(stale_copy, now)

    assert first is not None
    assert first.run_id is not None
    assert second is None
    assert len(_scheduled_runs(publication)) == 1


def test_a_schedule_is_skipped_with_its_reason_while_a_run_is_active(
    daily, publication, publisher_a
):
    with at(2026, 5, 4, 9):
        manual = services.run_start(publication=publication, acting_user=publisher_a)
    with at(2026, 5, 4, 10, 0, 30):
        fired = run_due_schedules()

    assert fired == []
    assert list(publication.runs.all()) == [manual]
    daily.refresh_from_db()
    assert daily.last_skip_reason == "A run of this publication is already queued or running."
    assert daily.last_skipped_at == datetime.datetime(2026, 5, 4, 10, 0, 30, tzinfo=UTC)
    assert daily.next_run_at == datetime.datetime(2026, 5, 5, 10, tzinfo=UTC)  # moved on anyway


def test_a_publication_whose_columns_changed_is_skipped_until_they_are_confirmed(
    daily, publication
):
    Publication.objects.filter(pk=publication.pk).update(detected_columns=[])
    with at(2026, 5, 4, 10, 1):
        run_due_schedules()

    daily.refresh_from_db()
    assert "columns changed since they were confirmed" in daily.last_skip_reason
    assert _scheduled_runs(publication) == []


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (RetirementStatus.NOTICE_POSTED, "The asset is being retired"),
        (RetirementStatus.RETIRED, "The asset is retired"),
    ],
)
def test_a_retiring_or_retired_publication_is_skipped(daily, publication, status, reason):
    Retirement.objects.create(
        publication=publication,
        agency=publication.agency,
        criterion="outdated",
        reason="Replaced by a new series.",
        status=status,
        started_by=publication.created_by,
    )
    with at(2026, 5, 4, 10, 1):
        run_due_schedules()

    daily.refresh_from_db()
    assert daily.last_skip_reason.startswith(reason)
    assert _scheduled_runs(publication) == []


def test_a_cancelled_retirement_does_not_stop_the_schedule(daily, publication):
    Retirement.objects.create(
        publication=publication,
        agency=publication.agency,
        criterion="outdated",
        reason="Started by mistake.",
        status=RetirementStatus.CANCELLED,
        started_by=publication.created_by,
    )
    with at(2026, 5, 4, 10, 1):
        run_due_schedules()

    daily.refresh_from_db()
    assert daily.last_skip_reason == ""
    assert len(_scheduled_runs(publication)) == 1


def test_a_started_run_clears_the_last_skip(daily, publication, publisher_a):
    PublicationSchedule.objects.filter(pk=daily.pk).update(last_skip_reason="Earlier reason.")
    with at(2026, 5, 4, 10, 1):
        run_due_schedules()
    daily.refresh_from_db()
    assert daily.last_skip_reason == ""


def test_an_external_link_cannot_be_scheduled(agency_a, publisher_a):
    external = services.publication_create(
        dataset=ocme_dataset(agency_a),
        acting_user=publisher_a,
        kind="external",
        external_url="https://example.org/feed.xml",
    )
    with pytest.raises(ValidationError, match="external-link"):
        schedule_services.schedule_set(publication=external, acting_user=publisher_a, kind="daily")


def test_resuming_starts_from_now_and_does_not_make_up_missed_runs(daily, publisher_a):
    with at(2026, 5, 4, 9):
        schedule_services.schedule_pause(schedule=daily, acting_user=publisher_a)
    daily.refresh_from_db()
    assert (daily.paused_by, daily.next_run_at) == (publisher_a, None)

    with at(2026, 5, 8, 11):  # 07:00 EDT: today's 06:00 has passed
        schedule_services.schedule_resume(schedule=daily, acting_user=publisher_a)
        assert run_due_schedules() == []

    daily.refresh_from_db()
    assert daily.paused_at is None
    assert daily.next_run_at == datetime.datetime(2026, 5, 9, 10, tzinfo=UTC)
    assert [h.history_user for h in daily.history.all()] == [publisher_a] * 3


def test_pausing_twice_or_resuming_a_running_schedule_is_refused(daily, publisher_a):
    with pytest.raises(ValidationError, match="not paused"):
        schedule_services.schedule_resume(schedule=daily, acting_user=publisher_a)
    schedule_services.schedule_pause(schedule=daily, acting_user=publisher_a)
    with pytest.raises(ValidationError, match="already paused"):
        schedule_services.schedule_pause(schedule=daily, acting_user=publisher_a)


def test_changing_a_schedule_moves_its_next_run(daily, publication, publisher_a):
    with at(2026, 5, 4, 12):  # a Monday, 08:00 EDT
        changed = schedule_services.schedule_set(
            publication=publication,
            acting_user=publisher_a,
            kind=ScheduleKind.WEEKLY,
            weekday=3,
            day_of_month=12,  # ignored: not monthly
            time_of_day=datetime.time(18, 45),
            time_zone="America/Chicago",
        )
    assert changed.pk == daily.pk
    assert changed.next_run_at == datetime.datetime(2026, 5, 7, 23, 45, tzinfo=UTC)  # Thu CDT
    assert changed.day_of_month is None
    assert changed.describe() == "Weekly on Thursday at 18:45 (America/Chicago)"


def test_the_service_names_the_field_of_each_problem(publication, publisher_a):
    with pytest.raises(ValidationError) as refused:
        schedule_services.schedule_set(
            publication=publication,
            acting_user=publisher_a,
            kind=ScheduleKind.CRON,
            cron="every day",
            time_zone="Eastern",
        )
    assert set(refused.value.message_dict) == {"cron", "time_zone"}
    assert not PublicationSchedule.objects.exists()


@pytest.mark.parametrize(
    ("frequency", "automate", "initial", "words"),
    [
        (UpdateFrequency.DAILY, True, {"kind": "daily"}, "a daily run is suggested"),
        (UpdateFrequency.WEEKDAY, True, {"kind": "cron", "cron": "0 6 * * 1-5"}, "every weekday"),
        (UpdateFrequency.WEEKLY, True, {"kind": "weekly", "weekday": 0}, "a weekly run"),
        (UpdateFrequency.BIWEEKLY, True, {"kind": "weekly"}, "within its two weeks"),
        (UpdateFrequency.MONTHLY, True, {"kind": "monthly", "day_of_month": 1}, "monthly run"),
        (UpdateFrequency.BIMONTHLY, True, {"kind": "monthly"}, "within its two months"),
        (UpdateFrequency.QUARTERLY, False, {}, "does not require automating quarterly"),
        (UpdateFrequency.ANNUALLY, False, {}, "does not require automating"),
        (UpdateFrequency.HISTORICAL, False, {}, "historical only"),
        (UpdateFrequency.AS_NEEDED, False, {}, "no regular update frequency"),
    ],
)
def test_the_suggestion_follows_the_declared_update_frequency(
    publication, frequency, automate, initial, words
):
    publication.dataset.update_frequency = frequency
    publication.dataset.save()

    suggestion = schedule_services.schedule_suggestion(publication)

    assert suggestion.automate is automate
    assert initial.items() <= suggestion.initial.items()
    assert words in suggestion.reason
    if automate:
        assert "more often than quarterly" in suggestion.reason


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_second_beat_passes_over_a_schedule_the_first_one_holds(agency_a, publisher_a):
    """Real row locks: while one beat holds the due schedule, another skips it (no wait, no
    second run); once the first lets go, the schedule is fired exactly once."""
    publication = ready_publication(ocme_dataset(agency_a), publisher_a)
    with at(2026, 5, 4, 8):
        schedule = schedule_services.schedule_set(
            publication=publication, acting_user=publisher_a, kind="daily"
        )
    # A run already queued: the firing is recorded as a skip, so no task is sent anywhere.
    PublicationRun.objects.create(publication=publication)
    now = datetime.datetime(2026, 5, 4, 10, 1, tzinfo=UTC)
    holding, release = threading.Event(), threading.Event()

    def first_beat() -> None:
        try:
            with transaction.atomic():
                PublicationSchedule.objects.select_for_update().get(pk=schedule.pk)
                holding.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=first_beat)
    thread.start()
    assert holding.wait(10)
    started = time.monotonic()
    while_held = schedule_services.schedules_run_due(now)
    waited = time.monotonic() - started
    release.set()
    thread.join()
    after = schedule_services.schedules_run_due(now)

    assert while_held == []
    assert waited < 5  # skipped, not blocked until the lock went away
    assert [fired.schedule_id for fired in after] == [schedule.pk]
    assert schedule_services.schedules_run_due(now) == []
