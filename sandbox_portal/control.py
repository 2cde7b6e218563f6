"""/__sandbox__/…: test controls that the real portal does not have. Each needs the sandbox's
own credentials (HTTP Basic with its username and password, or its OAuth token): they wipe
data and fake failures, so nobody who merely reaches the port may use them.

POST   /__sandbox__/faults    add a fault (see faults.Fault)   DELETE clears them, GET lists them
GET    /__sandbox__/requests  count and log of portal requests  DELETE clears the log
GET    /__sandbox__/writes    per view, the row counts of acknowledged writes and the rows of
                              writes answered with a 5xx or not at all  DELETE clears them
POST   /__sandbox__/reset     wipe storage, faults, log and clock offset
POST   /__sandbox__/clock     {"advance": seconds} moves the portal clock forward
POST   /__sandbox__/assets/ID set what the catalog reports for one asset: data_updated_at,
                              metadata_updated_at (ISO 8601 or epoch seconds), page_views_total,
                              page_views_last_month, page_views_last_week, download_count
PUT    /__sandbox__/geo/items replace the Geo Data Portal's items (a JSON list; reset re-seeds)
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from . import catalog
from .api import Request, Response
from .errors import SodaError, bad_request, view_missing
from .faults import Fault

if TYPE_CHECKING:
    from .handler import SandboxHTTPServer

PREFIX = "/__sandbox__/"


def handle(server: SandboxHTTPServer, request: Request) -> Response:
    action = (request.method, request.path[len(PREFIX) :].rstrip("/"))
    if action == ("POST", "faults"):
        server.faults.add(Fault.from_json(request.json()))
        return Response(body={"faults": server.faults.pending()})
    if action == ("DELETE", "faults"):
        server.faults.clear()
        return Response(body={"faults": []})
    if action == ("GET", "faults"):
        return Response(body={"faults": server.faults.pending()})
    if action == ("GET", "requests"):
        return Response(body=server.requests_seen.snapshot())
    if action == ("DELETE", "requests"):
        server.requests_seen.clear()
        return Response(body=server.requests_seen.snapshot())
    if action == ("GET", "writes"):
        return Response(body={"views": server.state.tally.snapshot()})
    if action == ("DELETE", "writes"):
        server.state.tally.clear()
        return Response(body={"views": {}})
    if action == ("POST", "reset"):
        reset(server)
        return Response(body={"reset": True})
    if action == ("POST", "clock"):
        return Response(body={"now": advance_clock(server, request.json())})
    if action == ("PUT", "geo/items"):
        return Response(body={"items": server.state.geo.set(request.json())})
    if action[0] == "POST" and action[1].startswith("assets/"):
        view_id = action[1].removeprefix("assets/")
        return Response(body=set_asset_facts(server, view_id, request.json()))
    raise SodaError(404, "not_found", f"No such sandbox control: {request.path}")


def reset(server: SandboxHTTPServer) -> None:
    server.faults.clear()
    server.requests_seen.clear()
    server.state.tally.clear()
    server.state.clock.reset()
    server.state.storage.reset()
    server.state.geo.reset()


def advance_clock(server: SandboxHTTPServer, body: Any) -> float:
    seconds = body.get("advance") if isinstance(body, dict) else None
    if not isinstance(seconds, int | float) or seconds < 0:
        raise bad_request('Send {"advance": <seconds>} with a non-negative number')
    server.state.clock.advance(seconds)
    return server.state.clock.now()


TIMESTAMPS = ("data_updated_at", "metadata_updated_at")
COUNTS = (*catalog.PAGE_VIEW_KEYS, "download_count")


def _epoch(name: str, value: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            moment = None
        if moment is not None:
            return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()
    raise bad_request(f"{name} must be an ISO 8601 timestamp or epoch seconds, got {value!r}")


def set_asset_facts(server: SandboxHTTPServer, view_id: str, body: Any) -> dict[str, Any]:
    """What the portal would know from its own traffic and history, set by a test."""
    storage = server.state.storage
    view = storage.get_view(view_id)
    if view is None:
        raise view_missing(view_id)
    if not isinstance(body, dict) or not body or set(body) - {*TIMESTAMPS, *COUNTS}:
        raise bad_request(f"Send an object with some of: {', '.join((*TIMESTAMPS, *COUNTS))}")
    for name in TIMESTAMPS:
        if name in body:
            setattr(view, name, _epoch(name, body[name]))
    stats = dict(view.doc.get(catalog.STATS_KEY) or {})
    for name in COUNTS:
        if name in body:
            value = body[name]
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise bad_request(f"{name} must be a non-negative integer, got {value!r}")
            stats[name] = value
    view.doc[catalog.STATS_KEY] = stats
    storage.save_view(view)
    return catalog.result(view, server.state.domain)
