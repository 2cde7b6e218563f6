"""The sandbox portal: a SODA2-compatible server with its own SQLite storage (SODA.md §5).

It runs standalone (no Django, and the product never imports it): `python -m sandbox_portal`
in the foreground, or `start_sandbox()` in a background thread for tests.
"""

from .api import SandboxState
from .faults import Clock, Fault
from .handler import SandboxHTTPServer
from .server import (
    DEFAULT_PASSWORD,
    DEFAULT_USERNAME,
    RunningSandbox,
    make_server,
    start_sandbox,
)
from .storage import Storage

__all__ = [
    "DEFAULT_PASSWORD",
    "DEFAULT_USERNAME",
    "Clock",
    "Fault",
    "RunningSandbox",
    "SandboxHTTPServer",
    "SandboxState",
    "Storage",
    "make_server",
    "start_sandbox",
]
