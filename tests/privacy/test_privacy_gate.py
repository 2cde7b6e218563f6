"""Issue 7: the stored privacy screen and the make-public gate (ADR 0007)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from privacy import services as privacy_services
from privacy.models import PrivacyScreen
from publishing import services
from publishing.models import RunStatus, Visibility
from tests.publishing.helpers import ocme_dataset, ready_publication, record_screen


@pytest.fixture
def dataset(agency_a):
    return ocme_dataset(agency_a)


def screened(publication, user, capture) -> PrivacyScreen:
    with capture(execute=True):
        screen = privacy_services.screen_start(publication=publication, acting_user=user)
    screen.refresh_from_db()
    return screen


def pushed(publication, user, capture):
    with capture(execute=True):
        services.run_start(publication=publication, acting_user=user)
    publication.refresh_from_db()
    return publication


def test_the_screen_task_stores_a_high_risk_report_of_the_ocme_slice(
    dataset, publisher_a, django_capture_on_commit_callbacks
):
    publication = ready_publication(dataset, publisher_a)
    screen = screened(publication, publisher_a, django_capture_on_commit_callbacks)
    assert screen.status == RunStatus.SUCCEEDED, screen.error
    assert screen.verdict == "high"
    assert screen.rows_read == screen.report["rows"] > 0
    assert screen.report["verdict"] == "high"
    assert screen.quasi_identifiers == screen.report["quasi_identifiers"]
    assert screen.k == screen.report["k"]
    assert screen.requested_by == publisher_a


def test_the_screen_reports_progress_through_its_callback(tmp_path):
    from privacy.engine.screen import screen_source
    from tests.publishing.helpers import OCME

    seen: list[int] = []
    report = screen_source(OCME, chunksize=50, progress=seen.append)
    assert seen == sorted(seen)
    assert seen[-1] == report.rows
    assert len(seen) > 1


def test_a_second_screen_cannot_start_while_one_is_queued(dataset, publisher_a):
    publication = ready_publication(dataset, publisher_a)
    privacy_services.screen_start(publication=publication, acting_user=publisher_a)
    with pytest.raises(ValidationError, match="already under way"):
        privacy_services.screen_start(publication=publication, acting_user=publisher_a)


def test_make_public_is_refused_on_high_risk_without_an_approved_exception(
    portal_settings, sandbox, dataset, publisher_a, cdo, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    publication = pushed(ready_publication(dataset, publisher_a), publisher_a, capture)
    screen = screened(publication, publisher_a, capture)
    with pytest.raises(ValidationError, match="high re-identification risk"):
        services.publication_make_public(publication=publication, acting_user=cdo)

    exception = privacy_services.exception_request(
        screen=screen, acting_user=publisher_a, justification="Already public in OCME reports."
    )
    with pytest.raises(ValidationError, match="high re-identification risk"):
        services.publication_make_public(publication=publication, acting_user=cdo)

    privacy_services.exception_approve(exception=exception, acting_user=cdo)
    services.publication_make_public(publication=publication, acting_user=cdo)
    assert publication.visibility == Visibility.PUBLIC
    assert exception.history.first().history_user == cdo
    assert exception.history.first().approved_by == cdo


def test_an_exception_for_an_older_screen_does_not_open_the_gate(
    dataset, publisher_a, cdo, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    publication = ready_publication(dataset, publisher_a)
    old = screened(publication, publisher_a, capture)
    exception = privacy_services.exception_request(
        screen=old, acting_user=publisher_a, justification="ok"
    )
    privacy_services.exception_approve(exception=exception, acting_user=cdo)
    privacy_services.check_privacy_gate(publication)
    screened(publication, publisher_a, capture)
    with pytest.raises(ValidationError):
        privacy_services.check_privacy_gate(publication)


@pytest.mark.parametrize("persona", ["ado_a", "publisher_a", "dapa", "portal_admin"])
def test_only_the_cdo_approves_an_exception(
    request, persona, dataset, publisher_a, django_capture_on_commit_callbacks
):
    publication = ready_publication(dataset, publisher_a)
    screen = screened(publication, publisher_a, django_capture_on_commit_callbacks)
    exception = privacy_services.exception_request(
        screen=screen, acting_user=publisher_a, justification="why"
    )
    with pytest.raises(PermissionDenied):
        privacy_services.exception_approve(
            exception=exception, acting_user=request.getfixturevalue(persona)
        )


def test_a_low_or_medium_screen_needs_no_exception(dataset, publisher_a):
    publication = ready_publication(dataset, publisher_a)
    screen = record_screen(publication, verdict="medium", k=3)
    privacy_services.check_privacy_gate(publication)
    with pytest.raises(ValidationError, match="Only a high-risk"):
        privacy_services.exception_request(
            screen=screen, acting_user=publisher_a, justification="why"
        )


def test_the_apps_own_suppressed_table_passes_the_gate_without_an_exception(
    dataset, publisher_a, django_capture_on_commit_callbacks
):
    # Issue #14.4: the screen judges a table of cells by the cell rules, so what the
    # suppression page recommended and wrote is not called high risk.
    from privacy import aggregation

    raw = ready_publication(dataset, publisher_a)
    table = services.publication_create(dataset=dataset, acting_user=publisher_a, mode="replace")
    aggregation.save_as_source(
        source=raw,
        target=table,
        acting_user=publisher_a,
        by=["DeathCounty", "Sex"],
        value="",
        threshold=5,
    )
    table = services.publication_confirm_columns(
        publication=table, acting_user=publisher_a, row_identifier=""
    )
    screen = screened(table, publisher_a, django_capture_on_commit_callbacks)
    assert screen.status == RunStatus.SUCCEEDED, screen.error
    assert screen.verdict == "low", screen.report
    cells = screen.report["table"]
    assert cells["hidden"] > 0
    assert (cells["small_visible"], cells["recoverable"]) == (0, 0)
    privacy_services.check_privacy_gate(table)  # no exception needed


def test_an_unsuppressed_table_with_small_counts_is_high_risk(
    dataset, publisher_a, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    rows = "County,Sex,count\nTOLLAND,Female,2\nTOLLAND,Male,40\nWINDHAM,Female,30\n"
    upload = SimpleUploadedFile("counts.csv", rows.encode(), "text/csv")
    table = services.publication_create(dataset=dataset, acting_user=publisher_a, mode="replace")
    services.publication_attach_source(publication=table, acting_user=publisher_a, file=upload)
    table = services.publication_confirm_columns(
        publication=table, acting_user=publisher_a, row_identifier=""
    )
    screen = screened(table, publisher_a, django_capture_on_commit_callbacks)
    assert screen.verdict == "high", screen.report
    with pytest.raises(ValidationError, match="high re-identification risk"):
        privacy_services.check_privacy_gate(table)
