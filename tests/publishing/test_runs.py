"""Runs end to end against the sandbox portal, with the real PortalClient and sodapy."""

import pytest
import requests

from publishing import services
from publishing.models import PublicationRun, RunStatus
from tests.publishing.helpers import (
    expected_rows,
    ocme_dataset,
    ocme_records,
    ocme_upload,
    portal_rows,
    ready_publication,
    sandbox_writes,
)
from tests.sandbox import PASSWORD, USERNAME, forget_requests, inject, requests_seen


@pytest.fixture
def publishing_settings(portal_settings):
    portal_settings.SOCRATA_RETRIES = 6
    portal_settings.SOCRATA_CHUNK_SIZE = 100  # the 300-row slice goes in three chunks
    return portal_settings


@pytest.fixture
def publication(publishing_settings, agency_a, publisher_a):
    return ready_publication(ocme_dataset(agency_a), publisher_a)


def _run(publication, user, capture) -> PublicationRun:
    with capture(execute=True):
        run = services.run_start(publication=publication, acting_user=user)
    run.refresh_from_db()
    return run


def _rows_on_portal(sandbox, publication) -> dict:
    publication.refresh_from_db()
    rows = portal_rows(sandbox.domain, publication.portal_id, USERNAME, PASSWORD)
    return {row["id"]: row for row in rows}


def test_first_run_puts_exactly_the_file_rows_on_a_private_asset(
    sandbox, publication, publisher_a, django_capture_on_commit_callbacks
):
    run = _run(publication, publisher_a, django_capture_on_commit_callbacks)

    assert run.status == RunStatus.SUCCEEDED, run.error
    assert (run.rows_created, run.rows_updated, run.rows_deleted) == (300, 0, 0)
    assert (run.chunks_done, run.chunks_total, run.percent) == (3, 3, 100)
    assert run.bytes_sent > 0
    assert run.attempts == 1
    assert _rows_on_portal(sandbox, publication) == expected_rows(ocme_records())
    view = requests.get(f"{sandbox.url}/api/views/{publication.portal_id}.json", timeout=5)
    assert view.status_code == 404 or view.json().get("grants") in (None, [])


def test_second_run_is_recognised_unchanged_and_writes_nothing(
    sandbox, publication, publisher_a, django_capture_on_commit_callbacks
):
    _run(publication, publisher_a, django_capture_on_commit_callbacks)
    forget_requests(sandbox)
    publication.refresh_from_db()

    second = _run(publication, publisher_a, django_capture_on_commit_callbacks)

    assert second.status == RunStatus.SUCCEEDED
    assert second.unchanged
    assert (second.rows_created, second.rows_updated) == (0, 0)
    assert sandbox_writes(sandbox) == []
    assert len(_rows_on_portal(sandbox, publication)) == 300


def test_run_survives_errors_throttling_and_a_dropped_connection(
    sandbox, publication, publisher_a, django_capture_on_commit_callbacks
):
    writes = {"path_prefix": "/resource/", "method": "POST"}
    inject(sandbox, status=500, count=3, **writes)
    inject(sandbox, status=429, retry_after=1, **writes)
    inject(sandbox, drop=True, after=True, **writes)  # applied, but the answer is lost

    run = _run(publication, publisher_a, django_capture_on_commit_callbacks)

    assert run.status == RunStatus.SUCCEEDED, run.error
    assert _rows_on_portal(sandbox, publication) == expected_rows(ocme_records())
    faulted = [r for r in requests_seen(sandbox) if r["fault"]]
    assert len(faulted) == 5


def test_a_transient_failure_past_the_adapter_retries_requeues_the_run(
    sandbox, publication, publisher_a, publishing_settings, django_capture_on_commit_callbacks
):
    publishing_settings.SOCRATA_RETRIES = 0  # the adapter gives up at once...
    publishing_settings.CTODP_RUN_MAX_ATTEMPTS = 3  # ...and the task tries the run again
    inject(sandbox, status=503, count=2, path_prefix="/resource/", method="POST")

    run = _run(publication, publisher_a, django_capture_on_commit_callbacks)

    assert run.status == RunStatus.SUCCEEDED, run.error
    assert run.attempts == 3
    assert _rows_on_portal(sandbox, publication) == expected_rows(ocme_records())


