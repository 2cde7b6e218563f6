"""The portal adapter: the one way ctodp talks to the Socrata portal.

It wraps sodapy 2.2.0 (pinned: 3.x drops every publishing method) and adds what sodapy lacks
(SODA.md §1): a real timeout, retries with exponential backoff and jitter on 429, 5xx,
timeouts and dropped connections, `Retry-After`, chunked writes, and errors that say what
was being done, what the portal answered and how many attempts were made.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import IO, Any, TypeVar

import requests
from sodapy import Socrata

from .config import PortalSettings
from .errors import (
    PortalError,
    StillProcessingError,
    WriteResult,
    never_sent,
    portal_message,
    retry_after_seconds,
)

logger = logging.getLogger(__name__)


T = TypeVar("T")
CATALOG_PATH = "/api/catalog/v1"
CATALOG_WINDOW = 10_000  # the catalog refuses offset + limit beyond this (SODA.md §3)
Rows = list[dict[str, Any]] | IO[Any]


class PortalClient:
    """sodapy with timeouts, retries and readable errors. One instance per task or request."""

    def __init__(
        self,
        config: PortalSettings | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.config = config or PortalSettings.from_django()
        self.config.validate()
        self._sleep = sleep  # injectable so that retry tests do not wait
        self._jitter = jitter
        self.socrata = self._connect()

    def _connect(self) -> Socrata:
        config = self.config
        adapter = None
        if config.scheme == "http":
            # sodapy's only way to use plain http (SODA.md §1); validate() allows it on loopback.
            adapter = {"prefix": "http://", "adapter": requests.adapters.HTTPAdapter()}
        return Socrata(
            config.domain,
            config.app_token or None,
            username=config.username or None,
            password=config.password or None,
            access_token=config.oauth_token or None,
            session_adapter=adapter,
            timeout=config.timeout,
        )

    def close(self) -> None:
        self.socrata.close()

    def __enter__(self) -> PortalClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- retries -------------------------------------------------------------------------

    def _call(
        self,
        action: str,
        operation: Callable[[Socrata], T],
        *,
        idempotent: bool = True,
        lost: list[int] | None = None,
    ) -> T:
        """Run one sodapy call, retrying transient failures with backoff and jitter.

        Non-idempotent calls (creating a dataset) are retried only when the portal cannot have
        acted on them: throttling, or a connection that never opened. `lost`, when given, gets
        one element per try the portal may have applied without saying so (ADR 0023).
        """
        attempt = 0
        while True:
            attempt += 1
            try:
                result = operation(self.socrata)
                if isinstance(result, dict) and "ticket" in result and "id" not in result:
                    raise StillProcessingError(str(result.get("ticket")))
                return result
            except Exception as exc:  # every failure becomes a PortalError
                error = self._error(action, exc, attempt, idempotent)
                cause = exc
            if lost is not None:
                if error.maybe_applied:
                    lost.append(attempt)
                error.lost_tries = len(lost)
            wait = self._wait(attempt, error.retry_after) if error.retryable else None
            if wait is None or attempt > self.config.retries:
                raise error from cause
            logger.warning("%s; retrying in %.2f s", error, wait)
            self._sleep(wait)

    def _error(self, action: str, exc: Exception, attempts: int, idempotent: bool) -> PortalError:
        if isinstance(exc, requests.HTTPError) and exc.response is not None:
            response = exc.response
            status = response.status_code
            retryable = status == 429 or (idempotent and status >= 500)
            return PortalError(
                action,
                status=status,
                detail=response.reason,
                portal_message=portal_message(response),
                attempts=attempts,
                retryable=retryable,
                retry_after=retry_after_seconds(response),
                transient=status == 429 or status >= 500,
                maybe_applied=status >= 500,
            )
        if isinstance(exc, requests.Timeout | requests.ConnectionError):
            kind = "timed out" if isinstance(exc, requests.Timeout) else "connection failed"
            retryable = idempotent or never_sent(exc)
            detail = f"{kind} ({type(exc).__name__})"
            return PortalError(
                action,
                detail=detail,
                attempts=attempts,
                retryable=retryable,
                transient=True,
                maybe_applied=not never_sent(exc),
            )
        if isinstance(exc, StillProcessingError):
            detail = f"the portal is still processing (ticket {exc})"
            return PortalError(action, status=202, detail=detail, attempts=attempts, retryable=True)
        detail = f"unexpected answer ({type(exc).__name__}: {exc})"
        return PortalError(action, detail=detail, attempts=attempts)

    def _wait(self, attempt: int, retry_after: float | None) -> float | None:
        """Seconds to wait before the next attempt, or None to give up now."""
        ceiling = min(self.config.backoff_max, self.config.backoff_base * 2 ** (attempt - 1))
        # "Equal jitter": at least half the ceiling, so waits still grow; never all at once.
        backoff = ceiling / 2 + self._jitter() * ceiling / 2
        if retry_after is None:
            return backoff
        if retry_after > self.config.max_retry_after:
            return None  # too long to hold a worker; the caller reschedules instead
        return max(retry_after, backoff)

    # --- datasets and metadata -----------------------------------------------------------

    def create_dataset(
        self,
        name: str,
        *,
        columns: list[dict[str, str]],
        description: str = "",
        category: str | None = None,
        tags: list[str] | None = None,
        row_identifier: str | None = None,
        attribution: str | None = None,
        license_id: str | None = None,
        custom_fields: dict[str, dict[str, str]] | None = None,
    ) -> dict[str, Any]:
        """Create an unpublished, private dataset and return its view (its id is `["id"]`)."""
        metadata: dict[str, Any] = {}
        if row_identifier:
            metadata["rowIdentifier"] = row_identifier
        if custom_fields:
            metadata["custom_fields"] = custom_fields
        fields = {
            "description": description,
            "columns": columns,
            "category": category,
            "tags": tags,
            "attribution": attribution,
            "licenseId": license_id,
            "metadata": metadata or None,
        }
        # sodapy drops None values; `metadata` is passed whole so custom fields survive.
        return self._call(
            f"create dataset {name!r}",
            lambda client: client.create(name, **fields),
            idempotent=False,
        )

    def get_metadata(self, dataset_id: str) -> dict[str, Any]:
        return self._call(f"read metadata of {dataset_id}", lambda c: c.get_metadata(dataset_id))

    def update_metadata(self, dataset_id: str, fields: dict[str, Any]) -> dict[str, Any]:
        return self._call(
            f"update metadata of {dataset_id}", lambda c: c.update_metadata(dataset_id, fields)
        )

    def update_column(self, dataset_id: str, column_id: int, fields: dict[str, str]) -> None:
        """A column's name or description (SODA's column endpoint; sodapy has no method)."""
        path = f"/api/views/{dataset_id}/columns/{column_id}.json"
        self._call(
            f"update column {column_id} of {dataset_id}",
            lambda c: c._perform_request("put", path, data=json.dumps(fields)),
        )

    def publish(self, dataset_id: str) -> dict[str, Any]:
        return self._call(f"publish {dataset_id}", lambda c: c.publish(dataset_id))

    def set_public(self, dataset_id: str, public: bool) -> None:
        permission = "public" if public else "private"
        self._call(
            f"make {dataset_id} {permission}", lambda c: c.set_permission(dataset_id, permission)
        )

    def delete_dataset(self, dataset_id: str) -> None:
        self._delete(f"delete dataset {dataset_id}", lambda c: c.delete(dataset_id))

    def _delete(self, action: str, operation: Callable[[Socrata], Any]) -> None:
        try:
            self._call(action, operation)
        except PortalError as error:
            # A retried delete whose first answer was lost finds nothing left: that is success.
            if not (error.status == 404 and error.attempts > 1):
                raise

    def create_working_copy(self, dataset_id: str) -> dict[str, Any]:
        """A working copy (needed for schema changes); publishing it replaces the original."""
        path = f"/api/views/{dataset_id}/publication.json"
        return self._call(
            f"create a working copy of {dataset_id}",
            lambda c: c._perform_request("post", path, params={"method": "copy"}),
            idempotent=False,
        )

    # --- rows ----------------------------------------------------------------------------

    def upsert(self, dataset_id: str, rows: Iterable[dict[str, Any]] | IO[Any]) -> WriteResult:
        """Upsert in chunks of SOCRATA_CHUNK_SIZE rows; each chunk is retried on its own.

        Retrying is safe because upserts by row identifier are idempotent; a dataset without
        a row identifier appends, so a retried chunk there may be written twice.
        """
        if hasattr(rows, "read"):
            return self._write("upsert", dataset_id, rows, 1)
        total = WriteResult()
        for number, chunk in enumerate(self._chunks(rows), start=1):
            total += self._write("upsert", dataset_id, chunk, number)
        return total

    def replace(self, dataset_id: str, rows: Iterable[dict[str, Any]] | IO[Any]) -> WriteResult:
        """Replace every row: the first chunk truncates (PUT), the others are upserted."""
        if hasattr(rows, "read"):
            return self._write("replace", dataset_id, rows, 1)
        chunks = self._chunks(rows)
        total = self._write("replace", dataset_id, next(chunks, []), 1)
        for number, chunk in enumerate(chunks, start=2):
            total += self._write("upsert", dataset_id, chunk, number)
        return total

    def _chunks(self, rows: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
        iterator = iter(rows)
        while chunk := list(islice(iterator, self.config.chunk_size)):
            yield chunk

    def _write(self, verb: str, dataset_id: str, payload: Rows, number: int) -> WriteResult:
        action = f"{verb} chunk {number} into {dataset_id}"
        method = Socrata.upsert if verb == "upsert" else Socrata.replace

        def send(client: Socrata) -> Any:
            if hasattr(payload, "seek"):
                payload.seek(0)  # a retried file upload must start from its first byte again
            return method(client, dataset_id, payload)

        report = self._call(action, send)
        try:
            return WriteResult.from_report(report)
        except ValueError as exc:
            raise PortalError(action, detail=str(exc)) from None

    def write_json(
        self, verb: str, dataset_id: str, body: bytes, number: int = 1, *, idempotent: bool = True
    ) -> WriteResult:
        """Send one chunk already serialised as a JSON array ("upsert" POSTs, "replace" PUTs).

        The same request sodapy's upsert/replace make (a JSON body without a Content-Type),
        through the same session and retries; it spares a second `json.dumps` of the chunk when
        the caller serialised it already (publishing does, in a background thread). A POST to
        an asset without a row identifier appends: pass `idempotent=False`, so a chunk the
        portal may have applied is never sent twice.
        """
        action = f"{verb} chunk {number} into {dataset_id}"
        method = "post" if verb == "upsert" else "put"
        path = f"/resource/{dataset_id}.json"
        lost: list[int] = []  # tries whose answer never came: counted, never guessed (ADR 0023)
        report = self._call(
            action,
            lambda c: c._perform_request(method, path, data=body),
            idempotent=idempotent,
            lost=lost,
        )
        try:
            return WriteResult.from_report(report, lost_tries=len(lost))
        except ValueError as exc:
            raise PortalError(action, detail=str(exc), lost_tries=len(lost) + 1) from None

    def count_rows(self, dataset_id: str) -> int:
        """How many rows the asset holds (SoQL `count(*)`)."""
        page = self._call(
            f"count the rows of {dataset_id}",
            lambda c: c.get(dataset_id, select="count(*) AS n"),
        )
        return int(page[0]["n"]) if page else 0

    def iter_values(self, dataset_id: str, field: str, *, page_size: int = 10_000) -> Iterator[str]:
        """One column of every row (the row identifier, say), page by page."""
        for row in self.iter_rows(dataset_id, page_size=page_size, select=f"{field}, :id"):
            if row.get(field) is not None:
                yield row[field]

    def delete_row(self, dataset_id: str, row_id: str | int) -> None:
        # sodapy deletes the whole dataset when row_id is falsy ("" or 0): never let that through.
        row_id = str(row_id)
        if not row_id:
            raise ValueError("delete_row needs a row id; use delete_dataset to delete a dataset")
        self._delete(f"delete row {row_id} of {dataset_id}", lambda c: c.delete(dataset_id, row_id))

    def iter_rows(
        self, dataset_id: str, *, page_size: int = 1000, **query: Any
    ) -> Iterator[dict[str, Any]]:
        """Every row, page by page in `:id` order (stable paging); each page is retried."""
        offset = 0
        while True:
            page = self._call(
                f"read rows {offset}-{offset + page_size} of {dataset_id}",
                lambda c, start=offset: c.get(
                    dataset_id, order=":id", limit=page_size, offset=start, **query
                ),
            )
            yield from page
            if len(page) < page_size:
                return
            offset += page_size

    def get_rows(self, dataset_id: str, **query: Any) -> list[dict[str, Any]]:
        return list(self.iter_rows(dataset_id, **query))

    # --- discovery -----------------------------------------------------------------------

    def catalog(self, *, page_size: int = 1000, **filters: Any) -> list[dict[str, Any]]:
        """Every catalog result for the portal's domain, page by page.

        sodapy's `datasets()` neither retries pages nor stops on a short page, so the adapter
        pages itself and refuses to silently truncate past the catalog's 10,000-result window.
        """
        params = [("domains", self.config.domain)]
        for key, value in filters.items():
            values = value if isinstance(value, list | tuple) else [value]
            params.extend((key, str(item)) for item in values)
        results: list[dict[str, Any]] = []
        while True:
            limit = min(page_size, CATALOG_WINDOW - len(results))
            window = [("offset", len(results)), ("limit", limit)]
            page = self._call(
                f"read the catalog from {len(results)}",
                lambda c, p=params + window: c._perform_request("get", CATALOG_PATH, params=p),
            )
            results.extend(page["results"])
            if not page["results"] or len(results) >= page["resultSetSize"]:
                return results
            if len(results) >= CATALOG_WINDOW:
                raise PortalError(
                    "read the whole catalog",
                    detail=f"{page['resultSetSize']} results exceed the 10,000-result window",
                )
