"""The CT Geo Data Portal's search, as ArcGIS Online answers it: GET /sharing/rest/search.

The Geo Data Portal is an ArcGIS Hub site over an ArcGIS Online organisation; ctodp reads the
organisation's items through the sharing API (ADR 0029). Paging is ArcGIS's: `start` is
1-based, `num` at most 100, and `nextStart` is -1 on the last page. Only `q=orgid:…` or
`q=owner:…` (optionally with `access:public`) is understood; the answer lists the items that
`PUT /__sandbox__/geo/items` set, or the seeded ones below.
"""

from __future__ import annotations

import html
import re
import threading
from typing import Any

from .errors import SodaError, bad_request

ORG_ID = "sandboxGeoOrg"
MAX_NUM = 100
DAY_MS = 86_400_000
ITEM_ID = re.compile(r"^[0-9a-f]{32}$")
TERM = re.compile(r"(orgid|owner|access):(\S+)")
# (id, title, type, owner, age in days): the demo inventory (inventories/demo.py) names the
# first two by their Geo Data Portal URL, the second a stale annual layer; no inventory names
# the others.
SEED = [
    (
        "0a1b2c3d4e5f40718293a4b5c6d7e8f9",
        "State Road Centerlines",
        "Feature Service",
        "ctgeo_dot",
        3,
    ),
    ("1b2c3d4e5f60718293a4b5c6d7e8f90a", "Bridge Inspection Ratings", "Web Map", "ctgeo_dot", 450),
    ("2c3d4e5f60718293a4b5c6d7e8f90a1b", "State parks", "Feature Service", "ctgeo_deep", 10),
    ("3d4e5f60718293a4b5c6d7e8f90a1b2c", "Trail heads", "Web Map", "ctgeo_deep", 30),
]


class GeoItems:
    """The organisation's items; None until a test sets them: then the seed, dated from now."""

    def __init__(self) -> None:
        self._items: list[dict[str, Any]] | None = None
        self._lock = threading.Lock()

    def set(self, items: Any) -> list[dict[str, Any]]:
        if not isinstance(items, list) or not all(_valid(item) for item in items):
            raise bad_request("Geo items: a JSON list of objects with a 32-hex id and a title")
        with self._lock:
            self._items = [dict(item) for item in items]
            return list(self._items)

    def reset(self) -> None:
        with self._lock:
            self._items = None

    def all(self, now: float, domain: str) -> list[dict[str, Any]]:
        with self._lock:
            items = self._items
        if items is None:
            items = [_seeded(row, now, domain) for row in SEED]
        return [{**_defaults(item, domain), **item} for item in items]


def _valid(item: Any) -> bool:
    return (
        isinstance(item, dict) and bool(ITEM_ID.match(str(item.get("id", "")))) and "title" in item
    )


def _seeded(row: tuple, now: float, domain: str) -> dict[str, Any]:
    item_id, title, item_type, owner, age = row
    return {
        "id": item_id,
        "title": title,
        "type": item_type,
        "owner": owner,
        "modified": int(now * 1000) - age * DAY_MS,
        "tags": ["Connecticut"],
        "snippet": f"{title} in Connecticut (sandbox).",
    }


def _defaults(item: dict[str, Any], domain: str) -> dict[str, Any]:
    return {
        "orgId": ORG_ID,
        "owner": "ctgeo",
        "type": "Feature Service",
        "url": f"http://{domain}/arcgis/rest/services/{item['id']}/FeatureServer",
        "access": "public",
        "tags": [],
        "snippet": "",
        "modified": 0,
        "created": item.get("modified", 0),
    }


def _matches(item: dict[str, Any], terms: list[tuple[str, str]]) -> bool:
    for name, value in terms:
        key = {"orgid": "orgId"}.get(name, name)
        if str(item.get(key, "")).lower() != value.strip('"').lower():
            return False
    return True


def _int(params: dict[str, list[str]], name: str, default: int, low: int) -> int:
    raw = params.get(name, [str(default)])[-1]
    if not raw.isdigit() or int(raw) < low:
        raise SodaError(400, "invalid_request", f"'{name}' must be an integer >= {low}")
    return int(raw)


def search(items: list[dict[str, Any]], params: dict[str, list[str]]) -> dict[str, Any]:
    query = params.get("q", [""])[-1]
    terms = TERM.findall(query)
    if not terms:
        raise SodaError(400, "invalid_request", "'q' needs orgid:, owner: or access:")
    start, num = _int(params, "start", 1, 1), min(_int(params, "num", 10, 0), MAX_NUM)
    found = sorted((i for i in items if _matches(i, terms)), key=lambda i: i["id"])
    page = found[start - 1 : start - 1 + num]
    end = start - 1 + len(page)
    return {
        "query": query,
        "total": len(found),
        "start": start,
        "num": num,
        "nextStart": end + 1 if end < len(found) and page else -1,
        "results": page,
    }


def find(items: list[dict[str, Any]], item_id: str) -> dict[str, Any]:
    for item in items:
        if item["id"] == item_id:
            return item
    raise SodaError(404, "not_found", f"No Geo item {item_id}")


def page(item: dict[str, Any]) -> str:
    """A bare stand-in for the Hub's item page."""
    title = html.escape(str(item.get("title", "")))
    return (
        f'<!doctype html><html lang="en"><title>{title}</title><h1>{title}</h1>'
        f"<p>{html.escape(str(item.get('snippet', '')))}</p>"
        f"<p>Sandbox CT Geo Data Portal item {item['id']}.</p></html>"
    )
