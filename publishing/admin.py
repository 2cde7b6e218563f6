from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from publishing.models import Publication, PublicationRun, PublicationSchedule, SourceCheck


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
    raw_id_fields = ["dataset", "last_run", "source_check"]
    inlines = [RunInline]


@admin.register(PublicationRun)
class PublicationRunAdmin(admin.ModelAdmin):
    list_display = ["pk", "publication", "status", "unchanged", "rows_created", "created_at"]
    list_filter = ["status", "unchanged"]
    list_select_related = ["publication__dataset"]
    raw_id_fields = ["publication", "requested_by"]


@admin.register(PublicationSchedule)
class PublicationScheduleAdmin(SimpleHistoryAdmin):
    """Read only: schedules are set on the publication page, where the cron expression and the
    time zone are checked and the next run is computed (ADR 0008)."""

    list_display = ["publication", "kind", "time_zone", "next_run_at", "paused_at", "last_run"]
    list_filter = ["kind", ("paused_at", admin.EmptyFieldListFilter)]
    list_select_related = ["publication__dataset", "last_run"]
    search_fields = ["publication__dataset__title", "publication__portal_id"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SourceCheck)
class SourceCheckAdmin(admin.ModelAdmin):
    """Read only: a check is queued by attaching a URL or SQL source (ADR 0017)."""

    list_display = ["pk", "publication", "status", "columns_found", "created_at", "finished_at"]
    list_filter = ["status"]
    list_select_related = ["publication__dataset"]
    raw_id_fields = ["publication", "requested_by"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
