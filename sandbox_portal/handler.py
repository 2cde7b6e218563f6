"""The HTTP layer: read the request, authenticate, apply faults, dispatch, answer.

Nothing raised below ever reaches the client as a traceback: SodaErrors become Socrata error
bodies, anything else becomes a 500 with a generic Socrata body and a log line here.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import logging
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from . import control
from . import files as _files  # noqa: F401  (importing it registers the file routes)
from .api import JSON_TYPE, Request, Response, SandboxState, dispatch
from .errors import SodaError, bad_credentials
from .faults import Fault, FaultInjector, RequestLog

logger = logging.getLogger("sandbox_portal")

MAX_BODY = 512 * 1024 * 1024
FAULT_BODIES = {
    400: ("invalid_request", "Bad request"),
    401: ("authentication_required", "Invalid username or password"),
    403: ("permission_denied", "You must be logged in to access this resource"),
    404: ("not_found", "Not found"),
    429: ("too_many_requests", "Too many requests; slow down"),
    500: ("internal_error", "Internal error"),
    502: ("bad_gateway", "Bad gateway"),
    503: ("service_unavailable", "Service temporarily unavailable"),
    504: ("gateway_timeout", "Gateway timeout"),
}


class SandboxHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # Many short test connections: a deeper backlog avoids refused connections under load.
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], state: SandboxState) -> None:
        self.state = state
        self.faults = FaultInjector()
        self.requests_seen = RequestLog()
        self._busy = threading.Condition()
        self._in_flight = 0
        super().__init__(address, SandboxHandler)

    def track(self, delta: int) -> None:
        with self._busy:
            self._in_flight += delta
            self._busy.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Wait for requests still being answered (a delayed one, say) before closing storage."""
        with self._busy:
            return self._busy.wait_for(lambda: self._in_flight == 0, timeout)


class SandboxHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the portal and requests' sessions use
    # Headers and body go out in separate writes; without this, delayed ACKs add 40 ms each.
    disable_nagle_algorithm = True
    server: SandboxHTTPServer
    server_version = "SandboxPortal/1.0"

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def do_PATCH(self) -> None:
        self._handle()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Protocol-level errors (bad request line, unknown method) answer in JSON, not HTML."""
        self.close_connection = True
        body = {"code": "invalid_request", "error": True, "message": message or f"HTTP {code}"}
        self._send(Response(code, body))

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s " + format, self.address_string(), *args)

    def _handle(self) -> None:
        self.server.track(+1)
        try:
            self._serve()
        except Exception:
            # A bug here must not leak a traceback to the client: answer a plain 500 and close.
            logger.exception("Sandbox portal failure on %s %s", self.command, self.path)
            self.close_connection = True
            body = {"code": "internal_error", "error": True, "message": "Internal error"}
            self._send(Response(500, body))
        finally:
            self.server.track(-1)

    def _serve(self) -> None:
        try:
            request = self._request()
        except SodaError as error:
            self.close_connection = True  # the body may be unread; do not reuse the socket
            self._send(Response(error.status, error.body(), headers=error.headers))
            return
        if request.path.startswith(control.PREFIX):
            self._send(self._answer(lambda: self._control(request)))
            return
        fault = self.server.faults.take(request.method, request.path)
        if fault and fault.delay:
            time.sleep(fault.delay)
        if fault and not fault.after and (fault.status or fault.drop):
            self._fail(request, fault)
            return
        response = self._answer(lambda: self._portal(request))
        if fault and fault.after and (fault.status or fault.drop):
            self._fail(request, fault)  # the work is done; only the answer is lost
            return
        self._record(request, response.status, fault=False)
        self._tally_answer(request, response)
        self._send(response)

    def _tally_answer(self, request: Request, response: Response) -> None:
        view_id = _row_write(request)
        if view_id and response.status == 200 and isinstance(response.body, dict):
            self.server.state.tally.acknowledged(view_id, response.body, response.truncated)

    def _request(self) -> Request:
        parts = urlsplit(self.path)
        body = self._read_body()
        return Request(
            method=self.command,
            path=unquote(parts.path),
            query=parse_qs(parts.query, keep_blank_values=True),
            headers=self.headers,
            body=body,
        )

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return self._read_chunked()
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise SodaError(400, "invalid_request", "Bad Content-Length") from None
        if length > MAX_BODY:
            raise SodaError(413, "request_too_large", "The request body is too large")
        return self.rfile.read(length) if length > 0 else b""

    def _read_chunked(self) -> bytes:
        chunks, total = [], 0
        while True:
            try:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
            except ValueError:
                raise SodaError(400, "invalid_request", "Bad chunked encoding") from None
            if size == 0:
                self.rfile.readline()
                return b"".join(chunks)
            total += size
            if total > MAX_BODY:
                raise SodaError(413, "request_too_large", "The request body is too large")
            chunks.append(self.rfile.read(size))
            self.rfile.readline()

    def _control(self, request: Request) -> Response:
        """The test controls can wipe the portal and fake failures: its credentials only."""
        if self._authenticate() is None:
            raise bad_credentials()
        return control.handle(self.server, request)

    def _portal(self, request: Request) -> Response:
        request.user = self._authenticate()
        return dispatch(self.server.state, request)

    def _authenticate(self) -> str | None:
        """The configured user, None when no credentials came, 401 for wrong ones."""
        state = self.server.state
        header = self.headers.get("Authorization") or ""
        scheme, _, value = header.partition(" ")
        if not header:
            return None
        if scheme.lower() == "basic":
            try:
                username, _, password = base64.b64decode(value).decode("utf-8").partition(":")
            except (binascii.Error, UnicodeDecodeError):
                raise bad_credentials() from None
            good_user = hmac.compare_digest(username.encode(), state.username.encode())
            good_password = hmac.compare_digest(password.encode(), state.password.encode())
            if good_user and good_password:
                return username
        elif scheme.lower() == "oauth" and state.oauth_token:
            token = state.oauth_token.encode()
            if hmac.compare_digest(value.strip().encode(), token):
                return state.username
        raise bad_credentials()

    def _answer(self, produce: Any) -> Response:
        try:
            return produce()
        except SodaError as error:
            return Response(error.status, error.body(), headers=error.headers)
        except Exception:
            logger.exception("Sandbox portal error on %s %s", self.command, self.path)
            body = {"code": "internal_error", "error": True, "message": "Internal error"}
            return Response(500, body)

    def _fail(self, request: Request, fault: Fault) -> None:
        status = 0 if fault.drop else int(fault.status or 500)
        self._record(request, status, fault=True)
        view_id = _row_write(request)
        if view_id and (fault.drop or status >= 500):
            self.server.state.tally.unanswered(view_id, _rows_in(request))
        if fault.drop:
            self.close_connection = True  # no status line at all: the client sees a reset
            return
        self._send(fault_response(fault))

    def _record(self, request: Request, status: int, *, fault: bool) -> None:
        content_type = request.headers.get("Content-Type")
        self.server.requests_seen.record(request.method, request.path, status, fault, content_type)

    def _send(self, response: Response) -> None:
        payload = response.encoded()
        try:
            self.send_response(response.status)
            if payload:
                self.send_header("Content-Type", response.content_type)
            if response.status == 401:
                self.send_header("WWW-Authenticate", 'Basic realm="sandbox portal"')
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (a timeout test, usually); nobody is left to answer.
            self.close_connection = True


def fault_response(fault: Fault) -> Response:
    status = int(fault.status or 500)
    if status == 202:
        body: dict[str, Any] = {"ticket": f"sandbox-{time.monotonic_ns()}", "message": "Processing"}
        return Response(202, body)
    code, message = FAULT_BODIES.get(status, ("error", f"HTTP {status}"))
    headers = {}
    if fault.retry_after is not None:
        seconds = fault.retry_after
        headers["Retry-After"] = str(int(seconds) if float(seconds).is_integer() else seconds)
    error = {"code": code, "error": True, "message": fault.message or message}
    return Response(status, error, JSON_TYPE, headers)


ROW_WRITE = re.compile(r"^/resource/(?P<view_id>[a-z0-9]{4}-[a-z0-9]{4})\.json$")


def _row_write(request: Request) -> str | None:
    """The view a POST or PUT of rows writes to, else None."""
    match = ROW_WRITE.match(request.path)
    return match["view_id"] if match and request.method in ("POST", "PUT") else None


def _rows_in(request: Request) -> int:
    """How many rows a write carried (a JSON array, or CSV lines after the header)."""
    if request.is_csv():
        return max(0, len([line for line in request.body.splitlines() if line.strip()]) - 1)
    try:
        payload = request.json()
    except SodaError:
        return 0
    return len(payload) if isinstance(payload, list) else 1
