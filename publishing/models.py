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


def column_shapes(columns: list[dict]) -> list[dict]:
    """Columns as read from a source: without the description the publisher wrote."""
    return [{key: value for key, value in c.items() if key != "description"} for c in columns]


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
    # Bumped when the source's configuration changes (a new upload, another URL or query, a
    # different confirmed column set), never by a refresh that only brings new rows: a privacy
    # screen of an older version is stale and no longer opens the make-public gate (ADR 0007).
    source_version = models.PositiveIntegerField(default=0)

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
        return self.columns_confirmed and self.detected_columns != column_shapes(self.columns)

    @property
    def portal_url(self) -> str:
        if not self.portal_id:
            return ""
        return f"https://{settings.CTODP_PORTAL_DOMAIN}/d/{self.portal_id}"

    @property
    def retiring(self) -> bool:
        """A retirement is under way (notice on its way or posted): no refresh may push."""
        return self.retirements.filter(status__in=RETIREMENT_OPEN).exists()

    @property
    def is_retired(self) -> bool:
        """Retired: the asset was made private for good (ADR 0010)."""
        return self.retirements.filter(status=RetirementStatus.RETIRED).exists()


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
    source_version = models.PositiveIntegerField(
        default=0, help_text="The publication's source version this screen read."
    )
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
    # Set when queued, claimed and after every chunk: the sweeper fails a screen without one.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self) -> str:
        return f"Privacy screen {self.pk} of publication {self.publication_id}: {self.status}"

    def get_absolute_url(self) -> str:
        return reverse("publishing:screen", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_current(self) -> bool:
        """It read the publication's present source (not one replaced since)."""
        return self.source_version == self.publication.source_version


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


# --- Portal sync (ADR 0009): what the portal's catalog lists, and who claims it ----------------


class AssetLink(models.TextChoices):
    NONE = "", "Unclaimed"
    PUBLICATION = "publication", "A publication's portal id"
    INVENTORY = "inventory", "An inventory dataset's portal id"
    ASSIGNED = "assigned", "Assigned by program staff"


class PortalAssetQuerySet(models.QuerySet):
    def present(self) -> PortalAssetQuerySet:
        return self.filter(missing_since__isnull=True)

    def unclaimed(self) -> PortalAssetQuerySet:
        """Listed by the last sync and claimed by no agency: the DAPA team assigns them."""
        return self.present().filter(agency__isnull=True)


class PortalAsset(models.Model):
    """One asset of the portal's catalog, as the last sync read it."""

    portal_id = models.CharField(
        "portal id", max_length=9, unique=True, validators=[portal_id_validator]
    )
    name = models.CharField(max_length=500)
    asset_type = models.CharField(max_length=50, blank=True)
    permalink = models.URLField(max_length=500, blank=True)
    owner_name = models.CharField("owner", max_length=200, blank=True)
    attribution = models.CharField(max_length=500, blank=True)
    data_updated_at = models.DateTimeField(null=True, blank=True)
    metadata_updated_at = models.DateTimeField(null=True, blank=True)
    page_views = models.PositiveBigIntegerField(default=0)
    page_views_last_month = models.PositiveBigIntegerField(default=0)
    downloads = models.PositiveBigIntegerField(default=0)
    first_seen_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    missing_since = models.DateTimeField(
        null=True, blank=True, help_text="A later sync no longer listed it."
    )
    # The claim: set by the sync from portal ids, or by program staff for an unclaimed asset.
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="portal_assets"
    )
    dataset = models.ForeignKey(
        Dataset, null=True, blank=True, on_delete=models.SET_NULL, related_name="portal_assets"
    )
    link = models.CharField(max_length=20, choices=AssetLink.choices, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)

    # Only the claim is governance; the figures change every hour and are not history.
    history = HistoricalRecords(
        excluded_fields=[
            "name", "asset_type", "permalink", "owner_name", "attribution", "data_updated_at",
            "metadata_updated_at", "page_views", "page_views_last_month", "downloads",
            "last_seen_at",
        ]
    )  # fmt: skip
    objects = PortalAssetQuerySet.as_manager()

    class Meta:
        ordering = ["name", "portal_id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.portal_id})"


class PortalSync(models.Model):
    """One read of the portal's catalog: what it found, or why it failed."""

    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING)
    trigger = models.CharField(max_length=20, blank=True, help_text="command, beat, …")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    assets_read = models.PositiveIntegerField(default=0)
    linked = models.PositiveIntegerField(default=0)
    unclaimed = models.PositiveIntegerField(default=0)
    newly_unclaimed = models.PositiveIntegerField(default=0)
    newly_missing = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"Portal sync {self.pk}: {self.status}"


class SuppressionJob(models.Model):
    """An aggregation with small-cell suppression of a large (or URL or SQL) source, run by a
    worker with progress (ADR 0007). Without a target it is a preview; with one, the result is
    saved as the target's new source."""

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="suppression_jobs"
    )
    target = models.ForeignKey(
        Publication, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    by = models.JSONField(default=list)
    value = models.CharField(max_length=255, blank=True)
    threshold = models.PositiveIntegerField(default=5)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    rows_read = models.PositiveBigIntegerField(default=0)
    result = models.JSONField(null=True, blank=True, help_text="The preview: counts and rows.")
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Suppression job {self.pk} of publication {self.publication_id}: {self.status}"

    def get_absolute_url(self) -> str:
        return reverse("publishing:suppress_job", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


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


# Retirement lives in its own module (ADR 0010); imported here so that Django registers it and
# `publishing.models` stays the one place models are imported from.
from publishing.retirement_models import (  # noqa: E402
    RETIREMENT_BLOCKING,
    RETIREMENT_OPEN,
    Retirement,
    RetirementCriterion,
    RetirementQuerySet,
    RetirementStatus,
)

__all__ = [
    "ACTIVE_STATUSES",
    "DEFAULT_TIME_ZONE",
    "RETIREMENT_BLOCKING",
    "RETIREMENT_OPEN",
    "AssetLink",
    "Kind",
    "License",
    "Mode",
    "PortalAsset",
    "PortalAssetQuerySet",
    "PortalSync",
    "PrivacyException",
    "PrivacyScreen",
    "Publication",
    "PublicationQuerySet",
    "PublicationRun",
    "PublicationRunQuerySet",
    "PublicationSchedule",
    "PublicationScheduleQuerySet",
    "Retirement",
    "RetirementCriterion",
    "RetirementQuerySet",
    "RetirementStatus",
    "RunStatus",
    "RunTrigger",
    "ScheduleKind",
    "ScreenVerdict",
    "SourceKind",
    "SuppressionJob",
    "Visibility",
    "Weekday",
    "column_shapes",
]
