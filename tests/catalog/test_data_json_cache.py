"""/data.json keeps its body in the cache under its ETag (ADR 0025): the body is the one the
previous view built, and any change the ETag's marks see shows at once."""

import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.test.utils import CaptureQueriesContext

from agencies.models import Role
from catalog import dcat, selectors
from inventories.choices import AccessLevel, InventoryStatus
from publishing.models import Publication
from tests.factories import MembershipFactory, UserFactory
from tests.inventories.factories import DatasetFactory, InventoryFactory
from tests.upkeep.test_retirement_pages import retired

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted_a(agency_a):
    return InventoryFactory(agency=agency_a, year=2025, status=InventoryStatus.ACCEPTED)


def _previous_body() -> dict:
    """What the view answered before the cache: Django's JsonResponse of the same catalog."""
    return json.loads(JsonResponse(dcat.catalog(selectors.data_json_datasets())).content)


def _cached_get(client):
    """A request whose body is now in the cache (so a later stale answer would come from it)."""
    response = client.get("/data.json")
    assert cache.get(f"catalog:data.json:{response['ETag']}") == response.content
    return response


def _entry(client, title: str) -> dict:
    body = _cached_get(client).json()
    return next(entry for entry in body["dataset"] if entry["title"] == title)


def test_the_body_is_the_previous_views_for_every_access_level(client, agency_a, agency_b, ado_a):
    inventories = [
        InventoryFactory(agency=agency, year=2025, status=InventoryStatus.ACCEPTED)
        for agency in (agency_a, agency_b)
    ]
    for n, level in enumerate(AccessLevel.values * 3):
        DatasetFactory(
            inventory=inventories[n % 2],
            access_level=level,
            access_reason="" if level == AccessLevel.PUBLIC else "Confidential by statute.",
            title=f'Dataset “{n}” é 😀 \\ "q"',
            portal_id=f"abcd-{n:04d}" if n % 3 else "",
            contact_email="" if n % 4 else "owner@ct.example",
        )
    first = client.get("/data.json")
    assert first["Content-Type"] == "application/json"
    assert json.loads(first.content) == _previous_body()
    with CaptureQueriesContext(connection) as captured:
        again = client.get("/data.json")
    assert again.content == first.content
    assert len(captured) == 2  # the marks (with the retirements'), no dataset query


def test_a_cached_body_is_keyed_by_the_etag(client, accepted_a):
    DatasetFactory(inventory=accepted_a, title="Kept")
    response = client.get("/data.json")
    assert cache.get(f"catalog:data.json:{response['ETag']}") == response.content


def test_a_dataset_change_shows_at_once(client, accepted_a):
    dataset = DatasetFactory(inventory=accepted_a, title="Before")
    _cached_get(client)
    dataset.title = "After"
    dataset.save()
    assert _entry(client, "After")["title"] == "After"


def test_an_inventory_accepted_later_shows_at_once(client, agency_a, accepted_a):
    DatasetFactory(inventory=accepted_a, title="Year 2025")
    _cached_get(client)
    newer = InventoryFactory(agency=agency_a, year=2026, status=InventoryStatus.SUBMITTED)
    DatasetFactory(inventory=newer, title="Year 2026")
    assert "Year 2026" not in _cached_get(client).content.decode()
    newer.status = InventoryStatus.ACCEPTED
    newer.save()
    body = _cached_get(client).content.decode()
    assert "Year 2026" in body
    assert "Year 2025" not in body


def test_an_agency_change_shows_at_once(client, agency_a, accepted_a):
    DatasetFactory(inventory=accepted_a, title="Kept")
    _cached_get(client)
    agency_a.attribution = "Connecticut Department of Alpha"
    agency_a.save()
    publisher = _entry(client, "Kept")["publisher"]
    assert publisher["name"] == "Connecticut Department of Alpha"


def test_a_new_ado_shows_at_once(client, agency_a, accepted_a):
    DatasetFactory(inventory=accepted_a, title="Kept", contact_email="", data_owner="")
    agency_a.contact_email = ""
    agency_a.save()
    assert "hasEmail" not in _entry(client, "Kept")["contactPoint"]
    MembershipFactory(
        user=UserFactory(username="dora", email="dora@example.org"), agency=agency_a, role=Role.ADO
    )
    assert _entry(client, "Kept")["contactPoint"]["hasEmail"] == "mailto:dora@example.org"


def test_a_retirement_shows_at_once(client, agency_a, accepted_a, publisher_a):
    dataset = DatasetFactory(inventory=accepted_a, title="Kept", portal_id="ret1-0001")
    assert _entry(client, "Kept")["identifier"].endswith("ret1-0001")
    publication = Publication.objects.create(
        dataset=dataset, agency=agency_a, portal_id="ret1-0001", created_by=publisher_a
    )
    retired(publication, publisher_a)
    entry = _entry(client, "Kept")
    assert entry["accessLevel"] == AccessLevel.NON_PUBLIC
    assert "ret1-0001" not in entry["identifier"]
