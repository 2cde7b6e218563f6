"""The publishing API, with token authentication, against the sandbox portal (eager tasks)."""

import pytest
import requests
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.services import token_create
from publishing import services
from publishing.models import Publication
from tests.publishing.helpers import (
    expected_rows,
    ocme_dataset,
    ocme_records,
    ocme_upload,
    portal_rows,
    record_screen,
)
from tests.sandbox import PASSWORD, USERNAME


def _client(user) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_create(user=user, name='test')[1]}")
    return api


@pytest.fixture
def dataset(agency_a):
    return ocme_dataset(agency_a)


def _create(api, dataset, **extra):
    body = {"dataset": dataset.pk, "mode": "upsert", "row_identifier": "id", **extra}
    return api.post("/api/v1/publications/", body, format="json")


def test_automation_creates_uploads_runs_and_reads_the_result(
    portal_settings, sandbox, dataset, publisher_a, django_capture_on_commit_callbacks
):
    api = _client(publisher_a)
    created = _create(api, dataset, visibility="private")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]

    upload = api.post(f"/api/v1/publications/{pk}/source/", {"file": ocme_upload()})
    assert upload.status_code == 200, upload.json()
    assert upload.json()["columns_confirmed"] is True
    with django_capture_on_commit_callbacks(execute=True):
        started = api.post(f"/api/v1/publications/{pk}/runs/")
    assert started.status_code == 201

    run = api.get(f"/api/v1/runs/{started.json()['id']}/").json()
    assert run["status"] == "succeeded", run["error"]
    assert (run["rows_created"], run["rows_updated"], run["rows_deleted"]) == (300, 0, 0)
    detail = api.get(f"/api/v1/publications/{pk}/").json()
    assert detail["id"] == pk
    rows = portal_rows(sandbox.domain, detail["portal_id"], USERNAME, PASSWORD)
    assert {r["id"]: r for r in rows} == expected_rows(ocme_records())


def test_a_publisher_cannot_create_a_public_publication(dataset, publisher_a):
    answer = _create(_client(publisher_a), dataset, visibility="public")
    assert answer.status_code == 400
    assert "reviewer" in str(answer.json()["visibility"])


def test_an_upsert_needs_a_row_identifier(dataset, publisher_a):
    answer = _create(_client(publisher_a), dataset, row_identifier="")
    assert answer.status_code == 400
    assert "row_identifier" in answer.json()


def test_another_agency_neither_sees_nor_publishes_the_dataset(dataset, publisher_a, ado_b):
    pk = _create(_client(publisher_a), dataset).json()["id"]
    outsider = _client(ado_b)
    assert _create(outsider, dataset).status_code == 400  # the dataset is not among its choices
    assert outsider.get("/api/v1/publications/").json()["results"] == []
    assert outsider.get(f"/api/v1/publications/{pk}/").status_code == 404
    assert outsider.post(f"/api/v1/publications/{pk}/runs/").status_code == 404


def test_a_viewer_sees_but_cannot_start_runs(dataset, publisher_a, viewer_a):
    pk = _create(_client(publisher_a), dataset).json()["id"]
    viewer = _client(viewer_a)
    assert viewer.get(f"/api/v1/publications/{pk}/").status_code == 200
    assert viewer.post(f"/api/v1/publications/{pk}/runs/").status_code == 403
    assert _create(viewer, dataset).status_code == 403


def test_a_run_without_a_source_is_refused_with_a_reason(dataset, publisher_a):
    api = _client(publisher_a)
    pk = _create(api, dataset).json()["id"]
    answer = api.post(f"/api/v1/publications/{pk}/runs/")
    assert answer.status_code == 400
    assert "Attach a source" in str(answer.json())


def test_list_filters_by_agency_and_mode(dataset, publisher_a, dapa):
    api = _client(publisher_a)
    _create(api, dataset)
    answer = _create(api, dataset, mode="replace", row_identifier="")
    assert answer.status_code == 201, answer.json()
    staff = _client(dapa)
    assert staff.get("/api/v1/publications/?agency=alpha").json()["count"] == 2
    assert staff.get("/api/v1/publications/?mode=replace").json()["count"] == 1
    assert staff.get("/api/v1/publications/?agency=beta").json()["count"] == 0


def _list_queries(api) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert api.get("/api/v1/publications/").status_code == 200
    return len(queries)


def test_the_list_costs_the_same_queries_at_two_sizes(agency_a, publisher_a):
    api = _client(publisher_a)

    def add(count: int) -> None:
        for _ in range(count):
            publication = services.publication_create(
                dataset=ocme_dataset(agency_a), acting_user=publisher_a, row_identifier="id"
            )
            publication.runs.create()

    add(2)
    _list_queries(api)  # the token's first use records last_used_at (an UPDATE, once a minute)
    small = _list_queries(api)
    add(8)
    assert _list_queries(api) == small


def test_the_reviewer_makes_it_public_through_the_api(
    portal_settings, sandbox, dataset, publisher_a, cdo, django_capture_on_commit_callbacks
):
    api = _client(publisher_a)
    pk = _create(api, dataset).json()["id"]
    api.post(f"/api/v1/publications/{pk}/source/", {"file": ocme_upload()})
    with django_capture_on_commit_callbacks(execute=True):
        api.post(f"/api/v1/publications/{pk}/runs/")
    record_screen(Publication.objects.get(pk=pk))

    assert api.post(f"/api/v1/publications/{pk}/make-public/").status_code == 403
    answer = _client(cdo).post(f"/api/v1/publications/{pk}/make-public/")

    assert answer.status_code == 200
    assert answer.json()["visibility"] == "public"
    portal_id = answer.json()["portal_id"]
    assert requests.get(f"{sandbox.url}/resource/{portal_id}.json", timeout=5).status_code == 200


def test_a_portal_admin_may_publish_straight_to_public(
    portal_settings, sandbox, dataset, portal_admin, django_capture_on_commit_callbacks
):
    api = _client(portal_admin)
    created = _create(api, dataset, visibility="public")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    api.post(f"/api/v1/publications/{pk}/source/", {"file": ocme_upload()})
    record_screen(Publication.objects.get(pk=pk))  # a push to a public asset passes the gate
    with django_capture_on_commit_callbacks(execute=True):
        run_id = api.post(f"/api/v1/publications/{pk}/runs/").json()["id"]

    run = api.get(f"/api/v1/runs/{run_id}/").json()
    assert run["status"] == "succeeded", run["error"]
    portal_id = api.get(f"/api/v1/publications/{pk}/").json()["portal_id"]
    assert requests.get(f"{sandbox.url}/resource/{portal_id}.json", timeout=5).status_code == 200


def test_a_later_source_with_other_columns_is_explained_and_needs_confirmation(
    portal_settings, sandbox, dataset, publisher_a
):
    api = _client(publisher_a)
    pk = _create(api, dataset).json()["id"]
    api.post(f"/api/v1/publications/{pk}/source/", {"file": ocme_upload()})
    changed = ocme_upload("v2.csv", b"ID,Age,Town\nx1,40,Hartford\n")

    answer = api.post(f"/api/v1/publications/{pk}/source/", {"file": changed})

    assert "Column “Town” is new." in answer.json()["column_changes"]
    refused = api.post(f"/api/v1/publications/{pk}/runs/")
    assert refused.status_code == 400
    assert "columns changed" in str(refused.json())
    confirmed = api.post(f"/api/v1/publications/{pk}/columns/", {"row_identifier": "id"})
    assert confirmed.status_code == 200
    assert [c["field_name"] for c in confirmed.json()["columns"]] == ["id", "age", "town"]


@pytest.mark.django_db(transaction=True)
def test_with_eager_tasks_the_run_has_ended_when_the_request_answers(
    portal_settings, sandbox, agency_a, publisher_a
):
    # No test transaction around the request: the run commits, its task runs at once (eager).
    api = _client(publisher_a)
    pk = _create(api, ocme_dataset(agency_a)).json()["id"]
    api.post(f"/api/v1/publications/{pk}/source/", {"file": ocme_upload()})

    run = api.post(f"/api/v1/publications/{pk}/runs/").json()

    assert run["status"] == "succeeded", run["error"]
    assert run["rows_created"] == 300
