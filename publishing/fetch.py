"""Fetching a URL source someone typed in, without letting it reach inside our network.

A publisher's URL is untrusted (ADR 0017). Every hop is checked the same way: http or https only,
the host resolved once, every address it resolves to must be public (not loopback, private,
link-local, multicast, reserved, unspecified, nor a cloud metadata address) unless an
administrator lists the host in CTODP_SOURCE_URL_ALLOWED_HOSTS, and the connection goes to the
address that was checked (no second DNS answer). Redirects are followed here, a bounded number of
times, each checked again. The body is capped in bytes, and one deadline covers the whole
download (every hop, the headers and the body), enforced by a timer that cuts the socket.
Failures to connect, refusals and timeouts all read the same, so the messages cannot be used to
map which ports are open.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from typing import IO
from urllib.parse import urljoin, urlsplit

MAX_REDIRECTS = 5
REDIRECTS = {301, 302, 303, 307, 308}
PIECE = 1 << 16
UNREACHABLE = (
    "The URL could not be fetched: the server refused the connection, could not be reached, "
    "or did not answer in time."
)
NOT_ALLOWED = (
    "The URL points to an address ctodp does not fetch from (a local, private, reserved or "
    "cloud metadata address). Give a public URL, or ask an administrator to allow the host."
)
METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
NAT64 = ipaddress.ip_network("64:ff9b::/96")

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class FetchError(Exception):
    """The URL was not fetched; the message is safe to show to the person who gave it."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    address: str
    path: str


def is_public(address: Address) -> bool:
    """Only globally routable unicast addresses; an IPv4 address inside IPv6 is judged as IPv4."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        elif address in NAT64:
            address = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return not (
        address in METADATA
        or address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


def _allowed(host: str, port: int, allowed_hosts: list[str]) -> bool:
    wanted = {entry.strip().lower().strip("[]") for entry in allowed_hosts}
    return host in wanted or f"{host}:{port}" in wanted


def _resolve(host: str, port: int) -> list[Address]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise FetchError(UNREACHABLE) from error
    return [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in found]


def check_url(url: str, allowed_hosts: list[str]) -> Target:
    """Where to connect for `url`, or FetchError: resolve once, judge every address, pin one."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError("Give an http or https URL.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise FetchError("The URL's port is not a number from 1 to 65535.") from error
    host = parts.hostname.lower()
    addresses = _resolve(host, port)
    if not _allowed(host, port, allowed_hosts) and not all(map(is_public, addresses)):
        raise FetchError(NOT_ALLOWED)
    path = parts.path or "/"
    path += f"?{parts.query}" if parts.query else ""
    return Target(parts.scheme, host, port, str(addresses[0]), path)


class _Pinned(http.client.HTTPConnection):
    """Connects to the checked address; the Host header still names the host."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self.address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedTLS(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self.address = target.address

    def connect(self) -> None:
        raw = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)


class _Deadline:
    """One deadline for the whole download; at expiry it cuts the open socket, so a server that
    drips bytes cannot hold a worker past it."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.sock: socket.socket | None = None
        self.timer = threading.Timer(seconds, self._cut)
        self.timer.daemon = True
        self.timer.start()

    def left(self) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            raise FetchError(self.message())
        return left

    def passed(self) -> bool:
        return time.monotonic() >= self.end

    def message(self) -> str:
        return f"The download took longer than {self.seconds:g} seconds and was stopped."

    def _cut(self) -> None:
        if self.sock is not None:
            with contextlib.suppress(OSError):
                self.sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self.timer.cancel()


def download(
    url: str, into: IO[bytes], *, timeout: float, max_bytes: int, allowed_hosts: list[str]
) -> None:
    """Write the body of `url` into `into`, following redirects, or raise FetchError."""
    deadline = _Deadline(timeout)
    try:
        for _hop in range(MAX_REDIRECTS + 1):
            target = check_url(url, allowed_hosts)
            location = _get(target, into, deadline, max_bytes)
            if location is None:
                return
            url = urljoin(url, location)
        raise FetchError(f"The URL redirected more than {MAX_REDIRECTS} times.")
    finally:
        deadline.cancel()


def _get(target: Target, into: IO[bytes], deadline: _Deadline, max_bytes: int) -> str | None:
    """One request; returns where a redirect points, or None once the body is written."""
    kind = _PinnedTLS if target.scheme == "https" else _Pinned
    connection = kind(target, timeout=deadline.left())
    try:
        try:
            connection.connect()
            deadline.sock = connection.sock
            connection.request(
                "GET", target.path, headers={"Accept-Encoding": "identity", "User-Agent": "ctodp"}
            )
            answer = connection.getresponse()
        except (OSError, http.client.HTTPException, ssl.SSLError) as error:
            raise FetchError(UNREACHABLE) from error
        if answer.status in REDIRECTS:
            location = answer.getheader("Location")
            if not location:
                raise FetchError("The URL redirected without saying where to.")
            return location
        if answer.status != 200:
            raise FetchError(f"The URL answered HTTP {answer.status}.")
        _copy(answer, into, deadline, max_bytes)
        return None
    finally:
        connection.close()


def _copy(
    answer: http.client.HTTPResponse, into: IO[bytes], deadline: _Deadline, max_bytes: int
) -> None:
    too_large = FetchError(f"The URL's file is larger than {max_bytes // (1 << 20)} MB.")
    declared = answer.getheader("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_large
    written = 0
    while True:
        deadline.sock.settimeout(deadline.left())
        try:
            piece = answer.read1(PIECE)
        except (OSError, http.client.HTTPException) as error:
            if deadline.passed():
                raise FetchError(deadline.message()) from error
            raise FetchError("The download was interrupted.") from error
        if not piece:
            break
        written += len(piece)
        if written > max_bytes:
            raise too_large
        into.write(piece)
    if deadline.passed():  # the timer cut the socket: what came is not the whole file
        raise FetchError(deadline.message())
