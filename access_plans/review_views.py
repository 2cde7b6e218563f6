"""Plan review in the app (the same services as the admin actions): the CDO decides; DAPA
analysts read the same page and record comments and recommendations for the CDO."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from access_plans import selectors, services
from access_plans.choices import PlanStatus
from access_plans.forms import ReviewForm
from access_plans.models import AccessPlan
from access_plans.review_forms import RecommendationForm
from agencies import permissions
from agencies.forms import add_service_errors


@login_required
@require_POST
def plan_start_review(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    plan = permissions.get_plan_for_user(request.user, slug, year, perm="access_plans.review_plan")
    try:
        services.plan_start_review(plan=plan, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("access_plans:review", slug, year)


@login_required
def plan_review(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    plan = permissions.get_plan_for_user(request.user, slug, year, perm="access_plans.see_review")
    if request.method == "POST" and not request.user.has_perm("access_plans.review_plan", plan):
        raise PermissionDenied  # DAPA recommends (plan_recommend); only the CDO decides
    items = list(selectors.plan_items(plan))
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        notes = {item.pk: request.POST.get(f"note-{item.pk}", "") for item in items}
        try:
            _decide(plan, form.cleaned_data, notes, request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            plan.refresh_from_db()
            messages.success(request, f"The {year} plan: {plan.get_status_display().lower()}.")
            return redirect(plan)
    return _render_review(request, plan, items, form, RecommendationForm())


@login_required
@require_POST
def plan_recommend(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    plan = permissions.get_plan_for_user(
        request.user, slug, year, perm="access_plans.recommend_plan"
    )
    form = RecommendationForm(request.POST)
    if form.is_valid():
        try:
            services.plan_recommend(plan=plan, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your comment is recorded for the Chief Data Officer.")
            return redirect("access_plans:review", slug, year)
    items = list(selectors.plan_items(plan))
    return _render_review(request, plan, items, ReviewForm(), form)


def _render_review(request, plan: AccessPlan, items, form, recommend_form) -> HttpResponse:
    version = plan.versions.filter(number=plan.version).first()
    context = {
        "plan": plan,
        "items": items,
        "form": form,
        "recommend_form": recommend_form,
        "may_decide": request.user.has_perm("access_plans.review_plan", plan),
        "may_recommend": request.user.has_perm("access_plans.recommend_plan", plan),
        "recommendations": plan.recommendations.filter(version__number=plan.version)
        .select_related("author")
        .order_by("created_at", "pk"),
        "version": version,
        "diff": selectors.version_diff(version) if version else None,
    }
    return render(request, "access_plans/review.html", context)


def _decide(plan, data: dict, notes: dict[int, str], user) -> None:
    if data["decision"] == "approve":
        services.plan_approve(plan=plan, comment=data["comment"], acting_user=user)
    else:
        services.plan_request_changes(
            plan=plan, comment=data["comment"], item_comments=notes, acting_user=user
        )


@login_required
@require_GET
def plan_metrics(request: HttpRequest) -> HttpResponse:
    """Plan vs actual across the agencies the user may see."""
    plans = permissions.visible_plans(request.user).order_by("-year", "agency__name")
    year = request.GET.get("year", "")
    if year.isdigit():
        plans = plans.filter(year=int(year))
    rows = selectors.figures_by_plan(plans.exclude(status=PlanStatus.DRAFT, version=0))
    return render(request, "access_plans/metrics.html", {"rows": rows, "year": year})
