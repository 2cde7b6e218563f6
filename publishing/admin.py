from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from publishing.models import PortalAsset, PortalSync, Publication, PublicationRun


class RunInline(admin.TabularInline):
    model = PublicationRun
    extra = 0
    can_delete = False
    fields = ["status", "rows_created", "rows_updated", "chunks_done", "created_at", "error"]
    readonly_fields = fields
    show_change_link = True


@admin.register(Publication)
class PublicationAdmin(SimpleHistoryAdmin):
    list_display = ["dataset", "agency", "portal_id", "mode", "visibility", "kind"]
    list_filter = ["mode", "visibility", "kind", "agency"]
    list_select_related = ["dataset", "agency"]
    search_fields = ["dataset__title", "portal_id"]
    raw_id_fields = ["dataset", "last_run"]
    inlines = [RunInline]


@admin.register(PublicationRun)
class PublicationRunAdmin(admin.ModelAdmin):
    list_display = ["pk", "publication", "status", "unchanged", "rows_created", "created_at"]
    list_filter = ["status", "unchanged"]
    list_select_related = ["publication__dataset"]
    raw_id_fields = ["publication", "requested_by"]


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
