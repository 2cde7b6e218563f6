"""Counters that tell the truth (issue #17.3, ADR 0023): what the portal acknowledged, added up
over every attempt, with rows sent without an answer counted as unknown. The sandbox's own
tally of the writes it received is the independent computation they are checked against."""

import pytest
from django.urls import reverse

from publishing import attempts, services
from publishing.models import AttemptOutcome, PublicationRun, RunStatus
from tests.publishing.helpers import (
    counts_of,
    expected_rows,
    ocme_dataset,
    ocme_head,
    ocme_records,
    portal_rows,
    ready_publication,
    received,
)
from tests.sandbox import PASSWORD, USERNAME, inject, writes_received

WRITES = {"path_prefix": "/resource/", "method": "POST"}


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


def _portal_ids(sandbox, publication) -> list[str]:
    publication.refresh_from_db()
    rows = portal_rows(sandbox.domain, publication.portal_id, USERNAME, PASSWORD)
    return sorted(row["id"] for row in rows)


def _tally(sandbox, publication) -> dict[str, int]:
    publication.refresh_from_db()
    return received(writes_received(sandbox, publication.portal_id))


def test_a_lost_answer_is_counted_unknown_not_updated_and_the_counts_equal_the_portals(
    sandbox, publication, publisher_a, django_capture_on_commit_callbacks
):
    inject(sandbox, drop=True, after=True, **WRITES)  # the first chunk applied, answer lost

    run = _run(publication, publisher_a, django_capture_on_commit_callbacks)

    assert run.status == RunStatus.SUCCEEDED, run.error
    # Chunk 1 was created by the lost try; its retry updated the same 100 rows.
    assert counts_of(run) == {"created": 200, "updated": 100, "deleted": 0, "unknown": 100}
    assert counts_of(run) == _tally(sandbox, publication)


def test_errors_throttling_and_drops_leave_counts_equal_to_what_the_portal_received(
    sandbox, publication, publisher_a, django_capture_on_commit_callbacks
):
    inject(sandbox, status=500, count=2, **WRITES)  # refused before applying: unknown all the same
    inject(sandbox, status=429, retry_after=0, **WRITES)  # throttled: surely not applied
    inject(sandbox, drop=True, **WRITES)  # dropped unread
    inject(sandbox, status=500, after=True, **WRITES)  # applied, then a 500

    run = _run(publication, publisher_a, django_capture_on_commit_callbacks)

    assert run.status == RunStatus.SUCCEEDED, run.error
    assert counts_of(run)["unknown"] == 400  # four tries of 100 rows without a real answer
    assert counts_of(run) == _tally(sandbox, publication)
    assert _portal_ids(sandbox, publication) == sorted(expected_rows(ocme_records()))


def test_every_attempt_counts_and_keeps_its_error_after_the_run_succeeds(
    sandbox, publication, publisher_a, publishing_settings, django_capture_on_commit_callbacks
):
    publishing_settings.SOCRATA_RETRIES = 0
    publishing_settings.CTODP_RUN_MAX_ATTEMPTS = 3
    inject(sandbox, delay=0.01, count=1, **WRITES)  # chunk 1 of attempt 1 goes through
    inject(sandbox, status=503, message="Down for maintenance", **WRITES)  # then chunk 2 fails

    run = _run(publication, publisher_a, django_capture_on_commit_callbacks)

    assert (run.status, run.attempts, run.error) == (RunStatus.SUCCEEDED, 2, "")
    first, second = run.attempt_log.all()
    assert first.outcome == AttemptOutcome.RETRY
    assert "Down for maintenance" in first.error
    assert (first.rows_created, first.rows_unknown) == (100, 100)
    assert (second.outcome, second.rows_created, second.rows_updated) == ("succeeded", 200, 100)
    assert counts_of(run) == {"created": 300, "updated": 100, "deleted": 0, "unknown": 100}
    assert counts_of(run) == _tally(sandbox, publication)


def test_a_replace_reports_the_rows_it_removed(
    sandbox, publishing_settings, agency_a, publisher_a, django_capture_on_commit_callbacks
):
    publication = ready_publication(ocme_dataset(agency_a), publisher_a, mode="replace")
    _run(publication, publisher_a, django_capture_on_commit_callbacks)
    publication.refresh_from_db()
    services.publication_attach_source(
        publication=publication, acting_user=publisher_a, file=ocme_head(50)
    )

    run = _run(publication, publisher_a, django_capture_on_commit_callbacks)

    assert run.status == RunStatus.SUCCEEDED, run.error
    assert (run.rows_created, run.rows_deleted) == (50, 300)
    assert received(writes_received(sandbox, publication.portal_id))["deleted"] == 300
    assert len(_portal_ids(sandbox, publication)) == 50


def test_the_progress_page_and_the_api_show_the_attempts(
    client, sandbox, publication, publisher_a, publishing_settings,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    publishing_settings.SOCRATA_RETRIES = 0
    inject(sandbox, status=503, message="Down for maintenance", **WRITES)
    inject(sandbox, drop=True, after=True, **WRITES)
    run = _run(publication, publisher_a, django_capture_on_commit_callbacks)
    client.force_login(publisher_a)

    page = client.get(reverse("publishing:run_progress", args=[run.pk])).content.decode()
    detail = client.get(reverse("api:run-detail", args=[run.pk])).json()

    assert 'id="run-attempts"' in page
    assert "Down for maintenance" in page
    assert "unknown 200 (sent without an answer" in page
    assert [a["outcome"] for a in detail["attempt_log"]] == ["retry", "retry", "succeeded"]
    assert detail["rows_unknown"] == 200
    assert "Down for maintenance" in detail["attempt_log"][0]["error"]


def test_a_worker_stopped_between_the_runs_count_and_the_attempts_counts_the_chunk_once(
    sandbox, publication, publisher_a, monkeypatch, django_capture_on_commit_callbacks
):
    # The run's counters and the attempt's move in one transaction: stopped between the two,
    # the chunk is neither acknowledged on the run nor cleared from the attempt's rows in
    # flight, so closing the attempt counts it once, as unknown (not created and unknown).
    real, calls = attempts.attempt_count, []

    def stopped_on_the_second_chunk(attempt, **changes):
        calls.append(changes)
        if len(calls) == 2:
            raise RuntimeError("worker stopped")
        real(attempt, **changes)

    monkeypatch.setattr(attempts, "attempt_count", stopped_on_the_second_chunk)

    with pytest.raises(RuntimeError, match="worker stopped"):
        _run(publication, publisher_a, django_capture_on_commit_callbacks)
    run = PublicationRun.objects.get(publication=publication)
    # What the sweeper (or the next claim) does with the attempt of a worker that stopped.
    attempts.attempts_close(run.pk, AttemptOutcome.LOST, "The worker stopped answering.")

    assert counts_of(run) == {"created": 100, "updated": 0, "deleted": 0, "unknown": 100}
    (attempt,) = run.attempt_log.all()
    assert (attempt.rows_created, attempt.rows_unknown, attempt.rows_in_flight) == (100, 100, 0)
    assert _tally(sandbox, publication)["created"] == 200  # the second chunk did arrive
