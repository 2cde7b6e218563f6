"""Fault injection, the request log and the sandbox clock: the knobs reliability tests turn.

A fault matches the next `count` requests whose path starts with `path_prefix` (and whose
method matches, when given). It can delay the answer, answer with an error status (with
`Retry-After` when asked), or drop the connection without answering. With `after: true` the
request is processed first and only then fails, which is how a lost response is simulated:
the portal applied the write but the client never heard about it.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import asdict, dataclass
from typing import Any

from .errors import bad_request

LOG_SIZE = 5000


@dataclass
class Fault:
    status: int | None = None
    count: int = 1
    retry_after: float | None = None
    delay: float = 0.0
    drop: bool = False
    after: bool = False
    path_prefix: str = "/"
    method: str | None = None
    message: str | None = None

    @classmethod
    def from_json(cls, data: Any) -> Fault:
        if not isinstance(data, dict):
            raise bad_request("A fault must be a JSON object")
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise bad_request(f"Unknown fault fields: {sorted(unknown)}")
        try:
            fault = cls(**data)
        except TypeError as exc:
            raise bad_request(str(exc)) from None
        fault.validate()
        return fault

    def validate(self) -> None:
        if self.status is None and not self.drop and not self.delay:
            raise bad_request("A fault needs a status, a delay or drop: true")
        if self.status is not None and not (
            isinstance(self.status, int) and 200 <= self.status < 600
        ):
            raise bad_request("status must be an HTTP status code")
        if not isinstance(self.count, int) or self.count < 1:
            raise bad_request("count must be a positive integer")
        if not isinstance(self.delay, int | float) or self.delay < 0:
            raise bad_request("delay must be a non-negative number of seconds")
        if self.method:
            self.method = self.method.upper()

    def matches(self, method: str, path: str) -> bool:
        return path.startswith(self.path_prefix) and self.method in (None, method)


class FaultInjector:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def pending(self) -> list[dict[str, Any]]:
        with self._lock:
            return [asdict(fault) for fault in self._faults]

    def take(self, method: str, path: str) -> Fault | None:
        """The first fault matching this request, used up by one (faults fire in order)."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.count -= 1
                    if fault.count == 0:
                        self._faults.remove(fault)
                    return fault
        return None


class RequestLog:
    """Every portal request seen (not the /__sandbox__ ones), newest last, capped in size."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: deque[dict[str, Any]] = deque(maxlen=LOG_SIZE)
        self.count = 0

    def record(
        self, method: str, path: str, status: int, fault: bool, content_type: str | None
    ) -> None:
        entry = {
            "method": method,
            "path": path,
            "status": status,
            "fault": fault,
            "content_type": content_type,
        }
        with self._lock:
            self.count += 1
            self._entries.append(entry)

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {"count": self.count, "requests": list(self._entries)}

    def clear(self) -> None:
        with self._lock:
            self.count = 0
            self._entries.clear()


class Clock:
    """Wall-clock time plus an offset tests can advance, to tell timestamps apart."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._offset += seconds

    def reset(self) -> None:
        with self._lock:
            self._offset = 0.0


WRITE_COUNTS = ("created", "updated", "deleted", "truncated", "errors", "unacknowledged_rows")


class WriteTally:
    """Per view, what row writes the portal acknowledged (the counts of the reports it sent,
    plus the rows a replace truncated, which Socrata's report leaves out) and how many rows it
    was sent in writes it answered with a 5xx or not at all, applied or not: a client's honest
    counters equal these (ADR 0023)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._views: dict[str, dict[str, int]] = {}

    def _view(self, view_id: str) -> dict[str, int]:
        return self._views.setdefault(view_id, dict.fromkeys(WRITE_COUNTS, 0))

    def acknowledged(self, view_id: str, report: dict[str, int], truncated: int) -> None:
        with self._lock:
            counts = self._view(view_id)
            counts["created"] += report.get("Rows Created", 0)
            counts["updated"] += report.get("Rows Updated", 0)
            counts["deleted"] += report.get("Rows Deleted", 0)
            counts["errors"] += report.get("Errors", 0)
            counts["truncated"] += truncated

    def unanswered(self, view_id: str, rows: int) -> None:
        with self._lock:
            self._view(view_id)["unacknowledged_rows"] += rows

    def snapshot(self) -> dict[str, dict[str, int]]:
        with self._lock:
            return {view_id: dict(counts) for view_id, counts in self._views.items()}

    def clear(self) -> None:
        with self._lock:
            self._views.clear()
