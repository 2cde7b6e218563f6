"""What portal calls return when they go wrong (PortalError) or write rows (WriteResult)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import requests


class PortalError(Exception):
    """A portal call that failed. `transient`: the portal's trouble (throttling, 5xx, no
    answer), so trying later may succeed; `retryable`: the same call may also be sent again,
    which a call that is not idempotent may not be when the portal may have applied it."""

    def __init__(
        self,
        action: str,
        *,
        status: int | None = None,
        portal_message: str | None = None,
        detail: str | None = None,
        attempts: int = 1,
        retryable: bool = False,
        retry_after: float | None = None,
        transient: bool | None = None,
        maybe_applied: bool = False,
        lost_tries: int = 0,
    ) -> None:
        self.action = action
        self.status = status
        self.portal_message = portal_message
        self.detail = detail
        self.attempts = attempts
        self.retryable = retryable
        self.transient = retryable if transient is None else transient
        self.retry_after = retry_after
        # The portal may have applied the call without answering (no answer, a 5xx), and how
        # many tries of a row write went that way: their rows are counted as unknown.
        self.maybe_applied = maybe_applied
        self.lost_tries = lost_tries
        super().__init__(str(self))

    def __str__(self) -> str:
        what = f"HTTP {self.status}" if self.status else (self.detail or "no answer")
        if self.status and self.detail:
            what += f" {self.detail}"
        if self.portal_message:
            what += f": {self.portal_message}"
        tries = "attempt" if self.attempts == 1 else "attempts"
        kind = "transient" if self.transient else "permanent"
        return f"Could not {self.action} ({kind}, {self.attempts} {tries}): {what}"


@dataclass(frozen=True)
class WriteResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    errors: int = 0
    # Earlier tries of this write that got no answer (or a 5xx): the portal may have applied
    # them too. The counts above are only what the portal acknowledged.
    lost_tries: int = 0

    @classmethod
    def from_report(cls, report: Any, *, lost_tries: int = 0) -> WriteResult:
        """Read either the legacy six-key report or the per-row list (SODA.md §2)."""
        if isinstance(report, list):
            kinds = [entry.get("typ") for entry in report if isinstance(entry, dict)]
            counts = (kinds.count(kind) for kind in ("insert", "update", "delete", "error"))
            return cls(*counts, lost_tries=lost_tries)
        if not isinstance(report, dict) or "Rows Created" not in report:
            raise ValueError(f"unexpected write report from the portal: {report!r:.200}")
        return cls(
            created=int(report.get("Rows Created", 0)),
            updated=int(report.get("Rows Updated", 0)),
            deleted=int(report.get("Rows Deleted", 0)),
            errors=int(report.get("Errors", 0)),
            lost_tries=lost_tries,
        )

    def __add__(self, other: WriteResult) -> WriteResult:
        return WriteResult(
            self.created + other.created,
            self.updated + other.updated,
            self.deleted + other.deleted,
            self.errors + other.errors,
            self.lost_tries + other.lost_tries,
        )


class StillProcessingError(Exception):
    """The portal answered 202 with a ticket: the work is queued; ask again later."""


def portal_message(response: requests.Response | None) -> str | None:
    if response is None:
        return None
    try:
        body = response.json()
    except ValueError:
        return (response.text or "").strip()[:300] or None
    return body.get("message") if isinstance(body, dict) else None


def retry_after_seconds(response: requests.Response | None) -> float | None:
    """Retry-After in seconds, from either a number of seconds or an HTTP date."""
    value = response.headers.get("Retry-After") if response is not None else None
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def never_sent(exc: Exception) -> bool:
    """True when the request cannot have reached the portal (safe to retry anything)."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return type(reason).__name__ in ("NewConnectionError", "NameResolutionError")
