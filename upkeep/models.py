"""Keeping published assets alive: what the portal's catalog lists (portal sync, ADR 0009) and
retiring an asset (Handbook "Data retirement", ADR 0010). The tables were publishing's before
the split and keep their names (ADR 0013)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from agencies.models import Agency
from inventories.models import Dataset, portal_id_validator
from publishing.models import RunStatus


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

    history = HistoricalRecords(
        excluded_fields=["claimed_at"], table_name="publishing_historicalretirement"
    )
    objects = RetirementQuerySet.as_manager()

    class Meta:
        db_table = "publishing_retirement"
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
        table_name="publishing_historicalportalasset",
        excluded_fields=[
            "name", "asset_type", "permalink", "owner_name", "attribution", "data_updated_at",
            "metadata_updated_at", "page_views", "page_views_last_month", "downloads",
            "last_seen_at",
        ]
    )  # fmt: skip
    objects = PortalAssetQuerySet.as_manager()

    class Meta:
        db_table = "publishing_portalasset"
        ordering = ["name", "portal_id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.portal_id})"


class Platform(models.TextChoices):
    OPEN_DATA = "", "CT Open Data Portal"
    GEO = "geo", "CT Geo Data Portal"


class PortalSync(models.Model):
    """One read of the portal's catalog: what it found, or why it failed."""

    platform = models.CharField(max_length=10, choices=Platform.choices, blank=True)
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
        db_table = "publishing_portalsync"
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"Portal sync {self.pk}: {self.status}"


# --- the CT Geo Data Portal (ADR 0029): its ArcGIS items, as the last Geo sync read them ----


class GeoItemQuerySet(models.QuerySet):
    def present(self) -> GeoItemQuerySet:
        return self.filter(missing_since__isnull=True)

    def unlisted(self) -> GeoItemQuerySet:
        """On the Geo Data Portal and in no inventory: the catalog is incomplete without them."""
        return self.present().filter(dataset__isnull=True)


class GeoItem(models.Model):
    """One item of the Geo Data Portal's ArcGIS organisation. An inventory dataset claims it by
    naming the item's id in its Geo Data Portal URL (the Hub page `/datasets/<id>`)."""

    item_id = models.CharField("item id", max_length=32, unique=True)
    title = models.CharField(max_length=500)
    item_type = models.CharField("type", max_length=100, blank=True)
    owner = models.CharField(max_length=200, blank=True)
    url = models.URLField("service URL", max_length=1000, blank=True)
    modified_at = models.DateTimeField("modified", null=True, blank=True)
    first_seen_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    missing_since = models.DateTimeField(null=True, blank=True)
    dataset = models.ForeignKey(
        Dataset, null=True, blank=True, on_delete=models.SET_NULL, related_name="geo_items"
    )

    objects = GeoItemQuerySet.as_manager()

    class Meta:
        ordering = ["title", "item_id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.item_id})"

    @property
    def page_url(self) -> str:
        """The item's page on the Hub site (its landing page)."""
        return f"{settings.CTODP_GEO_PORTAL_URL.rstrip('/')}/datasets/{self.item_id}"
