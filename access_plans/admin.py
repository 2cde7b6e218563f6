"""The CDO's review in the Django admin: the plans list, a review page with the items inline,
and approve / request-changes actions that call the same services as the app."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from rules.contrib.admin import ObjectPermissionsModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from access_plans import selectors, services
from access_plans.models import (
    AccessPlan,
    PlanComment,
    PlanItem,
    PlanRecommendation,
    PlanVersion,
)


class NeedsPrivacyTreatmentFilter(admin.SimpleListFilter):
    title = "items needing a privacy treatment"
    parameter_name = "needs_privacy"

    def lookups(self, request, model_admin):
        return [("yes", "Yes"), ("no", "No")]

    def queryset(self, request, queryset):
        flagged = AccessPlan.objects.needing_privacy_treatment().values("pk")
        if self.value() == "yes":
            return queryset.filter(pk__in=flagged)
        if self.value() == "no":
            return queryset.exclude(pk__in=flagged)
        return queryset


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class PlanItemInline(ReadOnlyInline):
    model = PlanItem
    fields = [
        "dataset",
        "intent",
        "evaluation",
        "evaluation_justification",
        "priority",
        "privacy",
        "method",
        "target_date",
        "update_frequency",
        "owner",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("dataset", "owner")

    @admin.display(description="Evaluation")
    def evaluation(self, item: PlanItem) -> str:
        failed = item.failed_conditions
        return "All five conditions hold" if not failed else "Fails: " + "; ".join(failed)

    @admin.display(description="Privacy treatment")
    def privacy(self, item: PlanItem) -> str:
        if not item.privacy_treatment:
            return "Needed, none given" if item.dataset.has_privacy_flags else "—"
        detail = (
            item.aggregation_level
            or item.identifiers_removed
            or (f"threshold {item.suppression_threshold}" if item.suppression_threshold else "")
            or item.exception_justification
        )
        return f"{item.get_privacy_treatment_display()}: {detail}"


class PlanVersionInline(ReadOnlyInline):
    model = PlanVersion
    fields = ["number", "submitted_by", "submitted_at", "decision", "decided_by", "comment"]
    readonly_fields = fields


class PlanCommentInline(ReadOnlyInline):
    model = PlanComment
    fields = ["version", "item_title", "author", "text", "created_at"]
    readonly_fields = fields


class PlanRecommendationInline(ReadOnlyInline):
    """DAPA's comments and recommendations, for the CDO deciding (issue #16)."""

    model = PlanRecommendation
    verbose_name = "DAPA recommendation"
    fields = ["version", "author", "recommendation", "text", "created_at"]
    readonly_fields = fields


@admin.register(AccessPlan)
class AccessPlanAdmin(ObjectPermissionsModelAdmin, SimpleHistoryAdmin):
    list_display = ["agency", "year", "status", "version", "submitted_at", "reviewed_at"]
    list_filter = ["year", "status", "agency", NeedsPrivacyTreatmentFilter]
    search_fields = ["agency__name", "agency__acronym"]
    list_select_related = ["agency"]
    fields = [
        "agency",
        "year",
        "inventory",
        "status",
        "version",
        "submitted_by",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
        "review_comment",
        "changes",
    ]
    readonly_fields = fields
    inlines = [PlanItemInline, PlanRecommendationInline, PlanVersionInline, PlanCommentInline]
    actions = ["start_review", "approve", "request_changes"]

    def has_add_permission(self, request) -> bool:
        return False  # plans are built by agencies from their inventory

    @admin.display(description="Changes since the previous version")
    def changes(self, plan: AccessPlan) -> SafeString:
        version = plan.versions.filter(number=plan.version).first()
        if version is None:
            return SafeString("Not submitted yet.")
        diff = selectors.version_diff(version)
        return render_to_string("access_plans/_diff.html", {"diff": diff})

    def _report(self, request, plan, call, done: str) -> None:
        try:
            call()
        except ValidationError as error:
            self.message_user(request, f"{plan}: {error.messages[0]}", messages.ERROR)
        else:
            self.message_user(request, f"{plan}: {done}.", messages.SUCCESS)

    @admin.action(permissions=["change"], description="Take the selected plans into review")
    def start_review(self, request, queryset):
        for plan in queryset:
            self._report(
                request,
                plan,
                lambda p=plan: services.plan_start_review(plan=p, acting_user=request.user),
                "in review",
            )

    @admin.action(permissions=["change"], description="Approve the selected plans")
    def approve(self, request, queryset):
        for plan in queryset:
            self._report(
                request,
                plan,
                lambda p=plan: services.plan_approve(plan=p, acting_user=request.user),
                "approved",
            )

    @admin.action(
        permissions=["change"], description="Request changes to the selected plans, with a comment"
    )
    def request_changes(self, request, queryset):
        comment = request.POST.get("comment", "").strip()
        if "apply" not in request.POST or not comment:
            context = {
                **self.admin_site.each_context(request),
                "title": "Request changes to access plans",
                "cancel_url": request.get_full_path(),  # the list as it was, filters kept
                "plans": queryset.prefetch_related("items__dataset"),
                "opts": self.model._meta,
                "missing": "apply" in request.POST,
            }
            return render(request, "admin/access_plans/request_changes.html", context)
        for plan in queryset:
            notes = {item.pk: request.POST.get(f"note-{item.pk}", "") for item in plan.items.all()}
            self._report(
                request,
                plan,
                lambda p=plan, n=notes: services.plan_request_changes(
                    plan=p, comment=comment, item_comments=n, acting_user=request.user
                ),
                "changes requested",
            )
        return None
