"""Privacy screens of publication sources, exceptions the CDO approves, and aggregation jobs
(ADR 0007). The tables were publishing's before the split and keep their names (ADR 0013)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from publishing.models import ACTIVE_STATUSES, Publication, RunStatus


class ScreenVerdict(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class PrivacyScreen(models.Model):
    """One privacy screen of a publication's source (privacy.engine.screen), kept as run."""

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
        db_table = "publishing_privacyscreen"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self) -> str:
        return f"Privacy screen {self.pk} of publication {self.publication_id}: {self.status}"

    def get_absolute_url(self) -> str:
        return reverse("privacy:screen", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_current(self) -> bool:
        """It read the publication's present source (not one replaced since)."""
        return self.source_version == self.publication.source_version


class PrivacyExceptionQuerySet(models.QuerySet):
    def pending(self) -> PrivacyExceptionQuerySet:
        """Requested and not yet approved: the CDO's queue (oldest first)."""
        return self.filter(approved_at__isnull=True).order_by("requested_at", "pk")


class PrivacyException(models.Model):
    """Publishing despite a high-risk screen: a justification, approved by the CDO.

    Pending while `approved_at` is empty (`PrivacyException.objects.pending()`)."""

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

    history = HistoricalRecords(table_name="publishing_historicalprivacyexception")
    objects = PrivacyExceptionQuerySet.as_manager()

    class Meta:
        db_table = "publishing_privacyexception"
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"Privacy exception {self.pk} for screen {self.screen_id}"

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None

    @property
    def is_pending(self) -> bool:
        return self.approved_at is None


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
        db_table = "publishing_suppressionjob"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Suppression job {self.pk} of publication {self.publication_id}: {self.status}"

    def get_absolute_url(self) -> str:
        return reverse("privacy:suppress_job", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES
