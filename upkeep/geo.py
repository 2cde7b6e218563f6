"""The CT Geo Data Portal sync (ADR 0029): read its ArcGIS items, record them, link each to the
inventory dataset whose Geo Data Portal URL names it.

The portal is an ArcGIS Hub site over an ArcGIS Online organisation. Its items come from the
sharing API's search (`/sharing/rest/search?q=orgid:…&f=json`, paged with `start`/`num`/
`nextStart`), over plain `requests` with a timeout and retries on 429, 5xx, timeouts and dropped
connections, as the Socrata client does. Items no inventory names are the DAPA team's list;
items a later sync no longer lists are marked missing, not deleted.
"""

from __future__ import annotations

import datetime
import logging
import random
import re
import time
from collections.abc import Callable
from typing import Any

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from inventories.models import Dataset
from publishing.models import RunStatus
from upkeep.models import GeoItem, Platform, PortalSync

logger = logging.getLogger(__name__)

ITEM_ID = re.compile(r"(?<![0-9a-f])([0-9a-f]{32})(?![0-9a-f])")
TRANSIENT = {429, 500, 502, 503, 504}
FIELDS = ["title", "item_type", "owner", "url", "modified_at"]


class GeoPortalError(Exception):
    """The Geo Data Portal failed or answered something that is not a search result."""


def item_id_in(url: str) -> str | None:
    """The ArcGIS item id a Geo Data Portal URL names (`/datasets/<id>`, `?id=<id>`, `<id>_0`)."""
    found = ITEM_ID.search((url or "").lower())
    return found.group(1) if found else None


class GeoClient:
    """The sharing API's search, paged, with retries. `sleep` is injectable for tests."""

    def __init__(self, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.base = settings.CTODP_GEO_API_URL.rstrip("/")
        self._sleep = sleep
        self._session = requests.Session()

    def __enter__(self) -> GeoClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._session.close()

    def items(self, *, query: str, page_size: int) -> list[dict[str, Any]]:
        results: list[dict[str, Any]] = []
        start = 1
        while start > 0:
            page = self._get({"q": query, "f": "json", "start": start, "num": page_size})
            results.extend(r for r in page.get("results") or [] if isinstance(r, dict))
            next_start = page.get("nextStart", -1)
            start = next_start if isinstance(next_start, int) and next_start > start else -1
        return results

    def _get(self, params: dict[str, Any]) -> dict[str, Any]:
        url = f"{self.base}/sharing/rest/search"
        attempt = 0
        while True:
            response: requests.Response | None = None
            try:
                response = self._session.get(url, params=params, timeout=settings.CTODP_GEO_TIMEOUT)
            except (requests.ConnectionError, requests.Timeout) as error:
                if attempt >= settings.CTODP_GEO_RETRIES:
                    raise GeoPortalError(f"The Geo Data Portal did not answer: {error}") from error
            else:
                if response.status_code not in TRANSIENT or attempt >= settings.CTODP_GEO_RETRIES:
                    return _page(response)
            self._sleep(self._wait(attempt, response))
            attempt += 1

    def _wait(self, attempt: int, response: requests.Response | None) -> float:
        ceiling = min(settings.CTODP_GEO_BACKOFF_MAX, settings.CTODP_GEO_BACKOFF_BASE * 2**attempt)
        backoff = ceiling / 2 + random.random() * ceiling / 2  # noqa: S311 (jitter, not secrets)
        header = response.headers.get("Retry-After") if response is not None else None
        try:
            return max(float(header), backoff) if header else backoff
        except ValueError:
            return backoff


def _page(response: requests.Response) -> dict[str, Any]:
    """A search page; ArcGIS also reports errors in a 200 answer's `error` object."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.status_code != 200 or not isinstance(body, dict) or "error" in body:
        detail = (body or {}).get("error") if isinstance(body, dict) else None
        raise GeoPortalError(
            f"The Geo Data Portal's search answered HTTP {response.status_code}: "
            f"{detail or response.text[:200]}"
        )
    return body


def _moment(value: Any) -> datetime.datetime | None:
    if not isinstance(value, int | float) or value <= 0:
        return None
    return datetime.datetime.fromtimestamp(value / 1000, datetime.UTC)


def item_facts(result: dict[str, Any]) -> dict[str, Any] | None:
    item_id = str(result.get("id") or "").lower()
    if not ITEM_ID.fullmatch(item_id):
        return None
    return {
        "item_id": item_id,
        "title": str(result.get("title") or item_id)[:500],
        "item_type": str(result.get("type") or "")[:100],
        "owner": str(result.get("owner") or "")[:200],
        "url": str(result.get("url") or "")[:1000],
        "modified_at": _moment(result.get("modified")),
    }


def geo_claims() -> dict[str, int]:
    """{item id: dataset pk}: the newest inventory year's row naming the item wins."""
    claims: dict[str, int] = {}
    rows = (
        Dataset.objects.exclude(geo_portal_url="")
        .order_by("inventory__year", "pk")
        .values_list("geo_portal_url", "pk")
    )
    for url, dataset_id in rows:
        item_id = item_id_in(url)
        if item_id:
            claims[item_id] = dataset_id
    return claims


def _record(results: list[dict[str, Any]], now: datetime.datetime, run: PortalSync) -> None:
    facts = {f["item_id"]: f for f in map(item_facts, results) if f is not None}
    claims = geo_claims()
    known = {item.item_id: item for item in GeoItem.objects.all()}
    new = []
    for item_id, fields in facts.items():
        dataset_id = claims.get(item_id)
        item = known.get(item_id)
        if item is None:
            new.append(
                GeoItem(first_seen_at=now, last_seen_at=now, dataset_id=dataset_id, **fields)
            )
        else:
            GeoItem.objects.filter(pk=item.pk).update(
                last_seen_at=now, missing_since=None, dataset_id=dataset_id, **fields
            )
        run.linked += dataset_id is not None
        run.unclaimed += dataset_id is None
        run.newly_unclaimed += dataset_id is None and item is None
    GeoItem.objects.bulk_create(new, batch_size=500)
    gone = GeoItem.objects.filter(missing_since__isnull=True).exclude(item_id__in=list(facts))
    run.newly_missing = gone.update(missing_since=now)
    run.assets_read = len(facts)


def geo_sync(*, trigger: str = "", sleep: Callable[[float], None] = time.sleep) -> PortalSync:
    """Read every Geo item and record it. A portal error fails the sync record and is raised."""
    run = PortalSync.objects.create(platform=Platform.GEO, trigger=trigger)
    try:
        with GeoClient(sleep=sleep) as client:
            results = client.items(
                query=settings.CTODP_GEO_QUERY, page_size=settings.CTODP_GEO_PAGE_SIZE
            )
        with transaction.atomic():
            _record(results, timezone.now(), run)
            run.status, run.finished_at = RunStatus.SUCCEEDED, timezone.now()
            run.save()
    except Exception as error:  # the record must not stay "running"; the caller sees the error
        reason = (
            str(error) if isinstance(error, GeoPortalError) else f"{type(error).__name__}: {error}"
        )
        PortalSync.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, error=reason, finished_at=timezone.now()
        )
        raise
    logger.info(
        "Geo sync %s: %s items, %s in an inventory, %s in none, %s newly missing",
        run.pk, run.assets_read, run.linked, run.unclaimed, run.newly_missing,
    )  # fmt: skip
    return run
