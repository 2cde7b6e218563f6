"""The Geo Data Portal sync (ADR 0029) against the sandbox's ArcGIS search over real HTTP:
paging, retries, items in no inventory, missing items, freshness of a stale item."""

import datetime

import pytest
from django.core.management import call_command

from tests.inventories.factories import DatasetFactory, InventoryFactory
from tests.sandbox import control, inject, requests_seen
from upkeep import geo
from upkeep.freshness import Freshness, dataset_freshness
from upkeep.models import GeoItem, Platform, PortalSync

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-06-15T12:00:00+00:00")]

NOW = datetime.datetime(2026, 6, 15, 12, tzinfo=datetime.UTC)
ROADS, PARKS, STALE, ORPHAN = (f"{digit}" * 32 for digit in "abcd")


def _ms(moment: datetime.datetime) -> int:
    return int(moment.timestamp() * 1000)


def _item(item_id: str, title: str, modified: datetime.datetime, **extra) -> dict:
    return {"id": item_id, "title": title, "modified": _ms(modified), **extra}


@pytest.fixture
def geo_settings(settings, sandbox):
    settings.CTODP_GEO_API_URL = sandbox.url
    settings.CTODP_GEO_PORTAL_URL = "https://geodata.ct.example"
    settings.CTODP_GEO_QUERY = "orgid:sandboxGeoOrg"
    settings.CTODP_GEO_PAGE_SIZE = 2
    settings.CTODP_GEO_RETRIES = 3
    return settings


@pytest.fixture
def geo_world(geo_settings, sandbox, agency_a):
    """Four Geo items: two in alpha's inventory (one a year stale), one in none, one a web map
    named by an older inventory year only."""
    items = [
        _item(ROADS, "Road centerlines", NOW - datetime.timedelta(days=3), type="Feature Service"),
        _item(PARKS, "State parks", NOW - datetime.timedelta(days=5)),
        _item(STALE, "Bridge inspections", NOW - datetime.timedelta(days=500)),
        _item(ORPHAN, "Trail heads", NOW - datetime.timedelta(days=1), owner="ctgeo_deep"),
    ]
    control(sandbox, "PUT", "geo/items", json=items).raise_for_status()
    inventory = InventoryFactory(agency=agency_a, year=2026)
    return {
        "roads": DatasetFactory(
            inventory=inventory,
            title="Roads",
            update_frequency="Monthly",
            geo_portal_url=f"https://geodata.ct.example/datasets/{ROADS}_0/about",
        ),
        "bridges": DatasetFactory(
            inventory=inventory,
            title="Bridges",
            update_frequency="Annually",
            geo_portal_url=f"https://www.arcgis.com/home/item.html?id={STALE}",
        ),
        "parks_old": DatasetFactory(
            inventory__agency=agency_a,
            inventory__year=2025,
            title="Parks",
            geo_portal_url=f"https://geodata.ct.example/datasets/{PARKS}",
        ),
    }


def test_sync_reads_every_page_and_links_items_by_the_inventorys_geo_url(geo_world, sandbox):
    run = geo.geo_sync(trigger="test")

    assert (run.platform, run.status, run.assets_read) == (Platform.GEO, "succeeded", 4)
    assert (run.linked, run.unclaimed, run.newly_unclaimed) == (3, 1, 1)
    searches = [r for r in requests_seen(sandbox) if r["path"] == "/sharing/rest/search"]
    assert len(searches) == 2  # 4 items, 2 a page; the second page's nextStart is -1
    roads = GeoItem.objects.get(item_id=ROADS)
    assert roads.dataset == geo_world["roads"]
    assert (roads.title, roads.item_type) == ("Road centerlines", "Feature Service")
    assert roads.modified_at == NOW - datetime.timedelta(days=3)
    assert roads.page_url == f"https://geodata.ct.example/datasets/{ROADS}"
    assert GeoItem.objects.get(item_id=PARKS).dataset == geo_world["parks_old"]
    assert list(GeoItem.objects.unlisted().values_list("item_id", flat=True)) == [ORPHAN]


