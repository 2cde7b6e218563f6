"""The public CT Data Catalog (/catalog/, /catalog.csv) and /data.json: no sign-in needed.

Only accepted inventories are listed. A non-public dataset shows its title, agency, access level
and reason, nothing else (CATALOG_COLUMNS marks what it may show).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from catalog import dcat, jsonld, selectors
from catalog.conditional import PUBLIC_MAX_AGE, public_read
from catalog.filters import CatalogFilter
from inventories.choices import AccessLevel
from inventories.models import Dataset
from inventories.spreadsheet import csv_stream, neutralise

PAGE_SIZE = 100
# Signed-in parts of the site, named in robots.txt so crawlers do not queue their login redirects.
PRIVATE_PREFIXES = ["accounts", "admin", "agencies", "api", "dashboard", "inventories", "plans"]
PRIVATE_PREFIXES += ["publishing", "reminders", "sharing", "catalog/requests"]


def _retired(dataset: Dataset) -> bool:
    """Its portal asset was retired (made private): see /catalog/retired/ (ADR 0010)."""
    return getattr(dataset, "retired_on", None) is not None


def _availability(dataset: Dataset) -> str:
    if _retired(dataset):
        return f"Retired from the portal on {timezone.localdate(dataset.retired_on).isoformat()}"
    return dataset.get_availability_display()


# (header, how to read it, shown for non-public datasets). Read only PUBLIC_FIELDS (selectors).
CATALOG_COLUMNS: list[tuple[str, Callable[[Dataset], Any], bool]] = [
    ("Agency", lambda d: d.agency.name, True),
    ("Inventory year", lambda d: d.inventory.year, True),
    ("Title", lambda d: d.title, True),
    ("Access level", lambda d: d.get_access_level_display(), True),
    ("Reason not public", lambda d: d.access_reason, True),
    ("Description", lambda d: d.description, False),
    ("Category", lambda d: d.category, False),
    ("Update frequency", lambda d: d.update_frequency, False),
    ("Temporal coverage", lambda d: d.temporal_coverage, False),
    ("Geographic unit", lambda d: d.geographic_unit, False),
    ("Tags", lambda d: "; ".join(d.tag_list), False),
    ("Available at", lambda d: _availability(d), False),
    ("Portal URL", lambda d: "" if _retired(d) else d.portal_url, False),
    ("Last updated", lambda d: d.updated_at.date().isoformat(), False),
]


def _filtered(request: HttpRequest) -> tuple[CatalogFilter, QuerySet[Dataset]]:
    """The filter and its rows; none when a filter value is unknown (e.g. an agency with no
    accepted inventory), rather than the whole catalog."""
    catalog_filter = CatalogFilter(request.GET, queryset=selectors.catalog_datasets())
    if not catalog_filter.is_valid():
        return catalog_filter, catalog_filter.queryset.none()
    return catalog_filter, catalog_filter.qs


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    catalog_filter, datasets = _filtered(request)
    page = Paginator(datasets, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": catalog_filter,
        "page": page,
        "sections": selectors.catalog_sections(datasets),
        "jsonld": jsonld.script_body(jsonld.catalog_ld(page.object_list)),
    }
    return render(request, "catalog/index.html", context)


@require_GET
def dataset_page(request: HttpRequest, uid) -> HttpResponse:
    """One data asset as its newest accepted inventory lists it (ADR 0028)."""
    dataset = selectors.catalog_dataset(uid)
    if dataset is None:
        raise Http404("No dataset with this identifier is in the catalog.")
    described = jsonld.describes(dataset)
    context = {
        "dataset": dataset,
        "withheld": not described,
        "jsonld": jsonld.script_body(jsonld.dataset_ld(dataset)) if described else "",
    }
    return render(request, "catalog/dataset.html", context)


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers may read the public side and are pointed at the sitemap; the rest needs a sign-in
    anyway, so it is kept out of their queues."""
    lines = ["User-agent: *", "Allow: /catalog/", "Allow: /data.json"]
    lines += [f"Disallow: /{prefix}/" for prefix in PRIVATE_PREFIXES]
    lines.append(f"Sitemap: {jsonld.absolute(reverse('catalog:sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def csv_row(dataset: Dataset) -> list[Any]:
    withheld = dataset.access_level == AccessLevel.NON_PUBLIC
    return [
        neutralise(read(dataset)) if shown or not withheld else ""
        for _, read, shown in CATALOG_COLUMNS
    ]


@require_GET
@public_read(selectors.catalog_marks)
def catalog_csv(request: HttpRequest) -> StreamingHttpResponse:
    _, datasets = _filtered(request)
    rows = (csv_row(dataset) for dataset in datasets.iterator(chunk_size=2000))
    headers = [header for header, _, _ in CATALOG_COLUMNS]
    return csv_stream(headers, rows, "ct-data-catalog.csv")


@require_GET
@public_read(selectors.data_json_marks)
def data_json(request: HttpRequest) -> HttpResponse:
    """The body is kept in the cache under its ETag, so a harvester without a validator costs
    the marks' query and a cache read; the ETag changes with any dataset, inventory, agency, ADO
    or retirement change. What the marks miss (a user's own email, the fallback contact) shows
    within PUBLIC_MAX_AGE, as with the HTTP cache (ADR 0025)."""
    key = f"catalog:data.json:{request.public_etag}"
    body = cache.get(key)
    if body is None:
        body = orjson.dumps(dcat.catalog(selectors.data_json_datasets()))
        cache.set(key, body, PUBLIC_MAX_AGE)
    return HttpResponse(body, content_type="application/json")
