"""Publications (a Dataset ↔ a portal asset), their source, and every push (PublicationRun)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from agencies.models import Agency
from inventories.models import Dataset, portal_id_validator
from publishing import schedule_times


class Kind(models.TextChoices):
    ROWS = "rows", "Rows pushed to the portal"
    EXTERNAL = "external", "External link (metadata only)"


class Mode(models.TextChoices):
    UPSERT = "upsert", "Upsert by row identifier"
    REPLACE = "replace", "Replace every row"


class Visibility(models.TextChoices):
    PRIVATE = "private", "Private"
    PUBLIC = "public", "Public"


class SourceKind(models.TextChoices):
    NONE = "", "No source yet"
    FILE = "file", "Uploaded file (CSV or XLSX)"
    URL = "url", "URL (CSV or JSON)"
    SQL = "sql", "SQL query"


class License(models.TextChoices):
    PUBLIC_DOMAIN = "PUBLIC_DOMAIN", "Public domain"
    CC0 = "CC0_10", "Creative Commons CC0 1.0"
    CC_BY = "CC_30_BY", "Creative Commons Attribution 3.0"
    ODBL = "ODBL", "Open Database License"


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


ACTIVE_STATUSES = (RunStatus.QUEUED, RunStatus.RUNNING)


class RunTrigger(models.TextChoices):
    MANUAL = "manual", "Manual"
    SCHEDULED = "scheduled", "Scheduled"
    API = "api", "API"


class PublicationQuerySet(models.QuerySet):
    def for_list(self) -> PublicationQuerySet:
        return self.select_related("dataset", "agency", "last_run", "schedule")


class Publication(models.Model):
    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="publications")
    # Copied from the dataset so that agency scoping is one filter, as everywhere else.
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="publications")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ROWS)
    portal_id = models.CharField(
        "portal id", max_length=9, blank=True, validators=[portal_id_validator]
    )
    adopted = models.BooleanField(
        default=False, help_text="An existing portal asset, adopted by its id."
    )
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.UPSERT)
    row_identifier = models.CharField(max_length=100, blank=True, help_text="A column field name.")
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    license = models.CharField(max_length=20, choices=License.choices, blank=True)
    external_url = models.URLField("external URL", max_length=500, blank=True)

    source_kind = models.CharField(max_length=10, choices=SourceKind.choices, blank=True)
    source_file = models.FileField(upload_to="publishing-sources/%Y/%m/", blank=True)
    source_name = models.CharField(max_length=255, blank=True)
    source_url = models.URLField("source URL", max_length=1000, blank=True)
    source_database = models.CharField(
        max_length=100, blank=True, help_text="A database an administrator configured."
    )
    source_query = models.TextField(blank=True)
    # What the current source looks like, and what the publisher confirmed before the push.
    detected_columns = models.JSONField(default=list, blank=True)
    columns = models.JSONField(default=list, blank=True)
    columns_confirmed_at = models.DateTimeField(null=True, blank=True)

    method_note = models.TextField(
        blank=True,
        help_text="How the source was aggregated and suppressed, when the inventory was locked "
        "(ADR 0007); appended to the portal description.",
    )

    last_content_hash = models.CharField(max_length=64, blank=True)
    last_metadata_hash = models.CharField(max_length=64, blank=True)
    last_run = models.ForeignKey(
        "PublicationRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    made_public_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    made_public_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["last_run", "updated_at"])
    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.dataset.title} → {self.portal_id or 'new portal asset'}"

    def get_absolute_url(self) -> str:
        return reverse("publishing:detail", args=[self.pk])

    def current_dataset(self) -> Dataset:
        """The newest inventory year's row of this data asset (ADR 0002: rows follow the uid)."""
        newest = (
            Dataset.objects.filter(uid=self.dataset.uid, agency_id=self.agency_id)
            .select_related("agency")
            .order_by("-inventory__year")
            .first()
        )
        return newest or self.dataset

    @property
    def is_external(self) -> bool:
        return self.kind == Kind.EXTERNAL

    @property
    def has_source(self) -> bool:
        return bool(self.source_kind)

    @property
    def columns_confirmed(self) -> bool:
        return self.columns_confirmed_at is not None and bool(self.columns)

    @property
    def schema_changed(self) -> bool:
        """The current source's columns differ from the confirmed ones (see sources.diff)."""
        return self.columns_confirmed and self.detected_columns != self.columns

    @property
    def portal_url(self) -> str:
        if not self.portal_id:
            return ""
        return f"https://{settings.CTODP_PORTAL_DOMAIN}/d/{self.portal_id}"


class PublicationRunQuerySet(models.QuerySet):
    def active(self) -> PublicationRunQuerySet:
        return self.filter(status__in=ACTIVE_STATUSES)


class PublicationRun(models.Model):
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    unchanged = models.BooleanField(
        default=False, help_text="The content equalled the last success: nothing was written."
    )
    rows_read = models.PositiveBigIntegerField(default=0)
    rows_created = models.PositiveBigIntegerField(default=0)
    rows_updated = models.PositiveBigIntegerField(default=0)
    rows_deleted = models.PositiveBigIntegerField(default=0)
    chunks_done = models.PositiveIntegerField(default=0)
    chunks_total = models.PositiveIntegerField(null=True, blank=True)
    bytes_sent = models.PositiveBigIntegerField(default=0)
    attempts = models.PositiveIntegerField(default=0)
    trigger = models.CharField(max_length=10, choices=RunTrigger.choices, default=RunTrigger.MANUAL)
    content_hash = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    enqueued_at = models.DateTimeField(
        null=True, blank=True, help_text="When the task queue took the run; empty: not yet."
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = PublicationRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self) -> str:
        return f"Run {self.pk} of publication {self.publication_id}: {self.status}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def awaits_queue(self) -> bool:
        """Queued but not handed to the task queue (it was down): the sweeper sends it."""
        return self.status == RunStatus.QUEUED and self.enqueued_at is None

    @property
    def percent(self) -> int:
        if self.status == RunStatus.SUCCEEDED:
            return 100
        if not self.chunks_total:
            return 0
        return min(100, round(100 * self.chunks_done / self.chunks_total))

    @property
    def duration(self) -> float | None:
        if self.started_at is None:
            return None
        end = self.finished_at or self.heartbeat_at or self.started_at
        return (end - self.started_at).total_seconds()


class ScreenVerdict(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class PrivacyScreen(models.Model):
    """One privacy screen of a publication's source (publishing.privacy.screen), kept as run."""

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="privacy_screens"
    )
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    rows_read = models.PositiveBigIntegerField(default=0)
    threshold = models.PositiveIntegerField(default=5)
    quasi_identifiers = models.JSONField(
        default=list, blank=True, help_text="Chosen by the user; empty: as classified."
    )
    source_label = models.CharField(max_length=1000, blank=True)
    report = models.JSONField(null=True, blank=True)
    verdict = models.CharField(max_length=10, choices=ScreenVerdict.choices, blank=True)
    k = models.PositiveIntegerField(null=True, blank=True)
    records_at_risk = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Privacy screen {self.pk} of publication {self.publication_id}: {self.status}"

    def get_absolute_url(self) -> str:
        return reverse("publishing:screen", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class PrivacyException(models.Model):
    """Publishing despite a high-risk screen: a justification, approved by the CDO."""

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="privacy_exceptions"
    )
    screen = models.ForeignKey(PrivacyScreen, on_delete=models.CASCADE, related_name="exceptions")
    justification = models.TextField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"Privacy exception {self.pk} for screen {self.screen_id}"

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None


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
