"""schema.org JSON-LD for the catalog pages (ADR 0028): a `Dataset` on each dataset page and a
`DataCatalog` on /catalog/, so that ordinary search engines (Google Dataset Search among them)
find Connecticut's data from its own catalog.

Only what the catalog page itself shows is described: a non-public dataset gets no JSON-LD, a
restricted or retired one no licence and no download. The script tag is data, not code: the
browser never runs `application/ld+json`, so the CSP's script-src does not apply to it; `<`, `>`
and `&` are escaped so a title cannot close the tag.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from catalog import dcat
from inventories.choices import AccessLevel
from inventories.models import Dataset

CONTEXT = "https://schema.org"
CATALOG_NAME = "CT Data Catalog"
CATALOG_DESCRIPTION = (
    "The high-value data each Connecticut agency holds, as listed in its annual inventory "
    "(CGS §4-67p) and accepted by the Chief Data Officer."
)
# The characters that could end a <script> element or start an HTML entity, as JSON escapes.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def absolute(path: str) -> str:
    return f"{settings.CTODP_PUBLIC_BASE_URL.rstrip('/')}{path}"


def dataset_url(dataset: Dataset) -> str:
    return absolute(reverse("catalog:dataset", args=[dataset.uid]))


def _retired(dataset: Dataset) -> bool:
    return getattr(dataset, "retired_on", None) is not None


def describes(dataset: Dataset) -> bool:
    """A non-public dataset is listed by title only; nothing about it is offered to crawlers."""
    return dataset.access_level != AccessLevel.NON_PUBLIC


def dataset_ld(dataset: Dataset) -> dict[str, Any]:
    public = dataset.access_level == AccessLevel.PUBLIC and not _retired(dataset)
    entry: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "Dataset",
        "name": dataset.title,
        "description": dataset.description.strip() or dcat.NO_DESCRIPTION,
        "url": dataset_url(dataset),
        "identifier": str(dataset.uid),
        "keywords": dataset.tag_list or None,
        "license": dcat.DEFAULT_LICENSE if public else None,
        "isAccessibleForFree": True if public else None,
        "publisher": {
            "@type": "GovernmentOrganization",
            "name": dataset.agency.portal_attribution,
        },
        "temporalCoverage": dcat.temporal(dataset.temporal_coverage),
        "spatialCoverage": _place(dataset),
        "distribution": _distribution(dataset) if public else None,
        "dateModified": dataset.updated_at.date().isoformat(),
        "includedInDataCatalog": {
            "@type": "DataCatalog",
            "name": CATALOG_NAME,
            "url": absolute(reverse("catalog:index")),
        },
    }
    return {name: value for name, value in entry.items() if value is not None}


def _place(dataset: Dataset) -> dict[str, str] | None:
    name = dcat.spatial(dataset)
    return {"@type": "Place", "name": name} if name else None


def _distribution(dataset: Dataset) -> list[dict[str, str]] | None:
    downloads = dcat.distribution(dataset) or []
    return [
        {
            "@type": "DataDownload",
            "contentUrl": download["downloadURL"],
            "encodingFormat": download["mediaType"],
        }
        for download in downloads
    ] or None


def catalog_ld(datasets: Iterable[Dataset]) -> dict[str, Any]:
    """The catalog, with the datasets of the page it is on (the others are on theirs)."""
    return {
        "@context": CONTEXT,
        "@type": "DataCatalog",
        "name": CATALOG_NAME,
        "description": CATALOG_DESCRIPTION,
        "url": absolute(reverse("catalog:index")),
        "publisher": {"@type": "GovernmentOrganization", "name": "State of Connecticut"},
        "dataset": [
            {"@type": "Dataset", "name": dataset.title, "url": dataset_url(dataset)}
            for dataset in datasets
            if describes(dataset)
        ],
    }


def script_body(data: dict[str, Any]) -> SafeString:
    """The JSON for inside a <script type="application/ld+json"> element."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES))  # noqa: S308
