"""The SODA2 endpoints sodapy 2.2.0 calls (SODA.md §1), as plain functions over a Request.

Routing, authentication and error bodies are shared; each endpoint is a short function.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from email.utils import formatdate
from typing import Any

from . import catalog, geo, rows, views
from .errors import SodaError, bad_request, dataset_missing, forbidden, not_logged_in, view_missing
from .faults import Clock, WriteTally
from .soql import build_query
from .storage import Storage, ViewRecord

JSON_TYPE = "application/json; charset=utf-8"
CSV_TYPE = "text/csv; charset=utf-8"


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: Message
    body: bytes
    user: str | None = None

    def param(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else None

    def json(self) -> Any:
        try:
            return json.loads(self.body.decode("utf-8-sig")) if self.body.strip() else None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise bad_request(f"The request body is not valid JSON: {exc}") from None

    def is_csv(self) -> bool:
        # sodapy sends JSON payloads with no Content-Type at all; only text/csv means CSV.
        return (self.headers.get("Content-Type") or "").lower().startswith("text/csv")


@dataclass
class Response:
    status: int = 200
    body: Any = None
    content_type: str = JSON_TYPE
    headers: dict[str, str] = field(default_factory=dict)
    truncated: int = 0  # rows a replace removed: for the write tally, never sent

    def encoded(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode("utf-8")
        return json.dumps(self.body, ensure_ascii=False).encode("utf-8")


@dataclass
class SandboxState:
    """Everything one sandbox portal holds; shared by the handler threads."""

    storage: Storage
    username: str
    password: str
    oauth_token: str | None = None
    domain: str = "127.0.0.1"
    clock: Clock = field(default_factory=Clock)
    tally: WriteTally = field(default_factory=WriteTally)
    geo: geo.GeoItems = field(default_factory=geo.GeoItems)


Handler = Callable[..., Response]
ROUTES: list[tuple[str, re.Pattern[str], Handler]] = []
VIEW_ID = r"(?P<view_id>[a-z0-9]{4}-[a-z0-9]{4})"


def route(method: str, pattern: str) -> Callable[[Handler], Handler]:
    def register(function: Handler) -> Handler:
        ROUTES.append((method, re.compile(f"^{pattern}$"), function))
        return function

    return register


def dispatch(state: SandboxState, request: Request) -> Response:
    allowed = []
    for method, pattern, function in ROUTES:
        match = pattern.match(request.path)
        if match and method == request.method:
            return function(state, request, **match.groupdict())
        if match:
            allowed.append(method)
    if allowed:
        raise SodaError(405, "method_not_allowed", f"{request.method} is not allowed here")
    raise SodaError(404, "not_found", f"No such endpoint: {request.path}")


# --- access ------------------------------------------------------------------------------


def require_user(request: Request) -> str:
    if request.user is None:
        raise not_logged_in()
    return request.user


def load_view(state: SandboxState, request: Request, view_id: str, *, resource: bool) -> ViewRecord:
    view = state.storage.get_view(view_id)
    if view is None:
        raise dataset_missing(view_id) if resource else view_missing(view_id)
    if request.user is None and not view.public:
        raise forbidden()  # private assets are only readable with credentials
    return view


# --- /api/views ------------------------------------------------------------------------------


@route("POST", r"/api/views\.json")
def create_view(state: SandboxState, request: Request) -> Response:
    user = require_user(request)
    new_backend = request.param("nbe") == "true"
    view = views.create_view(state.storage, request.json(), user, state.clock.now(), new_backend)
    return Response(body=views.render_view(view, view.owner))


@route("GET", rf"/api/views/{VIEW_ID}\.json")
def get_view(state: SandboxState, request: Request, view_id: str) -> Response:
    view = load_view(state, request, view_id, resource=False)
    return Response(body=views.render_view(view, view.owner))


@route("PUT", rf"/api/views/{VIEW_ID}\.json")
def update_view(state: SandboxState, request: Request, view_id: str) -> Response:
    require_user(request)
    view = load_view(state, request, view_id, resource=False)
    if request.param("method") == "setPermission":
        views.set_permission(state.storage, view, request.param("value"), state.clock.now())
        return Response()  # sodapy returns the bare Response for an empty body
    if request.param("method"):
        raise bad_request(f"Unknown method {request.param('method')!r}")
    view = views.update_view(state.storage, view, request.json(), state.clock.now())
    return Response(body=views.render_view(view, view.owner))


@route("PUT", rf"/api/views/{VIEW_ID}/columns/(?P<column_id>\d+)\.json")
def update_column(state: SandboxState, request: Request, view_id: str, column_id: str) -> Response:
    """Change a column's name or description (not its type: that needs a working copy)."""
    require_user(request)
    view = load_view(state, request, view_id, resource=False)
    column = views.update_column(state.storage, view, int(column_id), request.json())
    return Response(body=column)


@route("DELETE", rf"/api/views/{VIEW_ID}\.json")
def delete_view(state: SandboxState, request: Request, view_id: str) -> Response:
    require_user(request)
    load_view(state, request, view_id, resource=False)
    state.storage.delete_view(view_id)
    return Response()


@route("POST", rf"/api/views/{VIEW_ID}/publication\.json")
def publication(state: SandboxState, request: Request, view_id: str) -> Response:
    require_user(request)
    view = load_view(state, request, view_id, resource=False)
    if request.param("method") == "copy":
        view = views.make_working_copy(state.storage, view, state.clock.now())
    elif request.param("method"):
        raise bad_request(f"Unknown method {request.param('method')!r}")
    else:
        view = views.publish_view(state.storage, view, state.clock.now())
    return Response(body=views.render_view(view, view.owner))


