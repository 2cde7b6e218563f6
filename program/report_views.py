"""The annual compliance report: printable HTML and XLSX, statewide (staff) and per agency."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from agencies import permissions
from agencies.models import Agency
from program import compliance
from program.exporting import table_response
from program.views import year_param


def _statewide(request: HttpRequest) -> tuple[int, list[compliance.ComplianceLine]]:
    if not request.user.has_perm("program.view_dashboard"):
        raise PermissionDenied
    year = year_param(request)
    return year, compliance.report(year)


def _agency(request: HttpRequest, slug: str) -> tuple[Agency, int, list]:
    agency = permissions.get_agency_for_user(request.user, slug, perm="program.view_compliance")
    year = year_param(request)
    return agency, year, compliance.report(year, Agency.objects.filter(pk=agency.pk))


def _render(request: HttpRequest, agency: Agency | None, year: int, lines: list) -> HttpResponse:
    context = {
        "agency": agency,
        "year": year,
        "lines": lines,
        "headers": compliance.HEADERS,
        "summary": compliance.summary(lines),
    }
    return render(request, "program/compliance.html", context)


@login_required
@require_GET
def statewide_report(request: HttpRequest) -> HttpResponse:
    year, lines = _statewide(request)
    return _render(request, None, year, lines)


@login_required
@require_GET
def statewide_xlsx(request: HttpRequest) -> HttpResponse:
    year, lines = _statewide(request)
    rows = [line.values() for line in lines]
    return table_response("xlsx", f"compliance-{year}", compliance.HEADERS, rows)


@login_required
@require_GET
def agency_report(request: HttpRequest, slug: str) -> HttpResponse:
    agency, year, lines = _agency(request, slug)
    return _render(request, agency, year, lines)


@login_required
@require_GET
def agency_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    _agency_obj, year, lines = _agency(request, slug)
    rows = [line.values() for line in lines]
    return table_response("xlsx", f"{slug}-compliance-{year}", compliance.HEADERS, rows)
