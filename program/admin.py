from django.contrib import admin

from program.models import DataRequest, ReminderSent


@admin.register(DataRequest)
class DataRequestAdmin(admin.ModelAdmin):
    list_display = ["received_on", "agency", "requester_type", "summary", "due_date", "status"]
    list_filter = ["status", "requester_type", "agency"]
    list_select_related = ["agency"]
    search_fields = ["summary"]
    raw_id_fields = ["dataset", "created_by"]
    date_hierarchy = "received_on"


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    """The log of reminders sent, for answering "did they get told?"; read-only."""

    list_display = ["sent_at", "user", "kind", "subject"]
    list_filter = ["kind"]
    list_select_related = ["user"]
    search_fields = ["subject", "user__username", "condition"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
