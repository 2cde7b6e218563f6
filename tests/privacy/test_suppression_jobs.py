"""Issue 7: a large, URL or SQL source is aggregated and suppressed by a worker with progress;
the request never reads it. Small uploads keep the in-request preview (test_suppression_pages)."""

import io
import sqlite3
from datetime import timedelta

import pandas as pd
import pytest
from django.utils import timezone

from privacy import aggregation as suppression_services
from privacy import tasks
from privacy.models import SuppressionJob
from publishing.models import Publication, RunStatus
from tests.publishing.helpers import ocme_dataset, ocme_records, ready_publication

QUERY = {"by": ["Sex", "ResidenceCounty"], "value": "", "threshold": 5}


@pytest.fixture
def large(settings):
    """Every upload counts as large: the worker path, on the OCME slice."""
    settings.CTODP_SUPPRESS_SYNC_BYTES = 0


@pytest.fixture
def publication(agency_a, publisher_a) -> Publication:
    return ready_publication(ocme_dataset(agency_a), publisher_a)


def _start(client, publication, capture, **extra) -> SuppressionJob:
    with capture(execute=True):
        answer = client.post(f"/publishing/{publication.pk}/suppress/start/", {**QUERY, **extra})
    job = SuppressionJob.objects.latest("pk")
    assert answer.url == f"/publishing/suppress/jobs/{job.pk}/"
    job.refresh_from_db()
    return job


def test_a_large_source_is_not_read_in_the_request(client, large, publication, publisher_a):
    client.force_login(publisher_a)
    page = client.get(f"/publishing/{publication.pk}/suppress/", QUERY).content.decode()
    assert 'id="suppress-in-worker"' in page
    assert 'method="post"' in page
    assert 'id="suppress-preview"' not in page
    assert not SuppressionJob.objects.exists()


def test_the_worker_reports_rows_read_and_the_job_page_shows_the_preview(
    client, large, publication, publisher_a, django_capture_on_commit_callbacks
):
    client.force_login(publisher_a)
    job = _start(client, publication, django_capture_on_commit_callbacks)
    assert job.status == RunStatus.SUCCEEDED, job.error
    assert job.rows_read == len(ocme_records())
    assert job.result["hidden"] > 0
    shown = [row["value"] for row in job.result["rows"] if not row["suppressed"]]
    assert not [value for value in shown if 1 <= value <= 5]
    page = client.get(f"/publishing/suppress/jobs/{job.pk}/").content.decode()
    assert 'data-suppressed="true"' in page
    assert f"{job.rows_read} rows read" in page
    assert 'name="target"' in page


def test_saving_a_large_source_runs_in_the_worker_and_attaches_the_csv(
    client, large, publication, publisher_a, django_capture_on_commit_callbacks
):
    client.force_login(publisher_a)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            f"/publishing/{publication.pk}/suppress/save/", {**QUERY, "target": publication.pk}
        )
    job = SuppressionJob.objects.get()
    assert answer.url == f"/publishing/suppress/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.status == RunStatus.SUCCEEDED, job.error
    assert job.target == publication
    publication.refresh_from_db()
    with publication.source_file.open("rb") as handle:
        saved = pd.read_csv(io.BytesIO(handle.read()))
    assert not saved["count"].dropna().between(1, 5).any()
    assert "suppressed" in publication.method_note
    page = client.get(f"/publishing/suppress/jobs/{job.pk}/").content.decode()
    assert 'id="suppress-saved"' in page


def test_an_sql_source_is_aggregated_by_the_worker(
    client, settings, tmp_path, agency_a, publisher_a, django_capture_on_commit_callbacks
):
    path = tmp_path / "warehouse.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("create table deaths (id text, sex text, county text)")
        rows = [(f"q{n}", "F" if n % 3 else "M", "Lyme" if n % 7 else "Essex") for n in range(60)]
        db.executemany("insert into deaths values (?, ?, ?)", rows)
    settings.CTODP_SOURCE_DATABASES = {
        "warehouse": {"url": f"sqlite:///{path}", "agencies": ["alpha"]}
    }
    publication = ready_publication(
        ocme_dataset(agency_a), publisher_a, database="warehouse", query="select * from deaths"
    )
    client.force_login(publisher_a)
    page = client.get(f"/publishing/{publication.pk}/suppress/").content.decode()
    assert 'id="suppress-in-worker"' in page

    job = _start(client, publication, django_capture_on_commit_callbacks, by=["sex", "county"])

    assert job.status == RunStatus.SUCCEEDED, job.error
    assert job.rows_read == 60
    cells = {tuple(row["labels"]): row for row in job.result["rows"]}
    assert set(cells) == {("F", "Essex"), ("F", "Lyme"), ("M", "Essex"), ("M", "Lyme")}
    assert cells[("M", "Essex")]["suppressed"]  # 3 records: n = 0, 21, 42


def test_a_failing_source_fails_the_job_with_a_reason(
    client, large, publication, publisher_a, django_capture_on_commit_callbacks
):
    client.force_login(publisher_a)
    job = _start(
        client, publication, django_capture_on_commit_callbacks, value="DescriptionofInjury"
    )
    assert job.status == RunStatus.SUCCEEDED  # a text column sums as zeros: not a failure
    publication.source_file.storage.delete(publication.source_file.name)
    job = _start(client, publication, django_capture_on_commit_callbacks)
    assert job.status == RunStatus.FAILED
    assert "cannot be aggregated" in job.error


def test_the_progress_partial_polls_while_the_job_runs(client, publication, publisher_a):
    job = SuppressionJob.objects.create(
        publication=publication, by=["Sex"], status=RunStatus.RUNNING, rows_read=500
    )
    client.force_login(publisher_a)
    partial = client.get(f"/publishing/suppress/jobs/{job.pk}/progress/").content.decode()
    assert 'hx-trigger="every 1s"' in partial
    assert "500 rows read" in partial


def test_another_agency_cannot_see_a_job(client, publication, publisher_a, ado_b, viewer_a):
    job = suppression_services.suppression_start(
        publication=publication, acting_user=publisher_a, by=["Sex"]
    )
    for persona in (ado_b, viewer_a):
        client.force_login(persona)
        assert client.get(f"/publishing/suppress/jobs/{job.pk}/").status_code in {403, 404}
        assert client.post(f"/publishing/{publication.pk}/suppress/start/", QUERY).status_code in {
            403,
            404,
        }


def test_the_sweeper_fails_a_job_without_progress(client, publication, publisher_a):
    old = timezone.now() - timedelta(days=1)
    stuck = SuppressionJob.objects.create(
        publication=publication, by=["Sex"], status=RunStatus.RUNNING, heartbeat_at=old
    )
    lively = SuppressionJob.objects.create(
        publication=publication, by=["Sex"], heartbeat_at=timezone.now()
    )
    assert tasks.sweep_stuck_screens()["aggregations"] == [stuck.pk]
    stuck.refresh_from_db()
    lively.refresh_from_db()
    assert stuck.status == RunStatus.FAILED
    assert lively.status == RunStatus.QUEUED
    client.force_login(publisher_a)
    page = client.get(f"/publishing/suppress/jobs/{stuck.pk}/").content.decode()
    assert "No progress" in page
    assert "hx-trigger" not in page
