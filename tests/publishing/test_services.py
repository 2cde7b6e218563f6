"""Publication workflows: sources of every kind, schema changes, bad values, replace, external
links, making public, claims and the sweeper."""

import datetime
import io
import json
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from openpyxl import Workbook

from publishing import runner, services
from publishing.models import Kind, PublicationRun, RunStatus, Visibility
from tests.publishing.helpers import (
    OCME,
    ocme_dataset,
    ocme_upload,
    owned,
    portal_rows,
    ready_publication,
    record_screen,
    sandbox_writes,
)
from tests.sandbox import PASSWORD, USERNAME, forget_requests


@pytest.fixture
def dataset(agency_a):
    return ocme_dataset(agency_a)


@pytest.fixture
def publishing(portal_settings):
    portal_settings.SOCRATA_CHUNK_SIZE = 100
    return portal_settings


def _run(publication, user, capture) -> PublicationRun:
    with capture(execute=True):
        run = services.run_start(publication=publication, acting_user=user)
    run.refresh_from_db()
    return run


def _portal(sandbox, publication) -> list[dict]:
    publication.refresh_from_db()
    return portal_rows(sandbox.domain, publication.portal_id, USERNAME, PASSWORD)


def _csv(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def test_columns_are_inferred_and_must_be_confirmed_before_the_first_push(dataset, publisher_a):
    publication = services.publication_create(dataset=dataset, acting_user=publisher_a)
    services.publication_attach_source(
        publication=publication, acting_user=publisher_a, file=ocme_upload()
    )
    types = {c["field_name"]: c["type"] for c in publication.detected_columns}
    assert (types["id"], types["age"], types["date"]) == ("text", "number", "calendar_date")
    with pytest.raises(ValidationError, match="Confirm the columns"):
        services.run_start(publication=publication, acting_user=publisher_a)
    with pytest.raises(ValidationError, match="not one of the columns"):
        services.publication_confirm_columns(
            publication=publication, acting_user=publisher_a, row_identifier="nope"
        )


def test_a_schema_change_is_explained_and_not_pushed(
    publishing, sandbox, dataset, publisher_a, django_capture_on_commit_callbacks
):
    publication = ready_publication(dataset, publisher_a)
    assert _run(publication, publisher_a, django_capture_on_commit_callbacks).status == "succeeded"
    changed = _csv(["ID,Age,Town", "a1,40,Hartford"])

    changes = services.publication_attach_source(
        publication=publication, acting_user=publisher_a, file=ocme_upload("new.csv", changed)
    ).changes

    assert "Column “Town” is new." in changes
    assert "Column “Date” is gone." in changes
    forget_requests(sandbox)
    with pytest.raises(ValidationError, match="columns changed"):
        services.run_start(publication=publication, acting_user=publisher_a)
    with pytest.raises(ValidationError, match="differ from those on the portal"):
        services.publication_confirm_columns(
            publication=publication, acting_user=publisher_a, row_identifier="id"
        )
    assert sandbox_writes(sandbox) == []


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["r7,70"], "Rows 8 and 5101, column “ID”: the same row identifier appears twice"),
        ([",70"], "Row 5101, column “ID”: the row identifier is empty"),
    ],
)
def test_a_repeated_or_empty_row_identifier_fails_an_upsert_before_any_write(
    publishing, sandbox, dataset, publisher_a, django_capture_on_commit_callbacks, extra, message
):
    good = _csv(["ID,Age"] + [f"r{n},{n}" for n in range(250)])
    publication = ready_publication(dataset, publisher_a, file=ocme_upload("a.csv", good))
    # Far past the first chunk, so the check must remember identifiers across chunks.
    bad = _csv(["ID,Age"] + [f"r{n},{n}" for n in range(5100)] + extra)
    services.publication_attach_source(
        publication=publication, acting_user=publisher_a, file=ocme_upload("b.csv", bad)
    )
    forget_requests(sandbox)

    run = _run(publication, publisher_a, django_capture_on_commit_callbacks)

    assert run.status == RunStatus.FAILED
    assert run.error.startswith(message)
    assert sandbox_writes(sandbox) == []


