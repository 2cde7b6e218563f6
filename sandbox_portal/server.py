"""Build, run and stop a sandbox portal: in the foreground (the management command) or in a
background thread on an ephemeral loopback port (the test suite)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from . import control
from .api import SandboxState
from .faults import Clock
from .handler import SandboxHTTPServer
from .storage import Storage

DEFAULT_USERNAME = "sandbox"
DEFAULT_PASSWORD = "sandbox"  # noqa: S105  a local test portal, not a secret
DB_FILENAME = "sandbox-portal.sqlite3"


def make_server(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    data_dir: str | Path | None = None,
    username: str = DEFAULT_USERNAME,
    password: str = DEFAULT_PASSWORD,
    oauth_token: str | None = None,
) -> SandboxHTTPServer:
    """A bound, not yet serving, portal. `data_dir=None` keeps everything in memory."""
    path = None
    if data_dir is not None:
        Path(data_dir).mkdir(parents=True, exist_ok=True)
        path = Path(data_dir) / DB_FILENAME
    state = SandboxState(Storage(path), username, password, oauth_token, clock=Clock())
    server = SandboxHTTPServer((host, port), state)
    state.domain = address_of(server)
    return server


def address_of(server: SandboxHTTPServer) -> str:
    host, port = server.server_address[:2]
    return f"{host}:{port}"


@dataclass
class RunningSandbox:
    """A portal serving from a background thread; `domain` is what sodapy is given."""

    server: SandboxHTTPServer
    thread: threading.Thread

    @property
    def domain(self) -> str:
        return address_of(self.server)

    @property
    def url(self) -> str:
        return f"http://{self.domain}"

    @property
    def state(self) -> SandboxState:
        return self.server.state

    @property
    def clock(self) -> Clock:
        return self.server.state.clock

    def reset(self) -> None:
        # A request still sleeping in a `delay` fault would otherwise land in the next test.
        self.server.wait_idle(timeout=10)
        control.reset(self.server)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
        self.server.wait_idle(timeout=10)
        self.server.state.storage.close()


def start_sandbox(
    *,
    username: str = DEFAULT_USERNAME,
    password: str = DEFAULT_PASSWORD,
    oauth_token: str | None = None,
    data_dir: str | Path | None = None,
) -> RunningSandbox:
    """Serve a fresh portal on 127.0.0.1 and an ephemeral port until `stop()`."""
    server = make_server(
        "127.0.0.1",
        0,
        data_dir=data_dir,
        username=username,
        password=password,
        oauth_token=oauth_token,
    )
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
    )
    thread.name = f"sandbox-portal-{address_of(server)}"
    thread.start()
    return RunningSandbox(server, thread)
