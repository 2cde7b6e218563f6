"""/data.json, /catalog.csv and /catalog/retired.csv: validators, 304, public cache, gzip; and
the anonymous API throttle."""

import gzip

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.throttling import AnonRateThrottle

from agencies.models import Role
from inventories.choices import InventoryStatus
from publishing.models import Publication
from tests.factories import MembershipFactory, UserFactory
from tests.inventories.factories import DatasetFactory, InventoryFactory
from tests.upkeep.test_retirement_pages import many_retired, retired

pytestmark = pytest.mark.django_db

PATHS = ["/data.json", "/catalog.csv", "/catalog/retired.csv"]


@pytest.fixture
def accepted_a(agency_a):
    return InventoryFactory(agency=agency_a, year=2025, status=InventoryStatus.ACCEPTED)


def _world(inventory, publisher, size: int, *, start: int = 0) -> None:
    for n in range(start, start + size):
        DatasetFactory(inventory=inventory, portal_id=f"abcd-{n:04d}")
    many_retired(inventory.agency, publisher, size, start=start)


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("path", PATHS)
def test_answers_with_validators_and_a_short_public_cache(client, accepted_a, publisher_a, path):
    _world(accepted_a, publisher_a, 2)
    response = client.get(path)
    assert response.status_code == 200
    assert response["ETag"].startswith('W/"')
    assert response["Last-Modified"].endswith(" GMT")
    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=300"}


@pytest.mark.parametrize("path", PATHS)
def test_a_current_copy_gets_304_with_no_body_in_the_same_queries_at_two_sizes(
    client, accepted_a, publisher_a, path
):
    counts = []
    for start, size in ((0, 2), (2, 12)):
        _world(accepted_a, publisher_a, size, start=start)
        first = client.get(path)
        _body(first)
        with CaptureQueriesContext(connection) as captured:
            again = client.get(path, headers={"if-none-match": first["ETag"]})
        assert again.status_code == 304
        assert again.content == b""
        assert again["ETag"] == first["ETag"]
        counts.append(len(captured))
        since = client.get(path, headers={"if-modified-since": first["Last-Modified"]})
        assert since.status_code == 304
    assert counts[0] == counts[1] <= 2


@pytest.mark.parametrize("path", ["/data.json", "/catalog.csv"])
def test_editing_a_dataset_of_an_accepted_inventory_changes_the_etag(
    client, accepted_a, publisher_a, path
):
    dataset = DatasetFactory(inventory=accepted_a, title="Before")
    etag = client.get(path)["ETag"]
    dataset.title = "After"
    dataset.save()
    response = client.get(path, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert b"After" in _body(response)


def test_a_new_ado_changes_the_data_json_etag(client, agency_a, accepted_a):
    DatasetFactory(inventory=accepted_a, contact_email="")
    etag = client.get("/data.json")["ETag"]
    ado = UserFactory(username="dora", email="dora@example.org")
    MembershipFactory(user=ado, agency=agency_a, role=Role.ADO)
    response = client.get("/data.json", headers={"if-none-match": etag})
    assert response.status_code == 200
    assert b"dora@example.org" in response.content


def test_a_retirement_change_changes_the_retired_csv_etag(client, agency_a, publisher_a):
    dataset = DatasetFactory(inventory__agency=agency_a)
    publication = Publication.objects.create(
        dataset=dataset, agency=agency_a, portal_id="ret1-0001", created_by=publisher_a
    )
    retirement = retired(publication, publisher_a)
    etag = client.get("/catalog/retired.csv")["ETag"]
    retirement.reason = "Superseded by the 2026 release."
    retirement.save()
    response = client.get("/catalog/retired.csv", headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert b"Superseded by the 2026 release." in _body(response)


def test_gzip_applies_when_accepted_and_the_csv_still_streams(client, accepted_a, publisher_a):
    _world(accepted_a, publisher_a, 5)
    plain = client.get("/catalog.csv")
    zipped = client.get("/catalog.csv", headers={"accept-encoding": "gzip"})
    assert zipped["Content-Encoding"] == "gzip"
    assert zipped.streaming
    assert gzip.decompress(_body(zipped)) == _body(plain)
    assert "Accept-Encoding" in zipped["Vary"]
    data = client.get("/data.json", headers={"accept-encoding": "gzip"})
    assert data["Content-Encoding"] == "gzip"
    assert gzip.decompress(data.content).startswith(b"{")


def test_anonymous_api_calls_past_the_rate_get_429(client, monkeypatch):
    # DRF reads its rates once, at import, so the `settings` fixture cannot lower them.
    monkeypatch.setattr(AnonRateThrottle, "rate", "2/minute", raising=False)
    cache.clear()
    statuses = [client.get("/api/schema/").status_code for _ in range(3)]
    cache.clear()
    assert statuses == [200, 200, 429]
