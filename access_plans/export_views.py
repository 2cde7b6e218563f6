"""A plan as XLSX, and as a printable page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from access_plans import selectors
from access_plans.exporting import export_xlsx
from agencies import permissions

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def plan_xlsx(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    plan = permissions.get_plan_for_user(request.user, slug, year)
    response = HttpResponse(export_xlsx(plan, list(selectors.plan_items(plan))), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{slug}-{year}-access-plan.xlsx"'
    return response


@login_required
@require_GET
def plan_print(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    plan = permissions.get_plan_for_user(request.user, slug, year)
    items = list(selectors.plan_items(plan))
    return render(
        request,
        "access_plans/print.html",
        {"plan": plan, "items": items, "figures": selectors.figures_for(items)},
    )
