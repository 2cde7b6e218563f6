from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from rules.contrib.admin import ObjectPermissionsModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from privacy import services as privacy_services
from privacy.models import PrivacyException, PrivacyScreen


@admin.register(PrivacyScreen)
class PrivacyScreenAdmin(ObjectPermissionsModelAdmin):
    """Read-only: screens are run from the publication page; here program staff browse them."""

    list_display = ["pk", "publication", "agency", "status", "verdict", "k", "finished_at"]
    list_filter = ["verdict", "status", ("publication__agency", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["publication__dataset", "publication__agency"]
    search_fields = ["publication__dataset__title", "source_label"]
    fields = [
        "publication",
        "status",
        "verdict",
        "k",
        "records_at_risk",
        "threshold",
        "quasi_identifiers",
        "source_label",
        "source_version",
        "rows_read",
        "requested_by",
        "created_at",
        "finished_at",
        "error",
        "report_view",
    ]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="Agency", ordering="publication__agency__name")
    def agency(self, screen: PrivacyScreen) -> str:
        return screen.publication.agency.name

    @admin.display(description="Report")
    def report_view(self, screen: PrivacyScreen) -> SafeString:
        return render_to_string("admin/privacy/_screen_report.html", {"screen": screen})


class ApprovedFilter(admin.SimpleListFilter):
    title = "approved"
    parameter_name = "approved"

    def lookups(self, request, model_admin):
        return [("yes", "Approved"), ("no", "Waiting for the CDO")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(approved_at__isnull=self.value() == "no")
        return queryset


@admin.register(PrivacyException)
class PrivacyExceptionAdmin(ObjectPermissionsModelAdmin, SimpleHistoryAdmin):
    """Requested from the screen's page; only the CDO approves (the same service, audited)."""

    list_display = ["pk", "publication", "screen", "requested_by", "approved_by", "approved_at"]
    list_filter = [ApprovedFilter, ("publication__agency", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["publication__dataset", "screen", "requested_by", "approved_by"]
    fields = [
        "publication",
        "screen",
        "justification",
        "requested_by",
        "requested_at",
        "approved_by",
        "approved_at",
    ]
    readonly_fields = fields
    actions = ["approve"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_approve_permission(self, request) -> bool:
        return request.user.has_perm(privacy_services.APPROVE)

    @admin.action(permissions=["approve"], description="Approve the selected exceptions (CDO)")
    def approve(self, request, queryset):
        for exception in queryset.select_related("publication"):
            try:
                privacy_services.exception_approve(exception=exception, acting_user=request.user)
            except (ValidationError, PermissionDenied) as error:
                reason = getattr(error, "messages", ["not allowed"])[0]
                self.message_user(request, f"{exception}: {reason}", messages.ERROR)
            else:
                self.message_user(request, f"{exception}: approved.", messages.SUCCESS)
