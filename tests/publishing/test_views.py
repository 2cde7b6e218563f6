"""Publication pages: the publisher's flow, the progress partial, access per role."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from publishing import services
from publishing.models import Publication, PublicationRun, RunStatus
from tests.publishing.helpers import ocme_dataset, ocme_upload, ready_publication, record_screen


@pytest.fixture
def dataset(agency_a):
    return ocme_dataset(agency_a)


def test_publisher_creates_reads_confirms_and_publishes(
    client, portal_settings, sandbox, dataset, publisher_a, django_capture_on_commit_callbacks
):
    client.force_login(publisher_a)
    page = client.get("/publishing/new/")
    assert dataset.title in page.content.decode()
    created = client.post(
        "/publishing/new/", {"dataset": dataset.pk, "kind": "rows", "mode": "upsert"}
    )
    publication = Publication.objects.get()
    assert created.url == f"/publishing/{publication.pk}/"

    client.post(f"/publishing/{publication.pk}/source/", {"file": ocme_upload()})
    detail = client.get(f"/publishing/{publication.pk}/").content.decode()
    assert "DescriptionofInjury" in detail
    assert 'name="row_identifier"' in detail
    client.post(f"/publishing/{publication.pk}/columns/", {"row_identifier": "id"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/publishing/{publication.pk}/publish/")

    run = PublicationRun.objects.get()
    assert run.status == RunStatus.SUCCEEDED, run.error
    detail = client.get(f"/publishing/{publication.pk}/").content.decode()
    assert "<strong>succeeded</strong>" in detail
    assert "Make public" not in detail  # a publisher does not review their own push


def test_the_progress_partial_polls_only_while_the_run_is_active(client, dataset, publisher_a):
    publication = ready_publication(dataset, publisher_a)
    run = PublicationRun.objects.create(
        publication=publication, status=RunStatus.RUNNING, chunks_done=1, chunks_total=4
    )
    client.force_login(publisher_a)
    active = client.get(f"/publishing/runs/{run.pk}/progress/").content.decode()
    assert 'hx-trigger="every 1s"' in active
    assert 'value="25"' in active
    run.status = RunStatus.SUCCEEDED
    run.save()
    ended = client.get(f"/publishing/runs/{run.pk}/progress/", headers={"HX-Request": "true"})
    assert "hx-get" not in ended.content.decode()
    assert 'value="100"' in ended.content.decode()
    assert ended["HX-Refresh"] == "true"  # the page reloads once, to show its new buttons


def test_a_viewer_reads_the_page_but_cannot_publish(client, dataset, publisher_a, viewer_a):
    publication = ready_publication(dataset, publisher_a)
    client.force_login(viewer_a)
    page = client.get(f"/publishing/{publication.pk}/").content.decode()
    assert "Publish privately" not in page
    assert client.post(f"/publishing/{publication.pk}/publish/").status_code == 403
    assert client.get("/publishing/new/").status_code == 403


def test_another_agency_gets_not_found(client, dataset, publisher_a, ado_b):
    publication = ready_publication(dataset, publisher_a)
    run = PublicationRun.objects.create(publication=publication)
    client.force_login(ado_b)
    assert client.get(f"/publishing/{publication.pk}/").status_code == 404
    assert client.get(f"/publishing/runs/{run.pk}/progress/").status_code == 404
    assert client.post(f"/publishing/runs/{run.pk}/cancel/").status_code == 404
    assert dataset.title not in client.get("/publishing/").content.decode()


def test_the_reviewer_sees_make_public_after_a_success(client, dataset, publisher_a, cdo):
    publication = ready_publication(dataset, publisher_a)
    run = PublicationRun.objects.create(publication=publication, status=RunStatus.SUCCEEDED)
    Publication.objects.filter(pk=publication.pk).update(last_run=run, portal_id="abcd-2345")
    record_screen(publication)
    client.force_login(cdo)
    assert "Make public" in client.get(f"/publishing/{publication.pk}/").content.decode()


def test_the_publisher_cancels_a_queued_run(client, dataset, publisher_a):
    publication = ready_publication(dataset, publisher_a)
    run = PublicationRun.objects.create(publication=publication)
    client.force_login(publisher_a)
    client.post(f"/publishing/runs/{run.pk}/cancel/")
    run.refresh_from_db()
    assert run.status == RunStatus.CANCELLED


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/publishing/").status_code == 200
    return len(queries)


def test_the_list_page_costs_the_same_queries_at_two_sizes(client, agency_a, publisher_a):
    client.force_login(publisher_a)

    def add(count: int) -> None:
        for _ in range(count):
            publication = services.publication_create(
                dataset=ocme_dataset(agency_a), acting_user=publisher_a
            )
            run = publication.runs.create()
            Publication.objects.filter(pk=publication.pk).update(last_run=run)

    add(2)
    small = _list_queries(client)
    add(8)
    assert _list_queries(client) == small
