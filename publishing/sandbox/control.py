"""/__sandbox__/…: test controls that the real portal does not have.

POST   /__sandbox__/faults    add a fault (see faults.Fault)   DELETE clears them, GET lists them
GET    /__sandbox__/requests  count and log of portal requests  DELETE clears the log
POST   /__sandbox__/reset     wipe storage, faults, log and clock offset
POST   /__sandbox__/clock     {"advance": seconds} moves the portal clock forward
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .api import Request, Response
from .errors import SodaError, bad_request
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
    if action == ("POST", "reset"):
        reset(server)
        return Response(body={"reset": True})
    if action == ("POST", "clock"):
        return Response(body={"now": advance_clock(server, request.json())})
    raise SodaError(404, "not_found", f"No such sandbox control: {request.path}")


def reset(server: SandboxHTTPServer) -> None:
    server.faults.clear()
    server.requests_seen.clear()
    server.state.clock.reset()
    server.state.storage.reset()


def advance_clock(server: SandboxHTTPServer, body: Any) -> float:
    seconds = body.get("advance") if isinstance(body, dict) else None
    if not isinstance(seconds, int | float) or seconds < 0:
        raise bad_request('Send {"advance": <seconds>} with a non-negative number')
    server.state.clock.advance(seconds)
    return server.state.clock.now()
