"""Access plan pages for agency users (build, submit, amend) and everyone who may see a plan."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from access_plans import selectors, services
from access_plans.choices import PlanStatus
from access_plans.forms import ItemStartForm, PlanItemForm, StartPlanForm, inventory_initial
from access_plans.models import AccessPlan, PlanItem
from agencies import permissions
from agencies.forms import add_service_errors
from inventories.selectors import with_this_years


@login_required
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = permissions.visible_plans(request.user).select_related("agency")
    status = request.GET.get("status", "")
    if status in PlanStatus.values:
        plans = plans.filter(status=status)
    mine = permissions.visible_agencies(request.user).filter(
        pk__in=list(permissions.agency_roles(request.user))
    )
    return render(
        request,
        "access_plans/list.html",
        {
            "plans": plans.order_by("-year", "agency__name"),
            "statuses": PlanStatus.choices,
            "status": status,
            "startable": with_this_years(
                [a for a in mine if request.user.has_perm("access_plans.start_plan", a)],
                AccessPlan.objects.all(),
            ),
            "start_form": StartPlanForm(initial={"year": timezone.localdate().year}),
        },
    )


@login_required
@require_POST
def plan_start(request: HttpRequest, slug: str) -> HttpResponse:
    agency = permissions.get_agency_for_user(request.user, slug, perm="access_plans.start_plan")
    form = StartPlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a year between 2014 and 2100.")
        return redirect("access_plans:list")
    try:
        plan = services.plan_start(
            agency=agency, year=form.cleaned_data["year"], acting_user=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("access_plans:list")
    messages.success(request, f"{plan} started from the {plan.inventory.year} inventory.")
    return redirect(plan)


def _abilities(user, plan: AccessPlan) -> dict[str, bool]:
    return {
        "may_edit": plan.is_editable and user.has_perm("access_plans.edit_plan", plan),
        "may_submit": plan.is_editable and user.has_perm("access_plans.submit_plan", plan),
        "may_review": plan.is_reviewable and user.has_perm("access_plans.see_review", plan),
        "may_amend": plan.status == PlanStatus.APPROVED
        and user.has_perm("access_plans.submit_plan", plan),
    }


@login_required
@require_GET
def plan_detail(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    plan = permissions.get_plan_for_user(request.user, slug, year)
    items = list(selectors.plan_items(plan).prefetch_related("comments"))
    versions = list(plan.versions.select_related("submitted_by", "decided_by"))
    context = {
        "plan": plan,
        "items": items,
        "figures": selectors.figures_for(items),
        "versions": versions,
        "latest_comments": plan.comments.filter(version__number=plan.version)
        .select_related("author")
        .order_by("item_title", "created_at"),
        **_abilities(request.user, plan),
    }
    return render(request, "access_plans/detail.html", context)


def _item_form_page(request, plan: AccessPlan, item: PlanItem | None = None) -> HttpResponse:
    if not plan.is_editable:
        messages.error(request, f"The {plan.year} access plan cannot be changed now.")
        return redirect(plan)
    if request.method == "POST":
        form = PlanItemForm(request.POST, instance=item, plan=plan)
    elif item is None:
        # A new item starts with its dataset and intent (a GET form: it works without
        # JavaScript); the item form then asks only what that intent needs.
        start = ItemStartForm(request.GET or None, plan=plan)
        if not start.is_valid():
            context = {"plan": plan, "start": start, "empty": not start["dataset"].field.queryset}
            return render(request, "access_plans/item_start.html", context)
        dataset, intent = start.cleaned_data["dataset"], start.cleaned_data["intent"]
        initial = {"dataset": dataset, "intent": intent, **inventory_initial(dataset)}
        form = PlanItemForm(initial=initial, plan=plan, dataset=dataset)
    else:
        form = PlanItemForm(instance=item, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            if item is None:
                item = services.item_create(
                    plan=plan,
                    dataset=form.cleaned_data["dataset"],
                    data=form.item_data(),
                    acting_user=request.user,
                )
            else:
                services.item_update(item=item, data=form.item_data(), acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Saved the plan item for “{item.dataset.title}”.")
            return redirect(plan)
    return render(
        request, "access_plans/item_form.html", {"plan": plan, "form": form, "item": item}
    )


@login_required
def item_create(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    plan = permissions.get_plan_for_user(request.user, slug, year, perm="access_plans.edit_plan")
    return _item_form_page(request, plan)


@login_required
def item_edit(request: HttpRequest, slug: str, year: int, pk: int) -> HttpResponse:
    plan = permissions.get_plan_for_user(request.user, slug, year, perm="access_plans.edit_plan")
    item = permissions.get_plan_item_for_user(request.user, plan, pk)
    return _item_form_page(request, plan, item)


@login_required
@require_GET
def item_detail(request: HttpRequest, slug: str, year: int, pk: int) -> HttpResponse:
    plan = permissions.get_plan_for_user(request.user, slug, year)
    item = permissions.get_plan_item_for_user(request.user, plan, pk)
    context = {
        "plan": plan,
        "item": item,
        "comments": item.comments.select_related("author", "version"),
        "history": selectors.item_history(item),
        **_abilities(request.user, plan),
    }
    return render(request, "access_plans/item_detail.html", context)


@login_required
@require_POST
def item_delete(request: HttpRequest, slug: str, year: int, pk: int) -> HttpResponse:
    plan = permissions.get_plan_for_user(request.user, slug, year, perm="access_plans.edit_plan")
    item = permissions.get_plan_item_for_user(request.user, plan, pk)
    try:
        services.item_delete(item=item, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Removed “{item.dataset.title}” from the plan.")
    return redirect(plan)


@login_required
@require_POST
def plan_submit(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    plan = permissions.get_plan_for_user(request.user, slug, year, perm="access_plans.submit_plan")
    try:
        version = services.plan_submit(plan=plan, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Version {version.number} was submitted for review.")
    return redirect(plan)


@login_required
@require_POST
def plan_amend(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    plan = permissions.get_plan_for_user(request.user, slug, year, perm="access_plans.submit_plan")
    try:
        services.plan_amend(plan=plan, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The plan is a draft again; submit it to record the amendment.")
    return redirect(plan)


@login_required
@require_GET
def version_detail(request: HttpRequest, slug: str, year: int, number: int) -> HttpResponse:
    plan = permissions.get_plan_for_user(request.user, slug, year)
    version = get_object_or_404(
        plan.versions.select_related("submitted_by", "decided_by"), number=number
    )
    context = {
        "plan": plan,
        "version": version,
        "diff": selectors.version_diff(version),
        "comments": version.comments.select_related("author").order_by("item_title"),
    }
    return render(request, "access_plans/version.html", context)
