"""Issue 7 pages: the screen on the publication page, its exports, exceptions, lint, scoping."""

import io
import json

import pytest

from privacy import services as privacy_services
from privacy.models import PrivacyException, PrivacyScreen
from publishing.models import RunStatus
from tests.publishing.helpers import ocme_dataset, ready_publication


@pytest.fixture
def dataset(agency_a):
    return ocme_dataset(agency_a)


@pytest.fixture
def screen(client, dataset, publisher_a, django_capture_on_commit_callbacks) -> PrivacyScreen:
    publication = ready_publication(dataset, publisher_a)
    client.force_login(publisher_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/publishing/{publication.pk}/privacy/screen/", {"threshold": 5})
    return PrivacyScreen.objects.get(publication=publication)


def test_the_publisher_screens_and_the_publication_page_shows_the_verdict(client, screen):
    assert screen.status == RunStatus.SUCCEEDED, screen.error
    page = client.get(f"/publishing/{screen.publication_id}/").content.decode()
    assert 'id="screen-verdict">HIGH<' in page
    assert f"/publishing/privacy/{screen.pk}/report.json" in page
    assert 'id="privacy-gate"' in page  # the reason make-public would be refused


def test_the_report_exports_as_json_and_html(client, screen):
    answer = client.get(f"/publishing/privacy/{screen.pk}/report.json")
    body = json.loads(answer.content)
    assert body["verdict"] == "high"
    assert body["report"]["rows"] == screen.rows_read
    assert "attachment" in answer["Content-Disposition"]
    page = client.get(f"/publishing/privacy/{screen.pk}/?download=1")
    assert page["Content-Disposition"] == f'attachment; filename="privacy-screen-{screen.pk}.html"'
    html = page.content.decode()
    assert 'id="screen-columns"' in html
    for column in screen.report["columns"]:
        assert column["name"] in html


def test_the_progress_partial_polls_while_the_screen_runs(client, dataset, publisher_a):
    publication = ready_publication(dataset, publisher_a)
    running = PrivacyScreen.objects.create(
        publication=publication, status=RunStatus.RUNNING, rows_read=1234
    )
    client.force_login(publisher_a)
    partial = client.get(f"/publishing/privacy/{running.pk}/progress/").content.decode()
    assert 'hx-trigger="every 1s"' in partial
    assert "1234 rows read" in partial


def test_an_exception_is_requested_by_the_publisher_and_approved_only_by_the_cdo(
    client, screen, publisher_a, ado_a, dapa, cdo
):
    client.post(f"/publishing/privacy/{screen.pk}/exception/", {"justification": "Aggregated."})
    exception = PrivacyException.objects.get()
    approve = f"/publishing/privacy/exceptions/{exception.pk}/approve/"
    for persona in (publisher_a, ado_a, dapa):
        client.force_login(persona)
        assert client.post(approve).status_code == 403
    client.force_login(cdo)
    assert (
        "Approve the exception" in client.get(f"/publishing/privacy/{screen.pk}/").content.decode()
    )
    client.post(approve)
    exception.refresh_from_db()
    assert exception.approved_by == cdo
    page = client.get(f"/publishing/{screen.publication_id}/").content.decode()
    assert 'id="privacy-gate"' not in page
    privacy_services.check_privacy_gate(screen.publication)


def test_another_agency_cannot_see_the_screen(client, screen, ado_b):
    client.force_login(ado_b)
    for url in (
        f"/publishing/privacy/{screen.pk}/",
        f"/publishing/privacy/{screen.pk}/report.json",
        f"/publishing/privacy/{screen.pk}/progress/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/publishing/{screen.publication_id}/privacy/screen/").status_code == 404
    assert (
        client.post(
            f"/publishing/privacy/{screen.pk}/exception/", {"justification": "x"}
        ).status_code
        == 404
    )


def test_the_publication_page_shows_the_lint_of_its_confirmed_columns(client, dataset, publisher_a):
    publication = ready_publication(dataset, publisher_a)
    client.force_login(publisher_a)
    page = client.get(f"/publishing/{publication.pk}/").content.decode()
    assert 'id="publication-lint"' in page
    assert 'data-code="column_description_missing"' in page
    assert 'data-code="last_updated_column_missing"' in page  # updated annually, no such column


def test_the_dataset_page_shows_the_latest_screen(client, screen, dataset):
    page = client.get(dataset.get_absolute_url()).content.decode()
    assert 'id="dataset-privacy"' in page
    assert "<strong>HIGH</strong> risk" in page
    assert f"/publishing/privacy/{screen.pk}/" in page


def test_the_report_page_explains_a_table_of_counts(client, agency_a, publisher_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from privacy.engine.screen import screen_source
    from publishing import services
    from tests.publishing.helpers import ocme_dataset, record_screen

    rows = "County,Sex,count\nTOLLAND,Female,2\nTOLLAND,Male,40\nWINDHAM,Female,30\n"
    upload = SimpleUploadedFile("counts.csv", rows.encode(), "text/csv")
    publication = services.publication_create(
        dataset=ocme_dataset(agency_a), acting_user=publisher_a, mode="replace"
    )
    services.publication_attach_source(
        publication=publication, acting_user=publisher_a, file=upload
    )
    report = screen_source(io.StringIO(rows)).to_dict()
    screen = record_screen(publication, verdict=report["verdict"], report=report)
    client.force_login(publisher_a)
    page = client.get(f"/publishing/privacy/{screen.pk}/").content.decode()
    assert 'id="screen-cell-table"' in page
    assert "1 visible from 1 to 5" in page
    assert "TOLLAND" in page
