from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sharing.models import Agreement, ExpiryReminder


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    list_display = ["title", "status", "with_opm", "starts_on", "ends_on"]
    list_filter = ["status", "with_opm"]
    search_fields = ["title", "outside_parties"]
    filter_horizontal = ["parties", "datasets", "contributors"]


@admin.register(ExpiryReminder)
class ExpiryReminderAdmin(admin.ModelAdmin):
    list_display = ["agreement", "days_before", "ends_on", "sent_at"]
    readonly_fields = ["agreement", "days_before", "ends_on", "recipients", "sent_at"]
