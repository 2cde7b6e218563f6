"""The public list of retired portal assets (Handbook "Data retirement", ADR 0010):
/catalog/retired/ and /catalog/retired.csv, no sign-in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from catalog.conditional import public_read
from catalog.selectors import retirement_marks
from inventories.choices import AccessLevel
from inventories.spreadsheet import csv_stream, neutralise
from upkeep.models import Retirement, RetirementStatus


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
@public_read(retirement_marks)
def retired_csv(request: HttpRequest) -> StreamingHttpResponse:
    rows = (csv_row(retirement) for retirement in listed().iterator(chunk_size=2000))
    headers = [header for header, _, _ in RETIRED_COLUMNS]
    return csv_stream(headers, rows, "ct-retired-assets.csv")
