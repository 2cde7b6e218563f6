"""The Discovery (catalog) API: GET /api/catalog/v1, answered from the views in storage."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from .errors import bad_request
from .storage import Storage, ViewRecord

DEFAULT_LIMIT = 100
# Usage figures live in the stored document under this key (set by POST /__sandbox__/assets/…);
# views.render_view strips it. The real portal counts them itself.
STATS_KEY = "_sandbox_stats"
PAGE_VIEW_KEYS = ("page_views_last_week", "page_views_last_month", "page_views_total")
MAX_WINDOW = 10_000
ORDER_KEYS: dict[str, Callable[[ViewRecord], Any]] = {
    "name": lambda view: view.doc.get("name", "").lower(),
    "createdat": lambda view: view.created_at,
    "updatedat": lambda view: max(view.data_updated_at, view.metadata_updated_at),
    "data_updated_at": lambda view: view.data_updated_at,
    "metadata_updated_at": lambda view: view.metadata_updated_at,
    "relevance": lambda view: view.created_at,
}


def asset_type(view: ViewRecord) -> str:
    return "file" if "blobId" in view.doc else "dataset"


def iso(epoch: float | None) -> str | None:
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def page_views(view: ViewRecord) -> dict[str, Any]:
    """The catalog's page_views object: counts and their log2(1 + n), as the real API sends."""
    stats = view.doc.get(STATS_KEY) or {}
    counts = {name: int(stats.get(name, 0)) for name in PAGE_VIEW_KEYS}
    logs = {f"{name}_log": math.log2(1 + count) for name, count in counts.items()}
    return {**counts, **logs}


def download_count(view: ViewRecord) -> int:
    return int((view.doc.get(STATS_KEY) or {}).get("download_count", 0))


def _integer(params: dict[str, list[str]], name: str, default: int) -> int:
    raw = params.get(name, [str(default)])[-1]
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value < 0:
        raise bad_request(f"{name} must be a non-negative integer, got {raw!r}")
    return value


def _matches(view: ViewRecord, params: dict[str, list[str]]) -> bool:
    doc = view.doc
    checks = [
        ("ids", lambda values: view.id in values),
        ("names", lambda values: doc.get("name") in values),
        ("categories", lambda values: doc.get("category") in values),
        ("tags", lambda values: bool(set(values) & set(doc.get("tags") or []))),
        ("only", lambda values: asset_type(view) in {v.lower().rstrip("s") for v in values}),
        ("published", lambda values: view.published == (values[-1].lower() == "true")),
        ("public", lambda values: view.public == (values[-1].lower() == "true")),
    ]
    if not all(check(params[name]) for name, check in checks if name in params):
        return False
    query = params.get("q", [""])[-1].lower()
    if query:
        words = [doc.get("name") or "", doc.get("description") or "", *(doc.get("tags") or [])]
        text = " ".join(words)
        return all(word in text.lower() for word in query.split())
    return True


def _sort(views: list[ViewRecord], order: str | None) -> list[ViewRecord]:
    if not order:
        return views
    words = order.split()
    key = ORDER_KEYS.get(words[0].lower())
    if key is None:
        raise bad_request(f"Cannot order by {words[0]!r}")
    descending = len(words) > 1 and words[1].upper() == "DESC"
    return sorted(views, key=key, reverse=descending)


def search(
    storage: Storage, params: dict[str, list[str]], domain: str, authenticated: bool
) -> dict[str, Any]:
    limit = _integer(params, "limit", DEFAULT_LIMIT)
    offset = _integer(params, "offset", 0)
    if limit > MAX_WINDOW or offset + limit > MAX_WINDOW:
        # The real API refuses deep pages and asks for scroll_id instead (SODA.md §3).
        raise bad_request("offset + limit must not exceed 10000; use scroll_id to page further")
    # Anonymous callers only see public, published assets; working copies are never listed.
    visible = [
        view
        for view in storage.list_views()
        if not view.copy_of and (authenticated or (view.public and view.published))
    ]
    found = _sort(
        [view for view in visible if _matches(view, params)], params.get("order", [None])[-1]
    )
    page = found[offset : offset + limit]
    return {
        "results": [result(view, domain) for view in page],
        "resultSetSize": len(found),
        "timings": {"serviceMillis": 0, "searchMillis": [0, 0]},
        "warnings": [],
    }


def result(view: ViewRecord, domain: str) -> dict[str, Any]:
    doc = view.doc
    columns = doc.get("columns", [])
    custom = doc.get("metadata", {}).get("custom_fields") or {}
    domain_metadata = [
        {"key": f"{fieldset}_{name}", "value": value}
        for fieldset, fields in custom.items()
        for name, value in fields.items()
    ]
    return {
        "resource": {
            "name": doc.get("name"),
            "id": view.id,
            "description": doc.get("description", ""),
            "attribution": doc.get("attribution"),
            "attribution_link": doc.get("attributionLink"),
            "type": asset_type(view),
            "updatedAt": iso(max(view.data_updated_at, view.metadata_updated_at)),
            "createdAt": iso(view.created_at),
            "metadata_updated_at": iso(view.metadata_updated_at),
            "data_updated_at": iso(view.data_updated_at),
            "publication_date": iso(view.publication_date),
            "page_views": page_views(view),
            "download_count": download_count(view),
            "columns_name": [column["name"] for column in columns],
            "columns_field_name": [column["fieldName"] for column in columns],
            "columns_datatype": [column["dataTypeName"] for column in columns],
        },
        "classification": {
            "categories": [],
            "tags": [],
            "domain_category": doc.get("category"),
            "domain_tags": doc.get("tags", []),
            "domain_metadata": domain_metadata,
        },
        "metadata": {"domain": domain, "license": doc.get("licenseId")},
        "permalink": f"https://{domain}/d/{view.id}",
        "link": f"https://{domain}/d/{view.id}",
        "owner": {"id": "sbox-user", "user_type": "interactive", "display_name": view.owner},
    }