def test_a_bad_value_fails_the_run_naming_row_and_column_before_any_write(
    publishing, sandbox, dataset, publisher_a, django_capture_on_commit_callbacks
):
    good = _csv(["ID,Age"] + [f"r{n},{n}" for n in range(250)])
    publication = ready_publication(dataset, publisher_a, file=ocme_upload("a.csv", good))
    # Beyond the sample the columns are inferred from, so only the run's survey sees it.
    bad = _csv(["ID,Age"] + [f"r{n},{n}" for n in range(5100)] + ["r9999,forty"])
    services.publication_attach_source(
        publication=publication, acting_user=publisher_a, file=ocme_upload("b.csv", bad)
    )
    forget_requests(sandbox)

    run = _run(publication, publisher_a, django_capture_on_commit_callbacks)

    assert run.status == RunStatus.FAILED
    assert run.error == "Row 5101, column “Age”: 'forty' is not a number"
    assert sandbox_writes(sandbox) == []


def test_replace_mode_leaves_only_the_new_rows(
    publishing, sandbox, dataset, publisher_a, django_capture_on_commit_callbacks
):
    first = _csv(["ID,Age"] + [f"r{n},{n}" for n in range(150)])
    publication = ready_publication(
        dataset, publisher_a, mode="replace", file=ocme_upload("a.csv", first)
    )
    _run(publication, publisher_a, django_capture_on_commit_callbacks)
    second = _csv(["ID,Age"] + [f"s{n},{n}" for n in range(120)])
    services.publication_attach_source(
        publication=publication, acting_user=publisher_a, file=ocme_upload("b.csv", second)
    )

    run = _run(publication, publisher_a, django_capture_on_commit_callbacks)

    assert run.status == RunStatus.SUCCEEDED, run.error
    assert sorted(r["id"] for r in _portal(sandbox, publication)) == sorted(
        f"s{n}" for n in range(120)
    )


