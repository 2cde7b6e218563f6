"""The annual high-value data inventory (CGS §4-67p) and the datasets it lists.

A Dataset row belongs to one year's Inventory; `uid` stays the same when a new year carries the
row forward, which is how years are compared (see docs/adr/0002-inventory-years.md).
"""

from __future__ import annotations

import datetime
import re
import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from agencies.models import Agency
from inventories.choices import (
    AccessLevel,
    Availability,
    Category,
    Criterion,
    GeographicUnit,
    InventoryStatus,
    UpdateFrequency,
)
from inventories.temporal import validate_temporal_coverage

PORTAL_ID = re.compile(r"^[a-z0-9]{4}-[a-z0-9]{4}$")
portal_id_validator = RegexValidator(
    PORTAL_ID, "A portal id has the form abcd-1234 (four letters or digits, a dash, four more)."
)


class InventoryQuerySet(models.QuerySet):
    def accepted(self) -> InventoryQuerySet:
        return self.filter(status=InventoryStatus.ACCEPTED)

    def latest_accepted(self) -> InventoryQuerySet:
        """Each agency's most recent accepted inventory."""
        newer = Inventory.objects.accepted().filter(
            agency=models.OuterRef("agency"), year__gt=models.OuterRef("year")
        )
        return self.accepted().exclude(models.Exists(newer))

    def awaiting_review(self) -> InventoryQuerySet:
        return self.filter(status=InventoryStatus.SUBMITTED)


def default_due_date(year: int) -> datetime.date:
    month, day = settings.CTODP_INVENTORY_DUE_MONTH_DAY
    return datetime.date(year, month, day)


class Inventory(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="inventories")
    year = models.PositiveIntegerField()
    status = models.CharField(
        max_length=20, choices=InventoryStatus.choices, default=InventoryStatus.DRAFT
    )
    due_date = models.DateField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    attestation = models.TextField(blank=True, help_text="The statement the ADO attested to.")
    attested_name = models.CharField(max_length=200, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = InventoryQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "agency__name"]
        verbose_name_plural = "inventories"
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="one_inventory_per_agency_year")
        ]

    def __str__(self) -> str:
        return f"{self.agency} — {self.year} inventory"

    def get_absolute_url(self) -> str:
        return reverse("inventories:detail", args=[self.agency.slug, self.year])

    @property
    def is_editable(self) -> bool:
        """The agency edits a draft or a returned inventory; a submitted one waits for review."""
        return self.status in {InventoryStatus.DRAFT, InventoryStatus.RETURNED}

    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        return self.status != InventoryStatus.ACCEPTED and timezone.localdate() > self.due_date


class DatasetQuerySet(models.QuerySet):
    def public(self) -> DatasetQuerySet:
        return self.filter(access_level=AccessLevel.PUBLIC)

    def with_criterion(self, letter: str) -> DatasetQuerySet:
        return self.filter(**{f"criterion_{letter.lower()}": True})

    def newest_rows(self) -> DatasetQuerySet:
        """Each data asset (uid) once: its row in the agency's newest inventory that lists it
        (ADR 0002: a year carries the rows forward under the same uid)."""
        newer = Dataset.objects.filter(
            uid=models.OuterRef("uid"),
            agency=models.OuterRef("agency"),
            inventory__year__gt=models.OuterRef("inventory__year"),
        )
        return self.exclude(models.Exists(newer))

    def in_catalog(self) -> DatasetQuerySet:
        """Datasets of accepted inventories: what the public CT Data Catalog lists."""
        return self.filter(inventory__status=InventoryStatus.ACCEPTED)


