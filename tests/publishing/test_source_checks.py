"""A URL or SQL source is read by a worker, not the web request (ADR 0017): attaching records the
source and queues a SourceCheck that runs once the request's transaction commits. A real listener
on loopback counts the connections it accepts, so "not during the request" is measured."""

from __future__ import annotations

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.services import token_create
from publishing import fetch, services, source_checks, tasks
from publishing.models import RunStatus, SourceCheck
from tests.publishing.helpers import attach, ocme_dataset, ocme_upload
from tests.publishing.test_outbox import broker_down  # noqa: F401 (a fixture)

pytestmark = pytest.mark.clock("2026-03-02 09:00")

FILES = {"/a.csv": b"ID,Age\na1,40\n", "/b.csv": b"Key,Town,Count\nk1,Lyme,3\n"}


class Counting(ThreadingHTTPServer):
    daemon_threads = True
    accepted = 0

    def process_request(self, request, client_address):
        self.accepted += 1
        super().process_request(request, client_address)


class Serve(BaseHTTPRequestHandler):
    def do_GET(self):
        body = FILES.get(self.path)
        self.send_response(200 if body else 404)
        self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        self.wfile.write(body or b"")

    def log_message(self, *args):
        pass


@pytest.fixture
def server(settings):
    listener = Counting(("127.0.0.1", 0), Serve)
    threading.Thread(target=listener.serve_forever, daemon=True).start()
    settings.CTODP_SOURCE_URL_ALLOWED_HOSTS = ["127.0.0.1"]
    listener.url = f"http://127.0.0.1:{listener.server_address[1]}"
    yield listener
    listener.shutdown()
    listener.server_close()


@pytest.fixture
def publication(agency_a, publisher_a):
    return services.publication_create(dataset=ocme_dataset(agency_a), acting_user=publisher_a)


def _fields(publication) -> list[str]:
    publication.refresh_from_db()
    return [column["field_name"] for column in publication.detected_columns]


def test_attaching_a_url_connects_only_in_the_worker_and_the_page_follows(
    client, server, publication, publisher_a, django_capture_on_commit_callbacks
):
    client.force_login(publisher_a)
    with django_capture_on_commit_callbacks() as waiting:
        response = client.post(
            f"/publishing/{publication.pk}/source/", {"url": server.url + "/a.csv"}
        )
    assert response.status_code == 302
    assert server.accepted == 0  # the request only recorded the source and queued the check
    check = SourceCheck.objects.get()
    assert check.status == RunStatus.QUEUED
    page = client.get(response.url).content.decode()
    assert "Reading the source…" in page
    assert f'hx-get="/publishing/source-checks/{check.pk}/progress/"' in page
    assert 'id="column-table"' not in page
    publication.refresh_from_db()
    with pytest.raises(ValidationError, match="still being read"):
        services.run_start(publication=publication, acting_user=publisher_a)

    for callback in waiting:  # the commit: the task runs (eagerly in the tests)
        callback()

    assert server.accepted == 1
    check.refresh_from_db()
    assert (check.status, check.columns_found) == (RunStatus.SUCCEEDED, 2)
    assert _fields(publication) == ["id", "age"]
    progress = client.get(f"/publishing/source-checks/{check.pk}/progress/", HTTP_HX_REQUEST="true")
    assert progress["HX-Refresh"] == "true"
    page = client.get(response.url).content.decode()
    assert "Reading the source…" not in page
    assert 'id="column-table"' in page


def test_a_refused_address_ends_as_a_failed_check_with_the_generic_message(
    client, settings, server, publication, publisher_a
):
    settings.CTODP_SOURCE_URL_ALLOWED_HOSTS = []
    check = attach(publication, publisher_a, url=server.url + "/a.csv").check
    assert (check.status, check.error) == (RunStatus.FAILED, fetch.NOT_ALLOWED)
    assert server.accepted == 0
    client.force_login(publisher_a)
    page = client.get(publication.get_absolute_url()).content.decode()
    assert 'id="source-check-error"' in page
    assert "ctodp does not fetch from" in page
    for refused in (
        lambda: services.run_start(publication=publication, acting_user=publisher_a),
        lambda: services.publication_confirm_columns(
            publication=publication, acting_user=publisher_a, row_identifier="id"
        ),
    ):
        with pytest.raises(ValidationError, match="could not be read"):
            refused()


def test_an_unreachable_url_reads_the_same_as_a_refused_connection(
    settings, server, publication, publisher_a
):
    server.shutdown()
    server.server_close()  # nothing listens on the port any more
    check = attach(publication, publisher_a, url=server.url + "/a.csv").check
    assert (check.status, check.error) == (RunStatus.FAILED, fetch.UNREACHABLE)


