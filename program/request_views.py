"""The data requests log (ADO duty 4): per agency for its members, statewide for staff."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agencies import permissions
from program import data_requests, services
from program.exporting import table_response
from program.forms import DataRequestForm

HEADERS = ["Agency", "Received", "Requester", "Request", "Dataset", "Due", "Status", "Responded"]


def _export_rows(requests) -> list[list]:
    return [
        [
            r.agency.name,
            r.received_on,
            r.get_requester_type_display(),
            r.summary,
            r.dataset.title if r.dataset else "",
            r.due_date,
            r.get_status_display(),
            r.responded_on,
        ]
        for r in requests
    ]


def _log_context(requests) -> dict:
    return {
        "requests": list(data_requests.log_rows(requests)),
        "overdue": list(data_requests.overdue_requests(requests)),
        "median_days": data_requests.median_response_days(requests),
    }


@login_required
@require_GET
def statewide_log(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("program.view_dashboard"):
        raise PermissionDenied
    requests = permissions.visible_data_requests(request.user)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        rows = _export_rows(data_requests.log_rows(requests))
        return table_response(fmt, "data-requests", HEADERS, rows)
    return render(request, "program/requests.html", {"agency": None, **_log_context(requests)})


@login_required
@require_GET
def agency_log(request: HttpRequest, slug: str) -> HttpResponse:
    agency = permissions.get_agency_for_user(request.user, slug, perm="program.view_datarequest")
    requests = permissions.visible_data_requests(request.user).filter(agency=agency)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        rows = _export_rows(data_requests.log_rows(requests))
        return table_response(fmt, f"{slug}-data-requests", HEADERS, rows)
    context = {
        "agency": agency,
        "may_log": request.user.has_perm("program.log_datarequest", agency),
        **_log_context(requests),
    }
    return render(request, "program/requests.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest, slug: str) -> HttpResponse:
    agency = permissions.get_agency_for_user(request.user, slug, perm="program.log_datarequest")
    form = DataRequestForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        services.data_request_create(
            agency=agency, data=form.cleaned_data, acting_user=request.user
        )
        messages.success(request, "Data request logged.")
        return redirect("program:requests", slug=agency.slug)
    return render(request, "program/request_form.html", {"agency": agency, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def request_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    entry = permissions.get_data_request_for_user(request.user, pk, perm="program.log_datarequest")
    if entry.agency.slug != slug:
        raise permissions.Http404("No such data request.")
    form = DataRequestForm(request.POST or None, instance=entry, agency=entry.agency)
    if request.method == "POST" and form.is_valid():
        services.data_request_update(
            request=entry, data=form.cleaned_data, acting_user=request.user
        )
        messages.success(request, "Data request updated.")
        return redirect("program:requests", slug=slug)
    context = {"agency": entry.agency, "form": form, "entry": entry}
    return render(request, "program/request_form.html", context)


@login_required
@require_POST
def apply_to_inventory(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """Write the log's request counts into the agency's editable inventory for the year."""
    inventory = permissions.get_inventory_for_user(
        request.user, slug, year, perm="inventories.edit_inventory"
    )
    try:
        changed = services.apply_request_figures(inventory=inventory, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if changed:
            titles = ", ".join(dataset.title for dataset in changed)
            messages.success(request, f"Request figures updated for {len(changed)}: {titles}.")
        else:
            messages.info(request, "The inventory already matches the requests log.")
    return redirect(f"{reverse('program:scorecard', args=[slug])}?year={year}")
