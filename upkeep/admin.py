from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from upkeep.models import PortalAsset, PortalSync, Retirement


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
    list_display = ["pk", "started_at", "status", "trigger", "assets_read", "unclaimed", "error"]
    list_filter = ["status", "trigger"]
    readonly_fields = [field.name for field in PortalSync._meta.fields]
