from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from upkeep.models import GeoItem, PortalAsset, PortalSync, Retirement


@admin.register(Retirement)
class RetirementAdmin(SimpleHistoryAdmin):
    """Read-only: retirements change through the publication page (the portal must follow)."""

    list_display = ["publication", "agency", "status", "criterion", "due_at", "made_private_at"]
    list_filter = ["status", "criterion", "agency"]
    list_select_related = ["publication__dataset", "agency"]
    search_fields = ["publication__dataset__title", "publication__portal_id"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PortalAsset)
class PortalAssetAdmin(SimpleHistoryAdmin):
    """Read-only: the sync writes assets; staff assign them on the unclaimed assets page."""

    list_display = ["portal_id", "name", "agency", "link", "data_updated_at", "missing_since"]
    list_filter = ["link", "asset_type", "agency"]
    list_select_related = ["agency"]
    search_fields = ["portal_id", "name"]
    readonly_fields = [field.name for field in PortalAsset._meta.fields]


@admin.register(PortalSync)
class PortalSyncAdmin(admin.ModelAdmin):
    list_display = [
        "pk", "started_at", "platform", "status", "trigger", "assets_read", "unclaimed", "error",
    ]  # fmt: skip
    list_filter = ["platform", "status", "trigger"]
    readonly_fields = [field.name for field in PortalSync._meta.fields]


@admin.register(GeoItem)
class GeoItemAdmin(admin.ModelAdmin):
    """Read-only: the Geo sync writes items (ADR 0029); an inventory's Geo URL links them."""

    list_display = ["item_id", "title", "item_type", "dataset", "modified_at", "missing_since"]
    list_filter = ["item_type"]
    list_select_related = ["dataset"]
    search_fields = ["item_id", "title"]
    readonly_fields = [field.name for field in GeoItem._meta.fields]
