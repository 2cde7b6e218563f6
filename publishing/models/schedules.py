"""When beat refreshes a publication (ADR 0008): one schedule per publication."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from publishing.models.publications import Publication, PublicationRun
from publishing.schedules import times as schedule_times


class ScheduleKind(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"
    CRON = "cron", "Cron expression"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


DEFAULT_TIME_ZONE = "America/New_York"


class PublicationScheduleQuerySet(models.QuerySet):
    def active(self) -> PublicationScheduleQuerySet:
        return self.filter(paused_at__isnull=True, next_run_at__isnull=False)

    def due(self, now) -> PublicationScheduleQuerySet:
        return self.active().filter(next_run_at__lte=now)


class PublicationSchedule(models.Model):
    """When beat starts a run of the publication (ADR 0008). Wall-clock times in `time_zone`;
    `next_run_at` is stored in UTC and moved on by the beat task as it claims the schedule."""

    publication = models.OneToOneField(
        Publication, on_delete=models.CASCADE, related_name="schedule"
    )
    kind = models.CharField(max_length=10, choices=ScheduleKind.choices, default=ScheduleKind.DAILY)
    time_of_day = models.TimeField(default=datetime.time(6, 0), help_text="Not used by cron.")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, null=True, blank=True)
    day_of_month = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text="29 to 31 run on the last day of shorter months.",
    )
    cron = models.CharField("cron expression", max_length=100, blank=True)
    time_zone = models.CharField(max_length=64, default=DEFAULT_TIME_ZONE)

    next_run_at = models.DateTimeField(null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    last_run = models.ForeignKey(
        PublicationRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_skipped_at = models.DateTimeField(null=True, blank=True)
    last_skip_reason = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The beat writes the bookkeeping fields every time it fires; history keeps the decisions.
    history = HistoricalRecords(
        excluded_fields=["next_run_at", "last_run", "last_skipped_at", "last_skip_reason",
                         "updated_at"]
    )  # fmt: skip
    objects = PublicationScheduleQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["next_run_at"])]

    def __str__(self) -> str:
        return f"Schedule of publication {self.publication_id}: {self.describe()}"

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    def zone(self) -> ZoneInfo:
        return schedule_times.zone(self.time_zone)

    def next_after(self, moment: datetime.datetime) -> datetime.datetime:
        """The first run strictly after `moment` (aware), in UTC."""
        tz, at = self.zone(), self.time_of_day
        if self.kind == ScheduleKind.WEEKLY:
            return schedule_times.next_weekly(moment, tz, at, self.weekday or 0)
        if self.kind == ScheduleKind.MONTHLY:
            return schedule_times.next_monthly(moment, tz, at, self.day_of_month or 1)
        if self.kind == ScheduleKind.CRON:
            return schedule_times.next_cron(moment, tz, self.cron)
        return schedule_times.next_daily(moment, tz, at)

    def describe(self) -> str:
        """In words: "Weekly on Monday at 06:00 (America/New_York)"."""
        at = self.time_of_day.strftime("%H:%M")
        if self.kind == ScheduleKind.WEEKLY:
            when = f"Weekly on {Weekday(self.weekday or 0).label} at {at}"
        elif self.kind == ScheduleKind.MONTHLY:
            when = f"Monthly on day {self.day_of_month or 1} at {at}"
        elif self.kind == ScheduleKind.CRON:
            when = f"Cron “{self.cron}” ({schedule_times.describe_cron(self.cron)})"
        else:
            when = f"Daily at {at}"
        return f"{when} ({self.time_zone})"
