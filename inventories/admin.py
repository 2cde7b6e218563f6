from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from rules.contrib.admin import ObjectPermissionsModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from inventories import services
from inventories.models import Dataset, Inventory, InventoryImport, ReviewComment


class ReviewCommentInline(admin.TabularInline):
    model = ReviewComment
    extra = 0
    fields = ["dataset", "author", "text", "created_at"]
    readonly_fields = ["dataset", "author", "text", "created_at"]


@admin.register(Inventory)
class InventoryAdmin(ObjectPermissionsModelAdmin, SimpleHistoryAdmin):
    list_display = ["agency", "year", "status", "due_date", "submitted_at", "reviewed_at"]
    list_filter = ["year", "status", "agency__branch", "agency"]
    search_fields = ["agency__name", "agency__acronym"]
    list_select_related = ["agency"]
    readonly_fields = [
        "status",
        "submitted_by",
        "submitted_at",
        "attestation",
        "attested_name",
        "reviewed_by",
        "reviewed_at",
        "review_comment",
    ]
    inlines = [ReviewCommentInline]
    actions = ["accept", "return_with_comment"]

    @admin.action(description="Accept the selected submitted inventories")
    def accept(self, request, queryset):
        for inventory in queryset:
            try:
                services.inventory_accept(inventory=inventory, comment="", acting_user=request.user)
            except ValidationError as error:
                self.message_user(request, f"{inventory}: {error.messages[0]}", messages.ERROR)
            else:
                self.message_user(request, f"{inventory}: accepted.", messages.SUCCESS)

    @admin.action(description="Return the selected inventories with a comment")
    def return_with_comment(self, request, queryset):
        comment = request.POST.get("comment", "").strip()
        if "apply" not in request.POST or not comment:
            return render(
                request,
                "admin/inventories/return_comment.html",
                {
                    **self.admin_site.each_context(request),
                    "title": "Return inventories with a comment",
                    "cancel_url": request.get_full_path(),
                    "inventories": queryset,
                    "opts": self.model._meta,
                    "missing": "apply" in request.POST,
                },
            )
        for inventory in queryset:
            try:
                services.inventory_return(
                    inventory=inventory, comment=comment, acting_user=request.user
                )
            except ValidationError as error:
                self.message_user(request, f"{inventory}: {error.messages[0]}", messages.ERROR)
            else:
                self.message_user(request, f"{inventory}: returned.", messages.SUCCESS)
        return None


@admin.register(Dataset)
class DatasetAdmin(ObjectPermissionsModelAdmin, SimpleHistoryAdmin):
    list_display = ["title", "agency", "inventory", "access_level", "category", "availability"]
    list_filter = ["inventory__year", "access_level", "category", "availability", "agency"]
    search_fields = ["title", "description", "portal_id"]
    list_select_related = ["agency", "inventory"]
    readonly_fields = ["uid"]


@admin.register(InventoryImport)
class InventoryImportAdmin(ObjectPermissionsModelAdmin):
    list_display = ["original_name", "inventory", "uploaded_by", "uploaded_at", "committed_at"]
    list_filter = ["committed_at"]
