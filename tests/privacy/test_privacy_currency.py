"""Issue 7, ADR 0007 (tightened gate): make-public needs a current screen of the current source;
a source change makes earlier screens stale, a refresh does not; stuck screens are swept."""

import sqlite3
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from privacy import services as privacy_services
from privacy import tasks
from privacy.models import PrivacyScreen
from publishing import services
from publishing.models import Kind, RunStatus
from tests.publishing.helpers import (
    attach,
    ocme_dataset,
    ocme_upload,
    ready_publication,
    record_screen,
)


@pytest.fixture
def dataset(agency_a):
    return ocme_dataset(agency_a)


@pytest.fixture
def warehouse(settings, tmp_path) -> str:
    path = tmp_path / "warehouse.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("create table deaths (id text, age integer, town text)")
        db.executemany(
            "insert into deaths values (?, ?, ?)", [(f"q{n}", n, "Lyme") for n in range(9)]
        )
    settings.CTODP_SOURCE_DATABASES = {
        "warehouse": {"url": f"sqlite:///{path}", "agencies": ["alpha"]}
    }
    return "warehouse"


def _current(screen: PrivacyScreen) -> bool:
    screen.refresh_from_db()
    screen.publication.refresh_from_db()
    return screen.is_current


def test_an_unscreened_publication_is_refused_with_what_to_do(dataset, publisher_a):
    publication = ready_publication(dataset, publisher_a)
    with pytest.raises(ValidationError, match=r"has not been screened.*Run the privacy screen"):
        privacy_services.check_privacy_gate(publication)


def test_an_external_link_needs_no_screen(dataset, publisher_a):
    publication = services.publication_create(
        dataset=dataset, acting_user=publisher_a, kind=Kind.EXTERNAL, external_url="https://x.ct/"
    )
    privacy_services.check_privacy_gate(publication)


def test_a_new_upload_makes_the_screen_stale_and_reopens_the_gate_question(
    client, dataset, publisher_a, cdo
):
    publication = ready_publication(dataset, publisher_a)
    screen = record_screen(publication)
    privacy_services.check_privacy_gate(publication)

    services.publication_attach_source(
        publication=publication, acting_user=publisher_a, file=ocme_upload()
    )

    assert not _current(screen)
    with pytest.raises(
        ValidationError, match=f"source changed since the latest privacy screen \\(#{screen.pk}\\)"
    ):
        privacy_services.check_privacy_gate(publication)
    client.force_login(cdo)
    page = client.get(f"/publishing/{publication.pk}/").content.decode()
    assert 'id="screen-stale"' in page
    assert "Source changed since this screen" in page
    report = client.get(f"/publishing/privacy/{screen.pk}/").content.decode()
    assert "Source changed since this screen" in report
    assert "Make public</button>" not in page
    inventory_page = client.get(publication.dataset.get_absolute_url()).content.decode()
    assert "(source changed since this screen)" in inventory_page


def test_a_changed_query_makes_the_screen_stale_the_same_query_does_not(
    dataset, publisher_a, warehouse
):
    query = "select id, age, town from deaths"
    publication = ready_publication(dataset, publisher_a, database=warehouse, query=query)
    screen = record_screen(publication)

    attach(publication, publisher_a, database=warehouse, query=query)
    assert _current(screen)

    attach(publication, publisher_a, database=warehouse, query=query + " where age > 2")
    assert not _current(screen)


def test_columns_confirmed_again_with_another_set_make_the_screen_stale(
    dataset, publisher_a, warehouse
):
    query = "select * from deaths"
    publication = ready_publication(dataset, publisher_a, database=warehouse, query=query)
    confirm = {"publication": publication, "acting_user": publisher_a, "row_identifier": "id"}
    screen = record_screen(publication)
    services.publication_confirm_columns(**confirm)  # the same set, confirmed again
    assert _current(screen)

    # The table behind the same query gains a column: read again, then confirmed.
    path = settings.CTODP_SOURCE_DATABASES[warehouse]["url"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        db.execute("alter table deaths add column sex text")
    attach(publication, publisher_a, database=warehouse, query=query)
    assert _current(screen)  # the same configuration
    services.publication_confirm_columns(**confirm)
    assert not _current(screen)


def test_a_refresh_that_brings_new_rows_keeps_the_screen_current(
    portal_settings, sandbox, dataset, publisher_a, django_capture_on_commit_callbacks
):
    publication = ready_publication(dataset, publisher_a)
    screen = record_screen(publication)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_start(publication=publication, acting_user=publisher_a)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert _current(screen)


def test_a_push_to_a_public_asset_passes_the_gate_first(dataset, publisher_a):
    publication = ready_publication(dataset, publisher_a)
    publication.visibility = "public"
    publication.save(update_fields=["visibility"])
    with pytest.raises(ValidationError, match="has not been screened"):
        services.run_start(publication=publication, acting_user=publisher_a)
    record_screen(publication)
    services.run_start(publication=publication, acting_user=publisher_a)


def test_a_screen_records_the_source_version_it_read(
    dataset, publisher_a, django_capture_on_commit_callbacks
):
    publication = ready_publication(dataset, publisher_a)
    with django_capture_on_commit_callbacks(execute=True):
        screen = privacy_services.screen_start(publication=publication, acting_user=publisher_a)
    screen.refresh_from_db()
    assert screen.status == RunStatus.SUCCEEDED, screen.error
    assert screen.source_version == publication.source_version > 0
    assert screen.heartbeat_at is not None


def test_the_sweeper_fails_screens_without_progress_and_a_new_screen_may_start(
    dataset, publisher_a
):
    publication = ready_publication(dataset, publisher_a)
    bound = timedelta(seconds=settings.CTODP_SCREEN_STUCK_AFTER)
    old = timezone.now() - bound - timedelta(minutes=1)
    stuck = PrivacyScreen.objects.create(
        publication=publication, status=RunStatus.RUNNING, heartbeat_at=old
    )
    other = ready_publication(ocme_dataset(publication.agency), publisher_a)
    lively = PrivacyScreen.objects.create(
        publication=other, status=RunStatus.QUEUED, heartbeat_at=timezone.now()
    )

    assert tasks.sweep_stuck_screens() == {"screens": [stuck.pk], "aggregations": []}

    stuck.refresh_from_db()
    lively.refresh_from_db()
    assert stuck.status == RunStatus.FAILED
    assert "No progress" in stuck.error
    assert "Start the screen again" in stuck.error
    assert lively.status == RunStatus.QUEUED
    privacy_services.screen_start(publication=publication, acting_user=publisher_a)


def test_a_swept_screen_that_wakes_up_does_not_overwrite_the_failure(dataset, publisher_a):
    publication = ready_publication(dataset, publisher_a)
    old = timezone.now() - timedelta(days=1)
    stuck = PrivacyScreen.objects.create(
        publication=publication, status=RunStatus.RUNNING, heartbeat_at=old
    )
    privacy_services.screens_sweep()
    privacy_services._finish(stuck.pk, RunStatus.SUCCEEDED, verdict="low")
    stuck.refresh_from_db()
    assert (stuck.status, stuck.verdict) == (RunStatus.FAILED, "")


def test_the_screen_sweeper_is_on_the_beat_schedule():
    entries = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "publishing.sweep_stuck_screens" in entries
