"""The program dashboard and agency scorecards (staff; an agency sees its own scorecard)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from agencies import permissions
from agencies.models import Agency
from program import charts, data_requests, queues, scorecard, selectors, table
from program.exporting import table_response
from program.freshness import publication_states


def year_param(request: HttpRequest) -> int:
    value = request.GET.get("year", "")
    return (
        int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else selectors.default_year()
    )


def _require(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    _require(request, "program.view_dashboard")
    year = year_param(request)
    rows, shown, sort, dashboard_charts = _rows_and_charts(year, request.GET)
    context = {
        "year": year,
        "rows": shown,
        "all_count": len(rows),
        "totals": selectors.totals(shown),
        "sort": sort,
        "headers": table.headers(request.GET, sort),
        "inventory_filters": table.INVENTORY_FILTERS,
        "plan_filters": table.PLAN_FILTERS,
        "ado_filters": table.ADO_FILTERS,
        "params": request.GET,
        "query": request.GET.urlencode(),
        "filtered": len(shown) != len(rows),
        "charts": dashboard_charts,
    }
    return render(request, "program/dashboard.html", context)


def _rows_and_charts(
    year: int, params: QueryDict
) -> tuple[list[selectors.AgencyRow], list[selectors.AgencyRow], str, list[charts.Chart]]:
    """Every active agency's row, the rows the filters keep (sorted), and the charts drawn from
    the kept agencies only, so that a filtered table and its charts tell the same story."""
    now = timezone.now()  # one moment for the table and the charts: each state checked once
    states = publication_states()
    plan_results = selectors.dashboard_plan_figures(year)
    rows = selectors.dashboard_rows(year, Agency.objects.active(), states, plan_results, now)
    shown, sort = table.apply(list(rows), params)
    kept = {row.agency.pk for row in shown}
    kept_states = [state for state in states if state.agency_id in kept]
    kept_plans = [(plan, figures) for plan, figures in plan_results if plan.agency_id in kept]
    return (
        rows,
        shown,
        sort,
        [
            charts.filings_chart(shown),
            charts.published_chart(selectors.planned_vs_published_by_year(kept_plans)),
            charts.freshness_chart(shown, kept_states, now),
        ],
    )


@login_required
@require_GET
def chart_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """A chart's data table as CSV or XLSX, with the dashboard's filters applied."""
    _require(request, "program.view_dashboard")
    year = year_param(request)
    chart = {chart.slug: chart for chart in _rows_and_charts(year, request.GET)[3]}.get(slug)
    if chart is None:
        raise Http404("No such chart.")
    headers = [chart.label_header, *[name for name, _ in chart.series]]
    values = [[label, *figures] for label, figures in chart.table()]
    return table_response(fmt, f"chart-{slug}-{year}", headers, values)


@login_required
@require_GET
def dashboard_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The dashboard table as filtered and sorted on the page, with its totals row."""
    _require(request, "program.view_dashboard")
    year = year_param(request)
    rows, _ = table.apply(selectors.dashboard_rows(year), request.GET)
    total = selectors.totals(rows)
    values = [table.values(row) for row in rows]
    values.append(
        [
            f"Total: {total.agencies} agencies",
            f"{total.with_ado} with an ADO",
            f"{total.inventory_accepted} accepted",
            f"{total.plan_approved} approved",
            total.planned,
            total.published,
            total.stale,
            total.failing,
            total.retiring,
            total.completeness,
            None,
        ]
    )
    headers = [column.label for column in table.COLUMNS]
    return table_response(fmt, f"program-dashboard-{year}", headers, values)


@login_required
@require_GET
def agency_scorecard(request: HttpRequest, slug: str) -> HttpResponse:
    agency = permissions.get_agency_for_user(request.user, slug, perm="program.view_scorecard")
    year = year_param(request)
    card = scorecard.scorecard(agency, year)
    may_log = request.user.has_perm("program.log_datarequest", agency)
    context = {
        "agency": agency,
        "year": year,
        "card": card,
        "may_log_request": may_log,
        "may_designate": request.user.has_perm("agencies.designate_ado", agency),
        "may_apply_requests": card.row.inventory is not None
        and card.row.inventory.is_editable
        and bool(card.frequently_requested)
        and request.user.has_perm("inventories.edit_inventory", card.row.inventory),
        "frequent_threshold": data_requests.FREQUENT_THRESHOLD,
    }
    return render(request, "program/scorecard.html", context)


@login_required
@require_GET
def work_queues(request: HttpRequest) -> HttpResponse:
    _require(request, "program.view_dashboard")
    return render(request, "program/queues.html", {"queues": queues.all_queues()})