def test_a_permanent_portal_error_fails_the_run_with_the_portal_message(
    sandbox, publication, publisher_a, django_capture_on_commit_callbacks
):
    inject(sandbox, status=403, path_prefix="/api/views", message="No rights on this domain")

    run = _run(publication, publisher_a, django_capture_on_commit_callbacks)

    assert run.status == RunStatus.FAILED
    assert "HTTP 403" in run.error
    assert "No rights on this domain" in run.error
    assert run.attempts == 1


def test_an_unchanged_run_still_carries_a_metadata_edit_and_nothing_else(
    sandbox, publication, publisher_a, django_capture_on_commit_callbacks
):
    _run(publication, publisher_a, django_capture_on_commit_callbacks)
    dataset = publication.dataset
    dataset.description = "Updated description from the inventory."
    dataset.save()
    forget_requests(sandbox)
    publication.refresh_from_db()

    run = _run(publication, publisher_a, django_capture_on_commit_callbacks)

    assert run.unchanged
    assert [(w["method"], w["path"]) for w in sandbox_writes(sandbox)] == [
        ("PUT", f"/api/views/{publication.portal_id}.json")
    ]
    view = requests.get(
        f"{sandbox.url}/api/views/{publication.portal_id}.json",
        auth=(USERNAME, PASSWORD),
        timeout=5,
    ).json()
    assert view["description"] == "Updated description from the inventory."


def test_a_lost_answer_to_an_appended_chunk_restarts_the_replace_instead_of_doubling_rows(
    sandbox, publishing_settings, agency_a, publisher_a, django_capture_on_commit_callbacks
):
    # Without a row identifier a POST appends: sending a chunk again after a lost answer would
    # add its rows twice. The run starts over instead, with the replace's truncating PUT.
    publication = ready_publication(ocme_dataset(agency_a), publisher_a, mode="replace")
    services.publication_confirm_columns(
        publication=publication, acting_user=publisher_a, row_identifier=""
    )
    inject(sandbox, drop=True, after=True, path_prefix="/resource/", method="POST")

    run = _run(publication, publisher_a, django_capture_on_commit_callbacks)

    assert run.status == RunStatus.SUCCEEDED, run.error
    assert run.attempts == 2
    publication.refresh_from_db()
    rows = portal_rows(sandbox.domain, publication.portal_id, USERNAME, PASSWORD)
    assert len(rows) == 300
    assert {row["id"]: row for row in rows} == expected_rows(ocme_records())


def test_a_run_after_a_failed_one_pushes_even_content_equal_to_the_last_success(
    sandbox, publication, publisher_a, django_capture_on_commit_callbacks
):
    # The failed run wrote part of other content: "unchanged since the last success" no longer
    # describes the portal, so the next run must push.
    _run(publication, publisher_a, django_capture_on_commit_callbacks)
    first_row = b"14-0273,06/28/2014 12:00:00 AM,DateReported,"
    changed = ocme_upload().read().replace(first_row, first_row.replace(b"Reported", b"ofDeath"))
    services.publication_attach_source(
        publication=publication, acting_user=publisher_a, file=ocme_upload(content=changed)
    )
    writes = {"path_prefix": "/resource/", "method": "POST"}
    inject(sandbox, delay=0.01, count=1, **writes)  # the first chunk goes through
    inject(sandbox, status=403, message="Refused", **writes)
    failed = _run(publication, publisher_a, django_capture_on_commit_callbacks)
    assert failed.status == RunStatus.FAILED
    assert _rows_on_portal(sandbox, publication)["14-0273"]["datetype"] == "DateofDeath"
    services.publication_attach_source(
        publication=publication, acting_user=publisher_a, file=ocme_upload()
    )

    again = _run(publication, publisher_a, django_capture_on_commit_callbacks)

    assert again.status == RunStatus.SUCCEEDED, again.error
    assert not again.unchanged
    assert _rows_on_portal(sandbox, publication) == expected_rows(ocme_records())