def test_a_newer_attach_wins_over_an_older_check(
    server, publication, publisher_a, django_capture_on_commit_callbacks
):
    def attach_later(path):
        with django_capture_on_commit_callbacks() as waiting:
            services.publication_attach_source(
                publication=publication, acting_user=publisher_a, url=server.url + path
            )
        return publication.source_check, waiting

    older, run_older = attach_later("/a.csv")
    newer, run_newer = attach_later("/b.csv")
    for callback in run_newer + run_older:  # the newer check ends first
        callback()
    older.refresh_from_db()
    newer.refresh_from_db()
    assert newer.status == RunStatus.SUCCEEDED
    assert (older.status, older.error) == (RunStatus.FAILED, source_checks.REPLACED)
    assert _fields(publication) == ["key", "town", "count"]
    assert server.accepted == 1  # the older check saw it was replaced before fetching


def test_an_older_check_that_read_before_the_new_attach_keeps_nothing(
    server, publication, publisher_a, django_capture_on_commit_callbacks
):
    older = attach(publication, publisher_a, url=server.url + "/a.csv").check
    with django_capture_on_commit_callbacks():
        services.publication_attach_source(
            publication=publication, acting_user=publisher_a, url=server.url + "/b.csv"
        )
    # The older check's worker finishes reading only now: the publication points elsewhere.
    assert not source_checks._keep_columns(older, [{"field_name": "stale"}])
    assert _fields(publication) == ["id", "age"]


def test_a_file_attached_after_a_failed_check_is_read_at_once_and_clears_it(
    settings, server, publication, publisher_a
):
    settings.CTODP_SOURCE_URL_ALLOWED_HOSTS = []
    assert attach(publication, publisher_a, url=server.url + "/a.csv").check.status == "failed"
    attached = attach(publication, publisher_a, file=ocme_upload())
    assert attached.check is None
    assert publication.source_check is None
    assert _fields(publication)[:2] == ["id", "date"]
    services.publication_confirm_columns(
        publication=publication, acting_user=publisher_a, row_identifier="id"
    )


def test_the_api_answers_202_then_the_checks_result(
    server, agency_a, publisher_a, django_capture_on_commit_callbacks
):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_create(user=publisher_a, name='t')[1]}")
    body = {"dataset": ocme_dataset(agency_a).pk, "mode": "upsert", "row_identifier": "id"}
    pk = api.post("/api/v1/publications/", body, format="json").json()["id"]

    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post(
            f"/api/v1/publications/{pk}/source/", {"url": server.url + "/a.csv"}, format="json"
        )

    assert answer.status_code == 202, answer.json()
    assert answer.json()["status"] == "queued"  # as it was when the request answered
    check = api.get(f"/api/v1/publications/{pk}/source-check/").json()
    assert (check["id"], check["status"], check["columns_found"]) == (
        answer.json()["id"],
        "succeeded",
        2,
    )
    detail = api.get(f"/api/v1/publications/{pk}/").json()
    assert detail["source_check"]["status"] == "succeeded"
    assert [c["field_name"] for c in detail["detected_columns"]] == ["id", "age"]
    confirmed = api.post(f"/api/v1/publications/{pk}/columns/", {}, format="json")
    assert confirmed.status_code == 200, confirmed.json()
    assert confirmed.json()["columns_confirmed"] is True


def test_the_api_has_no_check_for_a_file_source(publication, publisher_a):
    attach(publication, publisher_a, file=ocme_upload())
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_create(user=publisher_a, name='t')[1]}")
    assert api.get(f"/api/v1/publications/{publication.pk}/source-check/").status_code == 404


def test_the_sweeper_fails_a_stuck_check(publication, publisher_a, agency_a):
    bound = timedelta(seconds=settings.CTODP_SCREEN_STUCK_AFTER)
    stuck = SourceCheck.objects.create(
        publication=publication,
        status=RunStatus.RUNNING,
        heartbeat_at=timezone.now() - bound - timedelta(minutes=1),
    )
    other = services.publication_create(dataset=ocme_dataset(agency_a), acting_user=publisher_a)
    lively = SourceCheck.objects.create(
        publication=other, status=RunStatus.QUEUED, heartbeat_at=timezone.now()
    )

    tasks.sweep_stuck_runs()

    stuck.refresh_from_db()
    lively.refresh_from_db()
    assert stuck.status == RunStatus.FAILED
    assert "Attach the source again" in stuck.error
    assert lively.status == RunStatus.QUEUED
    source_checks.check_execute(stuck.pk)  # its worker wakes up: the failure stands
    stuck.refresh_from_db()
    assert stuck.status == RunStatus.FAILED


@pytest.mark.usefixtures("broker_down")
def test_a_check_the_queue_cannot_take_fails_at_once_saying_why(
    client, server, publication, publisher_a, django_capture_on_commit_callbacks
):
    client.force_login(publisher_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/publishing/{publication.pk}/source/", {"url": server.url + "/a.csv"}
        )
    assert response.status_code == 302
    check = SourceCheck.objects.get()
    assert (check.status, check.error) == (RunStatus.FAILED, source_checks.QUEUE_DOWN)
    assert server.accepted == 0
    assert "task queue is unreachable" in client.get(response.url).content.decode()
