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
class CtodpUserAdmin(ObjectPermissionsModelAdmin, UserAdmin):
    list_filter = ["is_active", "groups", "memberships__role"]

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return []
        return ["is_superuser", "user_permissions", "last_login", "date_joined"]


admin.site.unregister(Group)


@admin.register(Group)
class CtodpGroupAdmin(ObjectPermissionsModelAdmin):
    search_fields = ["name"]
