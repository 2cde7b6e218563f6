"""Outages a test can cause: a Redis server it owns (killed and started again on the same port)
and a TCP relay in front of PostgreSQL that it can cut."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port} after {timeout} s")


NO_PERSISTENCE = ("--save", "", "--appendonly", "no")


class RedisServer:
    """A redis-server of the test's own (the session's Redis is shared). Without persistence a
    restart loses every queued message, like a crash of an unconfigured production Redis; with
    `append_only` it keeps them, as production's Redis (append-only file) does."""

    def __init__(self, *, append_only: bool = False) -> None:
        self.binary = os.environ.get("CTODP_REDIS_SERVER") or shutil.which("redis-server")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None
        self.persistence = NO_PERSISTENCE
        if append_only:
            folder = tempfile.mkdtemp(prefix="ctodp-redis-")
            self.persistence = ("--save", "", "--appendonly", "yes", "--dir", folder)
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", *self.persistence],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        _wait_for_port(self.port)

    def restart(self) -> None:
        """Stop it as an operator's restart does (SIGTERM, the append-only file is flushed)
        and start it again on the same port."""
        self.process.terminate()
        self.process.wait(timeout=10)
        self.start()

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


class TcpRelay:
    """Relays a free local port to `target`. `cut()` drops every open connection and refuses
    new ones (accepted and closed at once, as a server going away does) until `restore()`."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._open = threading.Event()
        self._open.set()
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, name="tcp-relay", daemon=True).start()

    def cut(self) -> None:
        self._open.clear()
        with self._lock:
            dropped, self._sockets = self._sockets, []
        for sock in dropped:
            _close(sock)

    def restore(self) -> None:
        self._open.set()

    def close(self) -> None:
        self.cut()
        _close(self._listener)

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # closed
            if not self._open.is_set():
                _close(client)
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                _close(client)
                continue
            upstream.settimeout(None)
            with self._lock:
                self._sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pump, args=(source, sink), daemon=True).start()


def _pump(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    finally:
        _close(source)
        _close(sink)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()