class Dataset(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    inventory = models.ForeignKey(Inventory, on_delete=models.CASCADE, related_name="datasets")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="datasets")

    # What it is
    title = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    program = models.CharField("program or division", max_length=200, blank=True)
    data_owner = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    source_system = models.CharField(max_length=200, blank=True)

    # High-value criteria, CGS §4-67o (A)–(H): at least one (checked by the form and import)
    criterion_a = models.BooleanField(Criterion.A.label, default=False)
    criterion_b = models.BooleanField(Criterion.B.label, default=False)
    criterion_c = models.BooleanField(Criterion.C.label, default=False)
    criterion_d = models.BooleanField(Criterion.D.label, default=False)
    criterion_e = models.BooleanField(Criterion.E.label, default=False)
    criterion_f = models.BooleanField(Criterion.F.label, default=False)
    criterion_g = models.BooleanField(Criterion.G.label, default=False)
    criterion_h = models.BooleanField(Criterion.H.label, default=False)

    # Access and privacy
    access_level = models.CharField(
        max_length=20, choices=AccessLevel.choices, default=AccessLevel.PUBLIC
    )
    access_reason = models.CharField(
        "reason it is not public",
        max_length=255,
        blank=True,
        help_text="Required unless the dataset is public (DCAT-US 'rights').",
    )
    has_unique_identifiers = models.BooleanField("unique identifiers", default=False)
    unique_identifiers_detail = models.CharField(max_length=255, blank=True)
    has_quasi_identifiers = models.BooleanField("quasi-identifiers", default=False)
    quasi_identifiers_detail = models.CharField(max_length=255, blank=True)
    has_sensitive_attributes = models.BooleanField("sensitive attributes", default=False)
    sensitive_attributes_detail = models.CharField(max_length=255, blank=True)

    # CT portal metadata
    category = models.CharField(max_length=50, choices=Category.choices, blank=True)
    geographic_unit = models.CharField(max_length=50, choices=GeographicUnit.choices, blank=True)
    update_frequency = models.CharField(max_length=50, choices=UpdateFrequency.choices, blank=True)
    temporal_coverage = models.CharField(
        max_length=100,
        blank=True,
        help_text="Start/end, e.g. 2012-2018, 2015-01/2024-06 or 2012-01-01/2018-12-31.",
        validators=[validate_temporal_coverage],
    )
    row_label = models.CharField(max_length=100, blank=True, help_text="What one row is.")
    tags = models.CharField(max_length=500, blank=True, help_text="Separated by semicolons.")
    source_link = models.URLField(max_length=500, blank=True)
    data_format = models.CharField("format", max_length=50, blank=True, help_text="e.g. CSV")
    machine_readable = models.BooleanField(default=False)

    # Where it is available now
    availability = models.CharField(
        max_length=20, choices=Availability.choices, default=Availability.NOT_AVAILABLE
    )
    portal_id = models.CharField(
        "portal id", max_length=9, blank=True, validators=[portal_id_validator]
    )
    geo_portal_url = models.URLField("Geo Data Portal URL", max_length=500, blank=True)
    agency_url = models.URLField("agency website URL", max_length=500, blank=True)

    # Reasons to consider publishing (Publishing guidance, step 2)
    foi_subject = models.BooleanField("subject to FOI disclosure", default=False)
    shared_with_agencies = models.BooleanField("shared with other agencies", default=False)
    grant_reporting = models.BooleanField("used for grant reporting", default=False)
    trend_analysis = models.BooleanField("used for trend or performance analysis", default=False)
    frequently_requested = models.BooleanField(default=False)
    requests_per_year = models.PositiveIntegerField(
        "requests a year (approx.)", null=True, blank=True
    )
    high_impact = models.BooleanField("high impact for stakeholders", default=False)

    # The Handbook checklist score (inventories.quality), kept with the row so that averages over
    # a whole state are one SQL aggregate; refresh_metadata_score() keeps it in step.
    metadata_score = models.PositiveSmallIntegerField(default=0, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = DatasetQuerySet.as_manager()

    CRITERION_FIELDS = [f"criterion_{c.lower()}" for c in Criterion.values]

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(access_level="public") | ~Q(access_reason=""),
                name="non_public_needs_reason",
            ),
            models.UniqueConstraint(fields=["inventory", "uid"], name="dataset_once_per_inventory"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.refresh_metadata_score()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "metadata_score"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("inventories:dataset", args=[self.agency.slug, self.inventory.year, self.pk])

    def refresh_metadata_score(self) -> None:
        """Recompute the stored checklist score; bulk writes call this before writing."""
        from inventories.quality import dataset_quality

        self.metadata_score = dataset_quality(self).score

    @property
    def updated_on(self) -> datetime.date:
        """The day of the last change, in UTC (as the database stores it)."""
        return self.updated_at.astimezone(datetime.UTC).date()

    @property
    def criteria(self) -> list[str]:
        return [c for c in Criterion.values if getattr(self, f"criterion_{c.lower()}")]

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(";") if t.strip()]

    @property
    def portal_url(self) -> str:
        if not self.portal_id:
            return ""
        return f"https://{settings.CTODP_PORTAL_DOMAIN}/d/{self.portal_id}"

    @property
    def has_privacy_flags(self) -> bool:
        return (
            self.has_unique_identifiers
            or self.has_quasi_identifiers
            or self.has_sensitive_attributes
        )


class ReviewComment(models.Model):
    """A reviewer's comment on an inventory, or on one of its datasets."""

    inventory = models.ForeignKey(Inventory, on_delete=models.CASCADE, related_name="comments")
    dataset = models.ForeignKey(
        Dataset, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.inventory}"


class InventoryImport(models.Model):
    """An uploaded spreadsheet: kept for the preview, the commit and the audit trail."""

    inventory = models.ForeignKey(Inventory, on_delete=models.CASCADE, related_name="imports")
    file = models.FileField(upload_to="inventory-imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    rows_created = models.PositiveIntegerField(default=0)
    rows_updated = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.original_name} → {self.inventory}"
