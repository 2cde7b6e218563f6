"""/api/v1/datasets/ and /api/v1/inventories/: filters, agency scoping per persona, writes."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from inventories.choices import AccessLevel, Availability, Category, InventoryStatus
from inventories.models import Dataset, Inventory
from tests.inventories.factories import DatasetFactory, InventoryFactory

pytestmark = pytest.mark.django_db

NEW_DATASET = {
    "title": "Licensed child care programs",
    "description": "Every licensed program with its capacity.",
    "criteria": ["B", "F"],
    "access_level": "public",
    "category": "Education",
    "update_frequency": "Monthly",
    "availability": "not_available",
}


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def draft_a(agency_a):
    return InventoryFactory(agency=agency_a, year=2026)


@pytest.fixture
def draft_b(agency_b):
    return InventoryFactory(agency=agency_b, year=2026)


@pytest.fixture
def dataset_a(draft_a):
    return DatasetFactory(inventory=draft_a, title="Alpha schools")


@pytest.fixture
def dataset_b(draft_b):
    return DatasetFactory(inventory=draft_b, title="Beta bridges")


def _titles(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["title"] for row in response.json()["results"]}


def test_anonymous_visitors_are_refused(api, dataset_a):
    assert api.get("/api/v1/datasets/").status_code in {401, 403}
    assert api.get("/api/v1/inventories/").status_code in {401, 403}
    response = api.post("/api/v1/datasets/", {**NEW_DATASET, "inventory": dataset_a.inventory_id})
    assert response.status_code in {401, 403}


def test_agency_users_see_only_their_agency(api, ado_a, viewer_a, ado_b, dataset_a, dataset_b):
    for user in (ado_a, viewer_a):
        api.force_authenticate(user)
        assert _titles(api.get("/api/v1/datasets/")) == {"Alpha schools"}
        assert api.get(f"/api/v1/datasets/{dataset_b.pk}/").status_code == 404
        inventories = api.get("/api/v1/inventories/").json()["results"]
        assert [row["agency"] for row in inventories] == ["alpha"]
        assert api.get(f"/api/v1/inventories/{dataset_b.inventory_id}/").status_code == 404
    api.force_authenticate(ado_b)
    assert _titles(api.get("/api/v1/datasets/", {"agency": "alpha"})) == set()


def test_program_staff_see_every_agency_and_outsiders_nothing(
    api, cdo, dapa, outsider, dataset_a, dataset_b
):
    for user in (cdo, dapa):
        api.force_authenticate(user)
        assert _titles(api.get("/api/v1/datasets/")) == {"Alpha schools", "Beta bridges"}
    api.force_authenticate(outsider)
    assert _titles(api.get("/api/v1/datasets/")) == set()
    assert api.get("/api/v1/inventories/").json()["results"] == []


def test_dataset_filters(api, dapa, agency_a, agency_b, draft_a):
    accepted = InventoryFactory(agency=agency_a, year=2025, status=InventoryStatus.ACCEPTED)
    DatasetFactory(inventory=accepted, title="Old roads", category=Category.TRANSPORTATION)
    DatasetFactory(
        inventory=draft_a,
        title="Prison population",
        description="People who are incarcerated, by facility",
        access_level=AccessLevel.RESTRICTED,
        access_reason="Aggregated on request",
        criterion_b=False,
        criterion_h=True,
        availability=Availability.PORTAL,
        portal_id="abcd-1234",
    )
    DatasetFactory(inventory__agency=agency_b, title="Beta bridges")
    api.force_authenticate(dapa)

    def titles(**params) -> set[str]:
        return _titles(api.get("/api/v1/datasets/", params))

    assert titles(agency="beta") == {"Beta bridges"}
    assert titles(year=2025) == {"Old roads"}
    assert titles(status="accepted") == {"Old roads"}
    assert titles(access_level="restricted public") == {"Prison population"}
    assert titles(category="Transportation") == {"Old roads"}
    assert titles(criterion="H") == {"Prison population"}
    assert titles(criterion="B") == {"Old roads", "Beta bridges"}
    assert titles(availability="portal") == {"Prison population"}
    assert titles(search="incarcerated") == {"Prison population"}
    assert titles(inventory=accepted.pk) == {"Old roads"}
    assert api.get("/api/v1/datasets/", {"criterion": "Z"}).status_code == 400


def test_inventory_filters_and_counts(api, dapa, agency_a, agency_b, dataset_a):
    InventoryFactory(agency=agency_a, year=2025, status=InventoryStatus.ACCEPTED)
    InventoryFactory(agency=agency_b, year=2026, status=InventoryStatus.SUBMITTED)
    api.force_authenticate(dapa)

    rows = api.get("/api/v1/inventories/", {"agency": "alpha"}).json()["results"]
    assert [(row["year"], row["status"], row["dataset_count"]) for row in rows] == [
        (2026, "draft", 1),
        (2025, "accepted", 0),
    ]
    assert rows[0]["datasets"].endswith(f"/api/v1/datasets/?inventory={rows[0]['id']}")
    submitted = api.get("/api/v1/inventories/", {"status": "submitted", "year": 2026}).json()
    assert [row["agency"] for row in submitted["results"]] == ["beta"]


def test_publisher_creates_a_dataset_through_the_service(api, publisher_a, draft_a):
    api.force_authenticate(publisher_a)

    response = api.post(
        "/api/v1/datasets/", {**NEW_DATASET, "inventory": draft_a.pk}, format="json"
    )

    assert response.status_code == 201, response.content
    dataset = Dataset.objects.get(pk=response.json()["id"])
    assert dataset.agency.slug == "alpha"
    assert dataset.criteria == ["B", "F"]
    assert response.json()["criteria"] == ["B", "F"]
    assert dataset.history.get().history_user == publisher_a  # audited by the service


def test_create_is_validated_by_the_dataset_form(api, ado_a, draft_a, dataset_a):
    api.force_authenticate(ado_a)
    body = {
        **NEW_DATASET,
        "inventory": draft_a.pk,
        "title": "alpha   SCHOOLS",
        "criteria": [],
        "access_level": "non-public",
        "availability": "portal",
    }

    response = api.post("/api/v1/datasets/", body, format="json")

    assert response.status_code == 400
    errors = response.json()
    assert errors["title"] == ["This inventory already lists a dataset titled 'alpha SCHOOLS'."]
    assert errors["access_reason"] == ["Give the legal or policy reason it is not public."]
    assert errors["criteria"] == ["This field is required."]
    assert "portal_id" in errors
    assert Dataset.objects.count() == 1


def test_agency_b_cannot_write_to_agency_a(api, ado_b, draft_a, dataset_a):
    api.force_authenticate(ado_b)

    created = api.post("/api/v1/datasets/", {**NEW_DATASET, "inventory": draft_a.pk}, format="json")
    patched = api.patch(f"/api/v1/datasets/{dataset_a.pk}/", {"title": "Mine"}, format="json")
    deleted = api.delete(f"/api/v1/datasets/{dataset_a.pk}/")

    assert created.status_code == 400
    assert created.json() == {"inventory": ["Give the id of an inventory of your agency."]}
    assert patched.status_code == 404
    assert deleted.status_code == 404
    assert list(Dataset.objects.values_list("title", flat=True)) == ["Alpha schools"]


def test_viewers_and_staff_cannot_write(api, viewer_a, cdo, draft_a, dataset_a):
    for user in (viewer_a, cdo):
        api.force_authenticate(user)
        body = {**NEW_DATASET, "inventory": draft_a.pk}
        assert api.post("/api/v1/datasets/", body, format="json").status_code == 403
        assert api.delete(f"/api/v1/datasets/{dataset_a.pk}/").status_code == 403
    assert Dataset.objects.count() == 1


def test_patch_changes_only_the_given_fields(api, ado_a, dataset_a):
    api.force_authenticate(ado_a)

    response = api.patch(
        f"/api/v1/datasets/{dataset_a.pk}/",
        {"access_level": "restricted public", "access_reason": "Data use agreement"},
        format="json",
    )

    assert response.status_code == 200, response.content
    dataset_a.refresh_from_db()
    assert dataset_a.access_level == AccessLevel.RESTRICTED
    assert dataset_a.title == "Alpha schools"
    assert dataset_a.criteria == ["B", "F"]


def test_put_replaces_the_dataset(api, ado_a, dataset_a):
    api.force_authenticate(ado_a)

    response = api.put(f"/api/v1/datasets/{dataset_a.pk}/", NEW_DATASET, format="json")

    assert response.status_code == 200, response.content
    dataset_a.refresh_from_db()
    assert dataset_a.title == "Licensed child care programs"
    assert dataset_a.data_owner == ""  # not in the body: cleared, as the form would


def test_submitted_inventory_refuses_writes_with_a_readable_message(api, ado_a, dataset_a):
    Inventory.objects.filter(pk=dataset_a.inventory_id).update(status=InventoryStatus.SUBMITTED)
    api.force_authenticate(ado_a)
    refusal = (
        "The 2026 inventory is submitted: it can be changed again only if the reviewer returns it."
    )

    created = api.post(
        "/api/v1/datasets/", {**NEW_DATASET, "inventory": dataset_a.inventory_id}, format="json"
    )
    patched = api.patch(f"/api/v1/datasets/{dataset_a.pk}/", {"title": "New"}, format="json")
    deleted = api.delete(f"/api/v1/datasets/{dataset_a.pk}/")

    for response in (created, patched, deleted):
        assert response.status_code == 400
        assert response.json() == {"detail": refusal}
    assert list(Dataset.objects.values_list("title", flat=True)) == ["Alpha schools"]


def test_delete_through_the_service(api, publisher_a, dataset_a):
    api.force_authenticate(publisher_a)
    assert api.delete(f"/api/v1/datasets/{dataset_a.pk}/").status_code == 204
    assert not Dataset.objects.exists()


def test_start_a_year_carries_the_datasets_forward(api, ado_a, ado_b, dataset_a, agency_a):
    Inventory.objects.filter(pk=dataset_a.inventory_id).update(status=InventoryStatus.ACCEPTED)
    api.force_authenticate(ado_b)
    refused = api.post("/api/v1/inventories/", {"agency": "alpha", "year": 2027}, format="json")
    assert refused.status_code == 400
    api.force_authenticate(ado_a)

    response = api.post("/api/v1/inventories/", {"agency": "alpha", "year": 2027}, format="json")
    again = api.post("/api/v1/inventories/", {"agency": "alpha", "year": 2027}, format="json")
    too_early = api.post("/api/v1/inventories/", {"agency": "alpha", "year": 1999}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["dataset_count"] == 1
    assert response.json()["status"] == "draft"
    assert again.status_code == 400
    assert again.json() == {"detail": "Department of Alpha already has a 2027 inventory."}
    assert too_early.status_code == 400
    assert "year" in too_early.json()
    assert Inventory.objects.filter(agency=agency_a).count() == 2


def test_cdo_starts_a_year_for_any_agency(api, cdo, agency_b):
    api.force_authenticate(cdo)
    response = api.post("/api/v1/inventories/", {"agency": "beta", "year": 2027}, format="json")
    assert response.status_code == 201, response.content
    assert Inventory.objects.get().agency == agency_b


def test_a_body_that_is_not_an_object_is_refused_plainly(api, ado_a, dataset_a):
    api.force_authenticate(ado_a)
    for method, path in [
        ("post", "/api/v1/datasets/"),
        ("patch", f"/api/v1/datasets/{dataset_a.pk}/"),
        ("post", "/api/v1/inventories/"),
    ]:
        response = getattr(api, method)(path, [1, 2], format="json")
        assert response.status_code == 400
        assert response.json() == {"non_field_errors": ["Send one JSON object."]}


def test_viewer_cannot_start_a_year(api, viewer_a):
    api.force_authenticate(viewer_a)
    response = api.post("/api/v1/inventories/", {"agency": "alpha", "year": 2027}, format="json")
    assert response.status_code == 403
    assert not Inventory.objects.exists()


def _count_queries(api, user, path: str) -> int:
    api.force_authenticate(User.objects.get(pk=user.pk))  # a fresh user: no cached roles
    with CaptureQueriesContext(connection) as captured:
        assert api.get(path).status_code == 200
    return len(captured)


def test_dataset_list_query_count_is_the_same_at_two_sizes(api, dapa, agency_a, agency_b):
    inventories = [InventoryFactory(agency=agency) for agency in (agency_a, agency_b)]
    counts = []
    for size in (3, 27):
        for n in range(size):
            DatasetFactory(inventory=inventories[n % 2])
        counts.append(_count_queries(api, dapa, "/api/v1/datasets/"))
    assert counts[0] == counts[1]


def test_inventory_list_query_count_is_the_same_at_two_sizes(api, dapa):
    counts = []
    for years in (range(2020, 2022), range(2022, 2032)):
        for year in years:
            DatasetFactory(inventory=InventoryFactory(year=year))  # a new agency each time
        counts.append(_count_queries(api, dapa, "/api/v1/inventories/"))
    assert counts[0] == counts[1]


def test_api_root_and_schema_document_the_endpoints(api, ado_a, tmp_path):
    api.force_authenticate(ado_a)
    root = api.get("/api/v1/").json()
    assert root["datasets"].endswith("/api/v1/datasets/")
    assert root["inventories"].endswith("/api/v1/inventories/")
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    parameters = {p["name"] for p in schema["paths"]["/api/v1/datasets/"]["get"]["parameters"]}
    assert {"agency", "year", "status", "access_level", "category", "criterion"} <= parameters
    assert {"availability", "search"} <= parameters
    assert {"get", "put", "patch", "delete"} <= set(schema["paths"]["/api/v1/datasets/{id}/"])
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
