from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, User
from rules.contrib.admin import ObjectPermissionsModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from agencies.models import Agency, Membership, Role


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "role", "title", "start_date", "end_date", "reason"]
    autocomplete_fields = ["user"]
    ordering = ["end_date", "role"]


class CurrentAdoFilter(admin.SimpleListFilter):
    title = "Agency Data Officer"
    parameter_name = "ado"

    def lookups(self, request, model_admin):
        return [("yes", "Designated"), ("no", "Not designated")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.without_ado()
        if self.value() == "yes":
            return queryset.exclude(pk__in=queryset.without_ado().values("pk"))
        return queryset


@admin.register(Agency)
class AgencyAdmin(ObjectPermissionsModelAdmin, SimpleHistoryAdmin):
    list_display = ["name", "acronym", "branch", "participation", "notice_date", "is_active"]
    list_filter = ["branch", "participation", "is_active", CurrentAdoFilter]
    search_fields = ["name", "acronym", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(ObjectPermissionsModelAdmin, SimpleHistoryAdmin):
    list_display = ["user", "agency", "role", "title", "start_date", "end_date"]
    list_filter = ["role", ("end_date", admin.EmptyFieldListFilter), "agency__branch"]
    search_fields = ["user__username", "user__email", "user__last_name", "agency__name"]
    autocomplete_fields = ["user", "agency"]
    list_select_related = ["user", "agency"]
    date_hierarchy = "start_date"

    def get_readonly_fields(self, request, obj=None):
        # An ADO designation is changed by designating a successor, which keeps the history.
        if obj is not None and obj.role == Role.ADO:
            return ["user", "agency", "role", "start_date"]
        return []


admin.site.unregister(User)


@admin.register(User)
class CtodpUserAdmin(ObjectPermissionsModelAdmin, SimpleHistoryAdmin, UserAdmin):
    """Portal administrators manage agency users; who may change which account is decided in
    agencies/permissions.py ("auth.change_user"). Staff groups and flags are granted by
    superusers only. Every change is in the account's history (accounts/models.py)."""

    list_filter = ["is_active", "groups", "memberships__role"]
    # Granting these makes someone program staff or more: superusers only (ADR 0016).
    SUPERUSER_ONLY = ["is_superuser", "is_staff", "groups", "user_permissions"]

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return []
        return [*self.SUPERUSER_ONLY, "last_login", "date_joined"]

    def log_change(self, request, obj, message):
        """The admin's own log says what changed (a new password too, which the account's
        history does not keep): write it on the history record the save just made."""
        entry = super().log_change(request, obj, message)
        latest = obj.history.order_by("-history_id").first()
        if entry is not None and latest is not None:
            reason = entry.get_change_message() or "Changed."
            type(latest).objects.filter(pk=latest.pk).update(history_change_reason=reason[:100])
        return entry


admin.site.unregister(Group)


@admin.register(Group)
class CtodpGroupAdmin(ObjectPermissionsModelAdmin, SimpleHistoryAdmin):
    search_fields = ["name"]
