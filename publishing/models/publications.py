"""Publications (a Dataset ↔ a portal asset), their source, and every push (PublicationRun)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from agencies.models import Agency
from inventories.models import Dataset, portal_id_validator


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
    # Built in: rows made by a provider an app above registers (extensions.builtin_sources).
    CATALOG = "catalog", "The CT Data Catalog (built in)"
    RETIRED = "retired", "The retired-assets list (built in)"


BUILTIN_SOURCES = (SourceKind.CATALOG, SourceKind.RETIRED)


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
LOST_AFTER_BEATS = 2  # a running run whose heartbeat is this many beats late has lost its worker


class RunTrigger(models.TextChoices):
    MANUAL = "manual", "Manual"
    SCHEDULED = "scheduled", "Scheduled"
    API = "api", "API"
    CHANGE = "change", "Catalog change"


def column_shapes(columns: list[dict]) -> list[dict]:
    """Columns as read from a source: without the description the publisher wrote."""
    return [{key: value for key, value in c.items() if key != "description"} for c in columns]


class PublicationQuerySet(models.QuerySet):
    def for_list(self) -> PublicationQuerySet:
        return self.select_related("dataset", "agency", "last_run", "schedule", "source_check")


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
    delete_missing = models.BooleanField(
        "delete rows missing from the source",
        default=False,
        help_text="Upsert only: after the push, rows on the portal whose identifier the source "
        "no longer has are deleted (Socrata :deleted).",
    )
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
    # The worker's reading of the current URL or SQL source (ADR 0017); none for a file, read
    # in the request. A newer attach points elsewhere, so an older check's result is dropped.
    source_check = models.ForeignKey(
        "SourceCheck", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    method_note = models.TextField(
        blank=True,
        help_text="How the source was aggregated and suppressed, written when an aggregation "
        "produced this publication; appended to the portal description.",
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
    # The CDO lets a dataset the inventory or the access plan holds back be published anyway,
    # with a reason (ADR 0016); kept in the publication's history.
    access_override_reason = models.TextField(blank=True)
    access_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    access_override_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["last_run", "source_check", "updated_at"])
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
    def is_builtin(self) -> bool:
        return self.source_kind in BUILTIN_SOURCES

    @property
    def has_source(self) -> bool:
        return bool(self.source_kind)

    @property
    def source_unread(self) -> bool:
        """The current source's check is queued, running or failed: its columns are unknown."""
        return self.source_check_id is not None and not self.source_check.succeeded

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
    # Rows sent whose answer never came (a dropped connection, a 5xx, a killed worker): the
    # portal may or may not have applied them. Counters add up over every attempt (ADR 0023).
    rows_unknown = models.PositiveBigIntegerField(default=0)
    chunks_done = models.PositiveIntegerField(default=0)
    chunks_total = models.PositiveIntegerField(null=True, blank=True)
    bytes_sent = models.PositiveBigIntegerField(default=0)
    attempts = models.PositiveIntegerField(default=0)
    trigger = models.CharField(max_length=10, choices=RunTrigger.choices, default=RunTrigger.MANUAL)
    content_hash = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    warning = models.TextField(blank=True, help_text="A success the publisher should look at.")
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
    def lost_at(self) -> datetime | None:
        """When the running run's heartbeat became late (two beats missed): its worker is lost
        from then on. None when it is not running or heartbeats are off."""
        beat = settings.CTODP_RUN_HEARTBEAT
        if self.status != RunStatus.RUNNING or beat <= 0 or self.heartbeat_at is None:
            return None
        return self.heartbeat_at + timedelta(seconds=LOST_AFTER_BEATS * beat)

    @property
    def worker_lost(self) -> bool:
        lost_at = self.lost_at
        return lost_at is not None and timezone.now() >= lost_at

    @property
    def retry_at(self) -> datetime | None:
        """The latest time the sweeper (every CTODP_RUN_SWEEP_SECONDS) queues a lost run again."""
        lost_at = self.lost_at
        return None if lost_at is None else lost_at + timedelta(seconds=settings.CTODP_RUN_SWEEP)

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


class AttemptOutcome(models.TextChoices):
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    RETRY = "retry", "Failed, retried"
    LOST = "lost", "Worker lost"
    INTERRUPTED = "interrupted", "Cancelled or taken over"


class RunAttempt(models.Model):
    """One attempt of a run (one claim by a worker), with what the portal acknowledged to it.
    The run's counters are the sum of its attempts' (ADR 0023)."""

    run = models.ForeignKey(PublicationRun, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveIntegerField()
    outcome = models.CharField(
        max_length=12, choices=AttemptOutcome.choices, default=AttemptOutcome.RUNNING
    )
    error = models.TextField(blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    rows_created = models.PositiveBigIntegerField(default=0)
    rows_updated = models.PositiveBigIntegerField(default=0)
    rows_deleted = models.PositiveBigIntegerField(default=0)
    rows_unknown = models.PositiveBigIntegerField(default=0)
    # Rows of the chunk being sent: unknown if the worker dies before the answer is recorded.
    rows_in_flight = models.PositiveBigIntegerField(default=0)
    chunks_done = models.PositiveIntegerField(default=0)
    bytes_sent = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["run", "number"]
        constraints = [
            models.UniqueConstraint(fields=["run", "number"], name="one_attempt_per_number")
        ]

    def __str__(self) -> str:
        return f"Attempt {self.number} of run {self.run_id}: {self.outcome}"
