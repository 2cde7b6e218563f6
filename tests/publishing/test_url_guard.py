"""URL sources cannot reach inside the network (ADR 0017): a real listener on loopback counts the
connections it accepts, so a refusal is proved to happen before any connection is made."""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from privacy import services as privacy_services
from privacy.models import PrivacyScreen
from publishing import fetch, services, sources
from publishing.models import RunStatus, SourceCheck
from tests.publishing.helpers import OCME, attach, ocme_dataset

BODY = OCME.read_bytes()


class CountingServer(ThreadingHTTPServer):
    """An HTTP server on 127.0.0.1 that counts every connection it accepts."""

    daemon_threads = True

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.accepted = 0

    def process_request(self, request, client_address):
        self.accepted += 1
        super().process_request(request, client_address)

    @property
    def port(self) -> int:
        return self.server_address[1]


class Serve(BaseHTTPRequestHandler):
    """Serves the OCME slice; /go redirects to the server's `redirect_to`; /drip never ends."""

    def do_GET(self):
        if self.path == "/go":
            self.send_response(302)
            self.send_header("Location", self.server.redirect_to)
            self.end_headers()
        elif self.path == "/drip":
            self.send_response(200)
            self.end_headers()
            for _ in range(200):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.05)
        elif self.path == "/silent":
            time.sleep(3)
        else:
            self.send_response(200)
            self.send_header("Content-Length", str(len(BODY)))
            self.end_headers()
            self.wfile.write(BODY)

    def log_message(self, *args):
        pass


@pytest.fixture
def listener():
    servers = []

    def start() -> CountingServer:
        server = CountingServer(Serve)
        server.redirect_to = ""
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def nothing_allowed(settings):
    settings.CTODP_SOURCE_URL_ALLOWED_HOSTS = []
    return settings


@pytest.fixture
def publication(agency_a, publisher_a):
    return services.publication_create(dataset=ocme_dataset(agency_a), acting_user=publisher_a)


def _download(url: str, timeout: float | None = None) -> None:
    with sources._spooled_url(url, timeout):
        pass


def _attach(publication, user, url) -> SourceCheck:
    """Attach, then let the worker's check run (on commit): the check as it ended."""
    return attach(publication, user, url=url).check


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "0.0.0.0", "[::1]", "127.1.2.3"])  # noqa: S104
def test_a_local_url_is_refused_before_any_connection(
    nothing_allowed, listener, publication, publisher_a, host
):
    server = listener()
    check = _attach(publication, publisher_a, f"http://{host}:{server.port}/ocme.csv")
    assert (check.status, check.error) == (RunStatus.FAILED, fetch.NOT_ALLOWED)
    assert server.accepted == 0
    assert publication.detected_columns == []


@pytest.mark.parametrize(
    "address",
    [
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "224.0.0.1",
        "240.0.0.1",
        "0.0.0.0",  # noqa: S104
        "::1",
        "::",
        "fd00:ec2::254",
        "fe80::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "64:ff9b::a9fe:a9fe",
    ],
)
def test_every_non_public_range_is_refused_by_the_check_alone(address):
    host = f"[{address}]" if ":" in address else address
    with pytest.raises(fetch.FetchError, match="does not fetch from"):
        fetch.check_url(f"http://{host}/data.csv", allowed_hosts=[])  # resolves, never connects


def test_a_public_address_passes_the_check_and_is_pinned():
    target = fetch.check_url("https://8.8.8.8:8443/a.csv?x=1", allowed_hosts=[])
    assert (target.address, target.port, target.path) == ("8.8.8.8", 8443, "/a.csv?x=1")
    with pytest.raises(fetch.FetchError, match="http or https"):
        fetch.check_url("file:///etc/passwd", allowed_hosts=[])


def test_an_allowlisted_host_is_fetched(settings, listener, publication, publisher_a):
    server = listener()
    settings.CTODP_SOURCE_URL_ALLOWED_HOSTS = [f"127.0.0.1:{server.port}"]
    _attach(publication, publisher_a, f"http://127.0.0.1:{server.port}/ocme.csv")
    assert server.accepted == 1
    assert [c["field_name"] for c in publication.detected_columns][:2] == ["id", "date"]


def test_a_redirect_to_a_local_port_is_refused_before_connecting(
    settings, listener, publication, publisher_a
):
    public, inner = listener(), listener()
    public.redirect_to = f"http://localhost:{inner.port}/ocme.csv"
    settings.CTODP_SOURCE_URL_ALLOWED_HOSTS = [f"127.0.0.1:{public.port}"]
    check = _attach(publication, publisher_a, f"http://127.0.0.1:{public.port}/go")
    assert (check.status, check.error) == (RunStatus.FAILED, fetch.NOT_ALLOWED)
    assert (public.accepted, inner.accepted) == (1, 0)


def test_redirects_are_followed_a_bounded_number_of_times(settings, listener):
    server = listener()
    server.redirect_to = "/go"
    settings.CTODP_SOURCE_URL_ALLOWED_HOSTS = ["127.0.0.1"]
    with pytest.raises(sources.SourceError, match="redirected more than 5 times"):
        _download(f"http://127.0.0.1:{server.port}/go")
    assert server.accepted == 6


def test_a_closed_port_and_a_silent_server_read_the_same(settings, listener):
    settings.CTODP_SOURCE_URL_ALLOWED_HOSTS = ["127.0.0.1"]
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    closed_port = closed.getsockname()[1]
    closed.close()  # nothing listens there now: the connection is refused
    silent = listener()
    messages = []
    for url in (f"http://127.0.0.1:{closed_port}/", f"http://127.0.0.1:{silent.port}/silent"):
        with pytest.raises(sources.SourceError) as refused:
            _download(url, timeout=1)
        messages.append(str(refused.value))
    assert messages == [fetch.UNREACHABLE, fetch.UNREACHABLE]


def test_one_deadline_covers_the_whole_download(settings, listener):
    """The server sends a byte every 50 ms, each read well within any per-read timeout."""
    settings.CTODP_SOURCE_URL_ALLOWED_HOSTS = ["127.0.0.1"]
    server = listener()
    started = time.monotonic()
    with pytest.raises(sources.SourceError, match="longer than 1 seconds"):
        _download(f"http://127.0.0.1:{server.port}/drip", timeout=1)
    assert time.monotonic() - started < 2.5


def test_a_body_over_the_size_cap_is_refused(settings, listener):
    settings.CTODP_SOURCE_URL_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.CTODP_SOURCE_URL_MAX_BYTES = 1024
    server = listener()
    with pytest.raises(sources.SourceError, match="larger than"):
        _download(f"http://127.0.0.1:{server.port}/ocme.csv")


def test_the_privacy_screen_reads_a_url_through_the_guard(
    settings, listener, publication, publisher_a, django_capture_on_commit_callbacks
):
    server = listener()
    settings.CTODP_SOURCE_URL_ALLOWED_HOSTS = ["127.0.0.1"]
    _attach(publication, publisher_a, f"http://127.0.0.1:{server.port}/ocme.csv")
    settings.CTODP_SOURCE_URL_ALLOWED_HOSTS = []  # the administrator withdrew the host
    with django_capture_on_commit_callbacks(execute=True):
        screen = privacy_services.screen_start(publication=publication, acting_user=publisher_a)
    screen = PrivacyScreen.objects.get(pk=screen.pk)
    assert screen.status == RunStatus.FAILED
    assert "does not fetch from" in screen.error
    assert server.accepted == 1  # the attach only
