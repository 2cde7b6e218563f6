"""Retiring a publication's portal asset (Handbook "Data retirement", ADR 0010).

Imported by publishing.models; refers to Publication by name so that importing this module
first does not import publishing.models half-way."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from agencies.models import Agency


class RetirementCriterion(models.TextChoices):
    INACCURATE = "inaccurate", "Inaccurate, misleading or incomplete"
    PROTECTED_DATA = "protected_data", "Contains protected data"
    REPLACED = "replaced", "Discontinued, consolidated or replaced"
    MISTAKE = "mistake", "Published by mistake"
    RARELY_USED = "rarely_used", "Rarely used"
    OUTDATED = "outdated", "Outdated"
    NOT_OURS = "not_ours", "Not the publisher's data"


class RetirementStatus(models.TextChoices):
    REQUESTED = "requested", "Requested (notice not yet on the portal)"
    NOTICE_POSTED = "notice_posted", "Notice posted"
    CANCELLING = "cancelling", "Cancelling (restoring the original metadata)"
    FAILED = "failed", "Failed (retried by the next beat)"
    RETIRED = "retired", "Retired (private)"
    CANCELLED = "cancelled", "Cancelled"


# Open: the portal still has work to do. Blocking: no push may touch the asset's metadata.
RETIREMENT_OPEN = (
    RetirementStatus.REQUESTED,
    RetirementStatus.NOTICE_POSTED,
    RetirementStatus.CANCELLING,
    RetirementStatus.FAILED,
)
RETIREMENT_BLOCKING = (*RETIREMENT_OPEN, RetirementStatus.RETIRED)


class RetirementQuerySet(models.QuerySet):
    def open(self) -> RetirementQuerySet:
        return self.filter(status__in=RETIREMENT_OPEN)

    def in_progress(self) -> RetirementQuerySet:
        """Open and not being cancelled: what the program counts as "retiring"."""
        return self.open().filter(cancelled_at__isnull=True)

    def retired(self) -> RetirementQuerySet:
        return self.filter(status=RetirementStatus.RETIRED)


class Retirement(models.Model):
    """Retiring one publication's portal asset: ARCHIVE notice, 30 days, then private."""

    publication = models.ForeignKey(
        "publishing.Publication", on_delete=models.PROTECT, related_name="retirements"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="retirements")
    criterion = models.CharField(max_length=20, choices=RetirementCriterion.choices)
    reason = models.TextField(help_text="Why the asset is retired, in plain language.")
    superseded_by = models.CharField(
        "superseding asset", max_length=500, blank=True, help_text="A portal id or a URL."
    )
    archive_url = models.URLField("archived copy", max_length=500, blank=True)
    immediate = models.BooleanField(
        default=False, help_text="Made public less than 7 days before: removed without notice."
    )
    status = models.CharField(
        max_length=20, choices=RetirementStatus.choices, default=RetirementStatus.REQUESTED
    )
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    # Set while a worker does this retirement's portal work, so steps never run side by side.
    claimed_at = models.DateTimeField(null=True, blank=True)
    # The portal's title, tags and description before the notice, so cancel restores them.
    original_saved_at = models.DateTimeField(null=True, blank=True)
    original_title = models.TextField(blank=True)
    original_tags = models.JSONField(default=list, blank=True)
    original_description = models.TextField(blank=True)

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    notice_posted_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    made_private_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    restored_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["claimed_at"])
    objects = RetirementQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication"],
                condition=~models.Q(status="cancelled"),
                name="one_live_retirement_per_publication",
            )
        ]

    def __str__(self) -> str:
        return f"Retirement {self.pk} of publication {self.publication_id}: {self.status}"

    def get_absolute_url(self) -> str:
        return reverse("publishing:detail", args=[self.publication_id])

    @property
    def is_open(self) -> bool:
        return self.status in RETIREMENT_OPEN

    @property
    def may_cancel(self) -> bool:
        return self.is_open and self.cancelled_at is None

    @property
    def next_step(self) -> str:
        """What the portal still needs: "restore", "notice", "private" or "" (done)."""
        if not self.is_open:
            return ""
        if self.cancelled_at is not None:
            return "restore"
        return "notice" if self.notice_posted_at is None else "private"

    @property
    def superseding_url(self) -> str:
        value = self.superseded_by
        if value and "://" not in value:
            return f"https://{settings.CTODP_PORTAL_DOMAIN}/d/{value}"
        return value