def test_xlsx_source(publishing, sandbox, dataset, publisher_a, django_capture_on_commit_callbacks):
    workbook = Workbook()
    workbook.active.append(["ID", "Age", "Reported"])
    for n in range(130):
        workbook.active.append([f"x{n}", n, datetime.datetime(2024, 1, 2, 3, 4, 5)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = ocme_upload("people.xlsx", buffer.getvalue())
    publication = ready_publication(dataset, publisher_a, file=upload)

    run = _run(publication, publisher_a, django_capture_on_commit_callbacks)

    assert run.status == RunStatus.SUCCEEDED, run.error
    rows = {r["id"]: r for r in _portal(sandbox, publication)}
    assert len(rows) == 130
    assert rows["x7"] == {"id": "x7", "age": "7", "reported": "2024-01-02T03:04:05.000"}


FETCHED: list[str] = []


def _json_rows() -> bytes:
    return json.dumps([{"ID": f"j{n}", "Age": n, "Town": None} for n in range(120)]).encode()


@pytest.fixture
def web_file():
    """A plain HTTP server on loopback serving the OCME slice (or JSON rows for a .json path),
    as an agency's site would."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            FETCHED.append(self.path)
            body = _json_rows() if self.path.endswith(".json") else OCME.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/ocme.csv"
    server.shutdown()
    server.server_close()


def test_url_source(
    publishing, sandbox, dataset, publisher_a, web_file, django_capture_on_commit_callbacks
):
    publication = ready_publication(dataset, publisher_a, url=web_file)
    FETCHED.clear()
    run = _run(publication, publisher_a, django_capture_on_commit_callbacks)
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert len(_portal(sandbox, publication)) == 300
    assert FETCHED == ["/ocme.csv"]  # downloaded once: survey and push read the same bytes


def test_json_url_source(
    publishing, sandbox, dataset, publisher_a, web_file, django_capture_on_commit_callbacks
):
    url = web_file.replace("ocme.csv", "people.json")
    publication = ready_publication(dataset, publisher_a, url=url)
    run = _run(publication, publisher_a, django_capture_on_commit_callbacks)
    assert run.status == RunStatus.SUCCEEDED, run.error
    rows = {r["id"]: r for r in _portal(sandbox, publication)}
    assert len(rows) == 120
    assert rows["j5"] == {"id": "j5", "age": "5"}


def test_sql_source_from_a_configured_database(
    publishing, sandbox, dataset, publisher_a, tmp_path, django_capture_on_commit_callbacks
):
    path = tmp_path / "warehouse.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("create table deaths (id text, age integer, town text)")
        db.executemany(
            "insert into deaths values (?, ?, ?)",
            [(f"q{n}", n, "Hartford" if n % 2 else None) for n in range(210)],
        )
    publishing.CTODP_SOURCE_DATABASES = {
        "warehouse": {"url": f"sqlite:///{path}", "agencies": ["alpha"]}
    }
    publication = ready_publication(
        dataset, publisher_a, database="warehouse", query="select id, age, town from deaths"
    )

    run = _run(publication, publisher_a, django_capture_on_commit_callbacks)

    assert run.status == RunStatus.SUCCEEDED, run.error
    rows = {r["id"]: r for r in _portal(sandbox, publication)}
    assert len(rows) == 210
    assert rows["q2"] == {"id": "q2", "age": "2"}
    with pytest.raises(ValidationError, match="No database"):
        services.publication_attach_source(
            publication=publication, acting_user=publisher_a, database="other", query="select 1"
        )


def test_external_link_registers_metadata_without_rows(
    publishing, sandbox, dataset, publisher_a, django_capture_on_commit_callbacks
):
    url = "https://ct.example/incidents.xml"
    publication = services.publication_create(
        dataset=dataset, acting_user=publisher_a, kind=Kind.EXTERNAL, external_url=url
    )
    run = _run(publication, publisher_a, django_capture_on_commit_callbacks)
    assert run.status == RunStatus.SUCCEEDED, run.error
    publication.refresh_from_db()
    view = requests.get(
        f"{sandbox.url}/api/views/{publication.portal_id}.json",
        auth=(USERNAME, PASSWORD),
        timeout=5,
    ).json()
    assert view["metadata"]["accessPoints"] == {"URL": url}
    assert view["metadata"]["custom_fields"]["Dataset Information"]["Row Label"] == "Death"
    assert view["category"] == "Health and Human Services"
    assert view["attributionLink"] == "https://portal.ct.gov/ocme"


def test_only_a_reviewer_makes_a_publication_public(
    publishing, sandbox, dataset, publisher_a, cdo, django_capture_on_commit_callbacks
):
    publication = ready_publication(dataset, publisher_a)
    _run(publication, publisher_a, django_capture_on_commit_callbacks)
    publication.refresh_from_db()
    record_screen(publication)
    with pytest.raises(PermissionDenied):
        services.publication_make_public(publication=publication, acting_user=publisher_a)

    services.publication_make_public(publication=publication, acting_user=cdo)

    assert publication.visibility == Visibility.PUBLIC
    anonymous = requests.get(f"{sandbox.url}/resource/{publication.portal_id}.json", timeout=5)
    assert anonymous.status_code == 200
    assert publication.history.first().history_user == cdo


def test_a_private_asset_is_not_readable_anonymously(
    publishing, sandbox, dataset, publisher_a, django_capture_on_commit_callbacks
):
    publication = ready_publication(dataset, publisher_a)
    _run(publication, publisher_a, django_capture_on_commit_callbacks)
    publication.refresh_from_db()
    anonymous = requests.get(f"{sandbox.url}/resource/{publication.portal_id}.json", timeout=5)
    assert anonymous.status_code in (401, 403, 404)


def test_only_one_claim_of_a_run_succeeds(dataset, publisher_a):
    publication = ready_publication(dataset, publisher_a)
    run = PublicationRun.objects.create(publication=publication)
    assert runner.claim(run.pk) is not None
    assert runner.claim(run.pk) is None
    run.refresh_from_db()
    assert (run.status, run.attempts) == (RunStatus.RUNNING, 1)


def test_a_second_run_cannot_start_while_one_is_active(dataset, publisher_a):
    publication = ready_publication(dataset, publisher_a)
    PublicationRun.objects.create(publication=publication)
    with pytest.raises(ValidationError, match="already queued or running"):
        services.run_start(publication=publication, acting_user=publisher_a)


def test_the_sweeper_requeues_stuck_runs_and_gives_up_after_the_attempts(
    settings, publishing, sandbox, dataset, publisher_a, django_capture_on_commit_callbacks
):
    publication = ready_publication(dataset, publisher_a)
    long_ago = timezone.now() - datetime.timedelta(hours=2)
    stuck = PublicationRun.objects.create(
        publication=publication, status=RunStatus.RUNNING, attempts=1, heartbeat_at=long_ago
    )
    hopeless = PublicationRun.objects.create(
        publication=ready_publication(ocme_dataset(dataset.agency), publisher_a),
        status=RunStatus.RUNNING,
        attempts=settings.CTODP_RUN_MAX_ATTEMPTS,
        heartbeat_at=long_ago,
    )

    with django_capture_on_commit_callbacks(execute=True):
        requeued = services.runs_sweep()

    assert requeued == [stuck.pk]
    stuck.refresh_from_db()
    hopeless.refresh_from_db()
    assert (stuck.status, stuck.attempts) == (RunStatus.SUCCEEDED, 2)  # requeued and pushed
    assert hopeless.status == RunStatus.FAILED
    assert "given up" in hopeless.error


def test_a_cancelled_run_is_not_executed(dataset, publisher_a):
    publication = ready_publication(dataset, publisher_a)
    run = PublicationRun.objects.create(publication=publication)
    assert services.run_cancel(run=run, acting_user=publisher_a)
    services.run_execute(run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.CANCELLED
    assert run.attempts == 0


def test_an_adopted_asset_is_written_only_when_it_has_every_column(
    publishing, sandbox, soda, dataset, publisher_a, django_capture_on_commit_callbacks
):
    columns = [
        {"fieldName": "id", "name": "ID", "dataTypeName": "text"},
        {"fieldName": "age", "name": "Age", "dataTypeName": "number"},
    ]
    existing = soda.create("Existing", columns=columns, row_identifier="id")["id"]
    owned(existing, dataset.agency)  # the sync says it is agency A's (ADR 0016)
    publication = services.publication_create(
        dataset=dataset, acting_user=publisher_a, portal_id=existing
    )
    services.publication_attach_source(
        publication=publication,
        acting_user=publisher_a,
        file=ocme_upload("a.csv", _csv(["ID,Age,Town", "a1,40,Hartford"])),
    )
    services.publication_confirm_columns(
        publication=publication, acting_user=publisher_a, row_identifier="id"
    )

    refused = _run(publication, publisher_a, django_capture_on_commit_callbacks)
    assert refused.status == RunStatus.FAILED
    assert f"The portal asset {existing} has no column for: Town" in refused.error

    services.publication_attach_source(
        publication=publication,
        acting_user=publisher_a,
        file=ocme_upload("b.csv", _csv(["ID,Age", "a1,40", "a2,41"])),
    )
    services.publication_confirm_columns(
        publication=publication, acting_user=publisher_a, row_identifier="id"
    )
    run = _run(publication, publisher_a, django_capture_on_commit_callbacks)
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert sorted(r["id"] for r in _portal(sandbox, publication)) == ["a1", "a2"]
