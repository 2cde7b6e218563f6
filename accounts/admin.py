from django.contrib import admin
from rules.contrib.admin import ObjectPermissionsModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from accounts import services
from accounts.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(ObjectPermissionsModelAdmin, SimpleHistoryAdmin):
    """Portal admins see every token (never its value) and revoke the ones that must stop, with
    the action (audited); nothing is edited by hand, so a revocation cannot be undone here."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "expires_at", "status"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter), "expires_at"]
    search_fields = ["name", "prefix", "user__username", "user__email"]
    list_select_related = ["user"]
    readonly_fields = [
        "user", "name", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at"
    ]  # fmt: skip
    fields = readonly_fields
    actions = ["revoke"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # a token is created by its owner, who alone sees its value

    @admin.action(description="Revoke the selected tokens", permissions=["change"])
    def revoke(self, request, queryset) -> None:
        for token in queryset.filter(revoked_at__isnull=True):
            services.token_revoke(token=token, acting_user=request.user)
        self.message_user(request, "The selected tokens are revoked.")
