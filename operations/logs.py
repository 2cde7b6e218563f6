"""Structured logs (ADR 0024): every record carries the request id, the Celery task id and the
agency where known, as plain attributes (`ContextFilter`) that the JSON formatter writes out.

The request id comes from the `X-Request-ID` header when it looks like one (a proxy or load
balancer made it) or is made here, and goes back in the response; a task's id and agency are set
when the worker starts it and cleared when it ends.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from celery import signals
from django.http import HttpRequest, HttpResponse
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

current_request_id: ContextVar[str] = ContextVar("request_id", default="")
current_task_id: ContextVar[str] = ContextVar("task_id", default="")
current_agency: ContextVar[str] = ContextVar("agency", default="")

HEADER = "X-Request-ID"
# A proxy's id (a UUID, a hex string, an AWS trace id): short, and nothing a log reader trips on.
VALID_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:=+-]{0,127}$")


class ContextFilter(logging.Filter):
    """Adds request_id, task_id and agency to every record (empty when not known)."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Django logs a 4xx/5xx answer (django.request) after the middleware has returned, with
        # the request attached: its id is on the request.
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", "") or current_request_id.get()
        record.task_id = current_task_id.get()
        record.agency = getattr(request, "log_agency", "") or current_agency.get()
        return True


FIELDS = ["levelname", "name", "message", "request_id", "task_id", "agency"]


class JsonFormatter(_JsonFormatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, request_id,
    task_id, agency, and exc_info when there is one."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("fmt", FIELDS)
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", "time")
        super().__init__(*args, **kwargs)


def clean_request_id(value: str | None) -> str:
    """The caller's id if it is a plausible one, else a new one (never copied unchecked into
    logs: a header may carry anything)."""
    if value and VALID_ID.match(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """First in the chain: the id covers every log line of the request, and is echoed back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        value = clean_request_id(request.headers.get(HEADER))
        request.request_id = value
        tokens = (current_request_id.set(value), current_agency.set(""))
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(tokens[0])
            current_agency.reset(tokens[1])
        response[HEADER] = value
        return response

    def process_view(self, request: HttpRequest, view, args, kwargs) -> None:
        # Agency pages name their agency by `slug` in the URL (the dashboard's charts excepted:
        # their slug names a chart); other pages leave it empty.
        match = request.resolver_match
        if "slug" in kwargs and not (match and (match.url_name or "").startswith("chart-")):
            request.log_agency = str(kwargs["slug"])
            current_agency.set(request.log_agency)


def _task_started(task_id=None, task=None, args=None, **_) -> None:
    current_task_id.set(task_id or "")
    current_agency.set(_agency_of(getattr(task, "name", ""), args or ()))


def _task_ended(**_) -> None:
    current_task_id.set("")
    current_agency.set("")


def _agency_of(task_name: str, args: tuple) -> str:
    from publishing import routing

    try:
        return routing.agency_for(task_name, args) or ""
    except Exception:  # a log tag must never fail a task
        logging.getLogger(__name__).debug("no agency for %s", task_name, exc_info=True)
        return ""


def connect_task_signals() -> None:
    signals.task_prerun.connect(_task_started, weak=False, dispatch_uid="ctodp-log-task-start")
    signals.task_postrun.connect(_task_ended, weak=False, dispatch_uid="ctodp-log-task-end")
