"""Retirement pages: start and cancel on the publication page; the public list of retired
assets (/catalog/retired/ and its CSV, no sign-in)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from agencies import permissions
from agencies.forms import add_service_errors
from inventories.choices import AccessLevel
from inventories.spreadsheet import csv_stream, neutralise
from publishing import retirement_services, views
from publishing.forms import RetirementForm
from publishing.models import Retirement, RetirementStatus

PERM = retirement_services.PERM


@login_required
@require_POST
def retirement_start(request: HttpRequest, pk: int) -> HttpResponse:
    publication = permissions.get_publication_for_user(request.user, pk, perm=PERM)
    form = RetirementForm(request.POST)
    if form.is_valid():
        try:
            retirement_services.retirement_start(
                publication=publication, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Retirement started: the notice goes to the portal now.")
            return redirect(publication)
    context = views.detail_context(request, publication, retirement_form=form)
    return render(request, "publishing/detail.html", context, status=400)


@login_required
@require_POST
def retirement_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    retirement = Retirement.objects.filter(pk=pk).first()
    if retirement is None:
        raise Http404("No such retirement.")
    publication = permissions.get_publication_for_user(
        request.user, retirement.publication_id, perm=PERM
    )
    try:
        retirement_services.retirement_cancel(retirement=retirement, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Retirement cancelled: the original metadata goes back now.")
    return redirect(publication)


# --- the public list -----------------------------------------------------------------------


def listed() -> QuerySet[Retirement]:
    """Retirements the public sees: notice posted (mid-retirement) or retired, not cancelled."""
    return (
        Retirement.objects.filter(notice_posted_at__isnull=False, cancelled_at__isnull=True)
        .exclude(status=RetirementStatus.CANCELLED)
        .select_related("agency", "publication__dataset__inventory")
        .order_by(F("made_private_at").desc(nulls_last=True), "-notice_posted_at", "pk")
    )


def _withheld(retirement: Retirement) -> bool:
    return retirement.publication.dataset.access_level == AccessLevel.NON_PUBLIC


def _date(value) -> str:
    return timezone.localdate(value).isoformat() if value else ""


def _status(r: Retirement) -> str:
    if r.status == RetirementStatus.RETIRED:
        return "Retired"
    return f"Mid-retirement: to be made private on {_date(r.due_at)}"


# (header, how to read it, shown when the inventory now lists the dataset as non-public)
RETIRED_COLUMNS: list[tuple[str, Callable[[Retirement], Any], bool]] = [
    ("Title", lambda r: r.original_title or r.publication.dataset.title, True),
    ("Agency", lambda r: r.agency.name, True),
    ("Portal id", lambda r: r.publication.portal_id, True),
    ("Status", _status, True),
    ("Date made private", lambda r: _date(r.made_private_at), True),
    ("Notice posted", lambda r: _date(r.notice_posted_at), True),
    ("Criterion", lambda r: r.get_criterion_display(), True),
    ("Reason", lambda r: r.reason, True),
    ("Superseding asset", lambda r: r.superseding_url, True),
    ("Archived copy", lambda r: r.archive_url, True),
    ("Inventory year", lambda r: r.publication.dataset.inventory.year, True),
    ("Access level", lambda r: r.publication.dataset.get_access_level_display(), True),
    ("Description", lambda r: r.publication.dataset.description, False),
    ("Category", lambda r: r.publication.dataset.category, False),
    ("Update frequency", lambda r: r.publication.dataset.update_frequency, False),
    ("Temporal coverage", lambda r: r.publication.dataset.temporal_coverage, False),
    ("Geographic unit", lambda r: r.publication.dataset.geographic_unit, False),
    ("Tags", lambda r: "; ".join(r.publication.dataset.tag_list), False),
]


@require_GET
def retired_list(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/retired.html", {"retirements": listed()})


def csv_row(retirement: Retirement) -> list[Any]:
    withheld = _withheld(retirement)
    return [
        neutralise(read(retirement)) if shown or not withheld else ""
        for _, read, shown in RETIRED_COLUMNS
    ]


@require_GET
def retired_csv(request: HttpRequest) -> StreamingHttpResponse:
    rows = (csv_row(retirement) for retirement in listed().iterator(chunk_size=2000))
    headers = [header for header, _, _ in RETIRED_COLUMNS]
    return csv_stream(headers, rows, "ct-retired-assets.csv")
