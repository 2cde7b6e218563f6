"""Rows the portal holds that the source no longer has (issue #17.4, ADR 0023): an upsert
publication may delete them (Socrata `:deleted`), and otherwise its run warns how many."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from publishing import services
from publishing.models import PublicationRun, RunStatus
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
from tests.sandbox import PASSWORD, USERNAME, writes_received


@pytest.fixture
def publication(portal_settings, agency_a, publisher_a):
    portal_settings.SOCRATA_CHUNK_SIZE = 100
    return ready_publication(ocme_dataset(agency_a), publisher_a)


def _run(publication, user, capture) -> PublicationRun:
    with capture(execute=True):
        run = services.run_start(publication=publication, acting_user=user)
    run.refresh_from_db()
    return run


def _on_portal(sandbox, publication) -> dict:
    publication.refresh_from_db()
    rows = portal_rows(sandbox.domain, publication.portal_id, USERNAME, PASSWORD)
    return {row["id"]: row for row in rows}


def _shrink_source(publication, user, rows: int, **confirm) -> None:
    services.publication_attach_source(
        publication=publication, acting_user=user, file=ocme_head(rows)
    )
    services.publication_confirm_columns(
        publication=publication, acting_user=user, row_identifier="id", **confirm
    )


def test_an_upsert_of_a_smaller_source_warns_of_the_rows_left_on_the_portal(
    client, sandbox, publication, publisher_a, django_capture_on_commit_callbacks
):
    _run(publication, publisher_a, django_capture_on_commit_callbacks)
    _shrink_source(publication, publisher_a, 260)

    run = _run(publication, publisher_a, django_capture_on_commit_callbacks)

    assert run.status == RunStatus.SUCCEEDED, run.error
    assert "The portal holds 40 rows the source no longer has" in run.warning
    assert len(_on_portal(sandbox, publication)) == 300  # nothing deleted without the option
    client.force_login(publisher_a)
    page = client.get(reverse("publishing:run_progress", args=[run.pk])).content.decode()
    assert "Succeeded with a warning: The portal holds 40 rows" in page


def test_an_upsert_that_deletes_missing_rows_leaves_the_portal_equal_to_the_source(
    sandbox, publication, publisher_a, django_capture_on_commit_callbacks
):
    _run(publication, publisher_a, django_capture_on_commit_callbacks)
    _shrink_source(publication, publisher_a, 260, delete_missing=True)

    run = _run(publication, publisher_a, django_capture_on_commit_callbacks)

    assert run.status == RunStatus.SUCCEEDED, run.error
    assert run.warning == ""
    assert _on_portal(sandbox, publication) == expected_rows(ocme_records()[:260])
    assert (run.rows_updated, run.rows_deleted) == (260, 40)
    first = publication.runs.exclude(pk=run.pk).get()
    assert counts_of(first)["created"] + counts_of(run)["deleted"] == 340
    tally = received(writes_received(sandbox, publication.portal_id))
    assert (tally["deleted"], tally["updated"]) == (40, 260)


def test_an_unchanged_upsert_with_deletion_sends_no_delete(
    sandbox, publication, publisher_a, django_capture_on_commit_callbacks
):
    _shrink_source(publication, publisher_a, 300, delete_missing=True)

    run = _run(publication, publisher_a, django_capture_on_commit_callbacks)

    assert (run.status, run.rows_created, run.rows_deleted) == (RunStatus.SUCCEEDED, 300, 0)


def test_only_an_upsert_may_delete_missing_rows(portal_settings, agency_a, publisher_a):
    with pytest.raises(ValidationError, match="Only an upsert deletes missing rows"):
        services.publication_create(
            dataset=ocme_dataset(agency_a), acting_user=publisher_a, mode="replace",
            delete_missing=True,
        )  # fmt: skip


def test_the_api_creates_a_publication_that_deletes_missing_rows(
    client, portal_settings, agency_a, publisher_a
):
    dataset = ocme_dataset(agency_a)
    client.force_login(publisher_a)

    response = client.post(
        reverse("api:publication-list"),
        {"dataset": dataset.pk, "row_identifier": "id", "delete_missing": True},
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["delete_missing"] is True


def test_the_publisher_turns_deletion_on_when_confirming_the_columns(
    client, portal_settings, publication, publisher_a
):
    client.force_login(publisher_a)
    page = client.get(publication.get_absolute_url()).content.decode()
    assert 'name="delete_missing"' in page

    client.post(
        reverse("publishing:columns", args=[publication.pk]),
        {"row_identifier": "id", "delete_missing": "on"},
    )

    publication.refresh_from_db()
    assert publication.delete_missing
