"""A source check: reading a URL or SQL source's columns in a worker, not the web request
(ADR 0017). The publication points at the check of its current source (`source_check`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from publishing.models.publications import ACTIVE_STATUSES, Publication, RunStatus


class SourceCheck(models.Model):
    """One reading of a URL or SQL source's first rows, kept as a job with a heartbeat."""

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="source_checks"
    )
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    error = models.TextField(blank=True)
    columns_found = models.PositiveIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Set when queued and when claimed: the sweeper fails a check without one for too long.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self) -> str:
        return f"Source check {self.pk} of publication {self.publication_id}: {self.status}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def succeeded(self) -> bool:
        return self.status == RunStatus.SUCCEEDED