def test_sync_retries_a_throttled_page_and_a_server_error(geo_world, sandbox):
    inject(sandbox, status=429, retry_after=0, path_prefix="/sharing/rest/search", count=1)
    inject(sandbox, status=503, path_prefix="/sharing/rest/search", count=1)
    naps: list[float] = []

    run = geo.geo_sync(trigger="test", sleep=naps.append)

    assert (run.status, run.assets_read) == ("succeeded", 4)
    statuses = [r["status"] for r in requests_seen(sandbox) if r["path"] == "/sharing/rest/search"]
    assert statuses == [429, 503, 200, 200]
    assert len(naps) == 2


def test_a_sync_that_runs_out_of_retries_fails_its_record_and_says_why(geo_world, sandbox):
    inject(sandbox, status=503, path_prefix="/sharing/rest/search", count=10)

    with pytest.raises(geo.GeoPortalError, match="HTTP 503"):
        geo.geo_sync(trigger="test", sleep=lambda seconds: None)

    run = PortalSync.objects.get(platform=Platform.GEO)
    assert run.status == "failed"
    assert "HTTP 503" in run.error
    assert not GeoItem.objects.exists()


def test_an_item_a_later_sync_no_longer_lists_is_missing_not_deleted(geo_world, sandbox):
    geo.geo_sync(trigger="test")
    control(
        sandbox, "PUT", "geo/items", json=[_item(ROADS, "Road centerlines", NOW)]
    ).raise_for_status()

    run = geo.geo_sync(trigger="test")

    assert (run.assets_read, run.newly_missing) == (1, 3)
    assert GeoItem.objects.count() == 4
    assert list(GeoItem.objects.present().values_list("item_id", flat=True)) == [ROADS]
    assert GeoItem.objects.get(item_id=ROADS).modified_at == NOW


def test_the_geo_items_modified_time_decides_freshness(geo_world):
    before = dataset_freshness(geo_world["bridges"])
    geo.geo_sync(trigger="test")

    bridges = dataset_freshness(geo_world["bridges"])
    roads = dataset_freshness(geo_world["roads"])

    assert before.check.state == Freshness.UNKNOWN  # nothing said when it was updated
    assert bridges.geo_updated_at == NOW - datetime.timedelta(days=500)
    assert (
        bridges.check.state == Freshness.STALE
    )  # annual, 500 days ago: past 366 days and the grace
    assert roads.check.state == Freshness.FRESH  # monthly, 3 days ago
    assert roads.geo_item.item_id == ROADS


@pytest.mark.parametrize(
    ("url", "item_id"),
    [
        (f"https://geodata.ct.gov/datasets/{ROADS}", ROADS),
        (f"https://geodata.ct.gov/datasets/{ROADS.upper()}_2/explore", ROADS),
        (f"https://ctmaps.maps.arcgis.com/home/item.html?id={PARKS}", PARKS),
        ("https://geodata.ct.gov/datasets/CTDEEP::state-parks", None),
        ("", None),
    ],
)
def test_the_item_id_a_geo_portal_url_names(url, item_id):
    assert geo.item_id_in(url) == item_id


def test_the_command_prints_what_the_sync_found(geo_world, capsys):
    call_command("sync_geo_portal")

    out = capsys.readouterr().out
    assert "Items read: 4" in out
    assert "In no inventory: 1 (1 new)" in out


def test_the_beat_task_syncs_when_enabled_and_skips_when_not(geo_world, settings):
    from upkeep.tasks import sync_geo_portal

    assert "upkeep.sync_geo_portal" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    settings.CTODP_GEO_ENABLED = False
    assert sync_geo_portal.delay().get() is None
    settings.CTODP_GEO_ENABLED = True
    run = PortalSync.objects.get(pk=sync_geo_portal.delay().get())
    assert (run.platform, run.trigger, run.assets_read) == (Platform.GEO, "beat", 4)


def test_the_admin_lists_geo_items_read_only(geo_world, admin_client):
    geo.geo_sync(trigger="test")
    item = GeoItem.objects.get(item_id=ORPHAN)

    listing = admin_client.get("/admin/upkeep/geoitem/")
    change = admin_client.get(f"/admin/upkeep/geoitem/{item.pk}/change/")

    assert listing.status_code == 200
    assert "Trail heads" in listing.content.decode()
    assert change.status_code == 200
    assert 'name="title"' not in change.content.decode()  # no editable field