# --- /resource ---------------------------------------------------------------------------


def _write_rows(state: SandboxState, request: Request, view_id: str, *, replace: bool) -> Response:
    require_user(request)
    view = load_view(state, request, view_id, resource=True)
    if request.is_csv():
        try:
            payload: Any = rows.parse_csv(request.body.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise bad_request("The CSV body is not UTF-8") from None
    else:
        payload = request.json()
    # Plan and write under the storage lock so concurrent upserts to one view cannot race.
    with state.storage.lock:
        report = rows.plan_upsert(state.storage, view, payload, empty=replace)
        truncated = state.storage.count_rows(view.id) if replace else 0
        state.storage.apply(view.id, report.changes, state.clock.now(), truncate=replace)
    return Response(body=report.body(), truncated=truncated)


@route("POST", rf"/resource/{VIEW_ID}\.json")
def upsert(state: SandboxState, request: Request, view_id: str) -> Response:
    return _write_rows(state, request, view_id, replace=False)


@route("PUT", rf"/resource/{VIEW_ID}\.json")
def replace(state: SandboxState, request: Request, view_id: str) -> Response:
    return _write_rows(state, request, view_id, replace=True)


def _soda_headers(view: ViewRecord, names: list[str]) -> dict[str, str]:
    types = views.column_types(view)
    return {
        "X-SODA2-Fields": json.dumps(names),
        "X-SODA2-Types": json.dumps([types.get(name, "text") for name in names]),
        "Last-Modified": formatdate(view.data_updated_at, usegmt=True),
    }


@route("GET", rf"/resource/{VIEW_ID}\.(?P<fmt>json|csv)")
def read_rows(state: SandboxState, request: Request, view_id: str, fmt: str) -> Response:
    view = load_view(state, request, view_id, resource=True)
    params = {name: values[-1] for name, values in request.query.items()}
    query = build_query(params, views.column_types(view))
    if query.count_as:
        return _count(state, view, query)
    try:
        records = state.storage.query(
            view.id, query.where, query.params, query.order, query.limit, query.offset
        )
    except sqlite3.Error as exc:
        # soql.py checks tokens, not grammar: SQLite reports what is left (unbalanced parens…).
        raise bad_request(f"Malformed query: {exc}", code="query.compiler.malformed") from None
    found = [rows.render_row(r, query.select, query.include_system) for r in records]
    names = query.select or [c["fieldName"] for c in view.doc["columns"]]
    if query.include_system and not query.select:
        names = [":id", ":created_at", ":updated_at", *names]
    headers = _soda_headers(view, names)
    if fmt == "csv":
        return Response(body=_csv(names, found), content_type=CSV_TYPE, headers=headers)
    return Response(body=found, headers=headers)


def _count(state: SandboxState, view: ViewRecord, query: Any) -> Response:
    try:
        total = state.storage.count_where(view.id, query.where, query.params)
    except sqlite3.Error as exc:
        raise bad_request(f"Malformed query: {exc}", code="query.compiler.malformed") from None
    headers = {"X-SODA2-Fields": json.dumps([query.count_as]), "X-SODA2-Types": '["number"]'}
    return Response(body=[{query.count_as: str(total)}], headers=headers)


def _csv(names: list[str], found: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    for row in found:
        writer.writerow([_cell(row.get(name)) for name in names])
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else json.dumps(value)


def _find_row(state: SandboxState, view: ViewRecord, row_id: str) -> rows.RowRecord:
    record = None
    if views.row_identifier(view):
        record = state.storage.rows_by_keys(view.id, [row_id]).get(row_id)
    sid = rows.sid_of(row_id)
    if record is None and sid is not None:
        record = state.storage.rows_by_sids(view.id, [sid]).get(sid)
    if record is None:
        raise SodaError(404, "row.missing", f"Row {row_id} not found", {"id": view.id})
    return record


@route("GET", rf"/resource/{VIEW_ID}/(?P<row_id>[^/]+)\.json")
def read_row(state: SandboxState, request: Request, view_id: str, row_id: str) -> Response:
    view = load_view(state, request, view_id, resource=True)
    record = _find_row(state, view, row_id)
    return Response(body=rows.render_row(record, None, system=False))


@route("DELETE", rf"/resource/{VIEW_ID}/(?P<row_id>[^/]+)\.json")
def delete_row(state: SandboxState, request: Request, view_id: str, row_id: str) -> Response:
    require_user(request)
    view = load_view(state, request, view_id, resource=True)
    with state.storage.lock:
        record = _find_row(state, view, row_id)
        changes = rows.RowChanges(deletes=[record.sid])
        state.storage.apply(view.id, changes, state.clock.now(), truncate=False)
    return Response()


# --- discovery -----------------------------------------------------------------------------


@route("GET", r"/api/catalog/v1")
def catalog_search(state: SandboxState, request: Request) -> Response:
    authenticated = request.user is not None
    return Response(body=catalog.search(state.storage, request.query, state.domain, authenticated))


@route("GET", r"/sharing/rest/search")
def geo_search(state: SandboxState, request: Request) -> Response:
    """The Geo Data Portal's item search (ArcGIS sharing API; ADR 0029)."""
    return Response(body=geo.search(state.geo.all(state.clock.now(), state.domain), request.query))


@route("GET", r"/datasets/(?P<item_id>[0-9a-f]{32})(?:_\d+)?(?:/[a-z]*)?")
def geo_item_page(state: SandboxState, request: Request, item_id: str) -> Response:
    """The Hub's item page, so that `make run`'s links to Geo items land somewhere."""
    item = geo.find(state.geo.all(state.clock.now(), state.domain), item_id)
    return Response(body=geo.page(item), content_type="text/html; charset=utf-8")
