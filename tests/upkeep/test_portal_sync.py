"""Portal sync against the sandbox over HTTP: linking, unclaimed and missing assets, paging."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from sodapy import Socrata

from publishing.models import Publication, RunStatus
from tests.inventories.factories import DatasetFactory
from tests.sandbox import SONG_COLUMNS, inject, requests_seen, set_asset
from upkeep import sync as sync_services
from upkeep.models import AssetLink, PortalAsset, PortalSync

pytestmark = pytest.mark.django_db


def _view(soda: Socrata, name: str) -> str:
    return soda.create(name, columns=SONG_COLUMNS)["id"]


@pytest.fixture
def world(soda, portal_settings, agency_a, agency_b, ado_b):
    """Three portal assets: one in alpha's inventory, one published by beta, one nobody's."""
    roads, bridges, mystery = _view(soda, "Roads"), _view(soda, "Bridges"), _view(soda, "Mystery")
    roads_dataset = DatasetFactory(inventory__agency=agency_a, title="Roads", portal_id=roads)
    bridges_dataset = DatasetFactory(inventory__agency=agency_b, title="Bridges")
    Publication.objects.create(
        dataset=bridges_dataset, agency=agency_b, portal_id=bridges, created_by=ado_b
    )
    return {"roads": roads, "bridges": bridges, "mystery": mystery, "roads_ds": roads_dataset}


def test_sync_links_assets_by_portal_id_and_lists_the_unclaimed(world, sandbox, agency_a, agency_b):
    set_asset(
        sandbox,
        world["roads"],
        data_updated_at="2026-03-01T12:00:00Z",
        metadata_updated_at="2026-02-01T00:00:00Z",
        page_views_total=1234,
        page_views_last_month=56,
        download_count=78,
    )

    run = sync_services.portal_sync(trigger="test", page_size=2)

    assert (run.status, run.assets_read, run.linked, run.unclaimed) == ("succeeded", 3, 2, 1)
    assert run.newly_unclaimed == 1
    roads = PortalAsset.objects.get(portal_id=world["roads"])
    assert (roads.agency, roads.dataset, roads.link) == (agency_a, world["roads_ds"], "inventory")
    assert roads.data_updated_at == datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC)
    assert roads.metadata_updated_at == datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC)
    assert (roads.page_views, roads.page_views_last_month, roads.downloads) == (1234, 56, 78)
    assert roads.name == "Roads"
    assert roads.permalink.endswith(f"/d/{world['roads']}")
    bridges = PortalAsset.objects.get(portal_id=world["bridges"])
    assert (bridges.agency, bridges.link) == (agency_b, AssetLink.PUBLICATION)
    assert list(PortalAsset.objects.unclaimed().values_list("portal_id", flat=True)) == [
        world["mystery"]
    ]


def test_sync_pages_through_the_catalog_with_a_small_page_size(soda, portal_settings, sandbox):
    ids = [_view(soda, f"Asset {number}") for number in range(5)]

    run = sync_services.portal_sync(page_size=2)

    catalog_reads = [r for r in requests_seen(sandbox) if r["path"].startswith("/api/catalog")]
    assert len(catalog_reads) == 3  # 2 + 2 + 1
    assert run.assets_read == 5
    assert set(PortalAsset.objects.values_list("portal_id", flat=True)) == set(ids)


def test_an_asset_no_longer_listed_is_marked_missing_not_deleted(world, soda, sandbox):
    sync_services.portal_sync()
    soda.delete(world["mystery"])

    second = sync_services.portal_sync()
    third = sync_services.portal_sync()

    mystery = PortalAsset.objects.get(portal_id=world["mystery"])
    assert second.started_at < mystery.missing_since < third.started_at
    assert (second.newly_missing, third.newly_missing) == (1, 0)
    assert (second.newly_unclaimed, second.unclaimed) == (0, 0)
    assert not PortalAsset.objects.unclaimed().exists()


def test_a_later_sync_records_the_new_figures_without_history(world, sandbox):
    sync_services.portal_sync()
    set_asset(sandbox, world["roads"], data_updated_at="2026-05-01T00:00:00Z", download_count=5)

    second = sync_services.portal_sync()

    roads = PortalAsset.objects.get(portal_id=world["roads"])
    assert roads.data_updated_at == datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC)
    assert roads.downloads == 5
    assert roads.last_seen_at >= second.started_at
    assert roads.first_seen_at < second.started_at
    assert not roads.history.exists()  # figures are not governance; only assignments are


def test_a_repeated_sync_reports_nothing_newly_unclaimed(world):
    first = sync_services.portal_sync()
    second = sync_services.portal_sync()

    assert (first.newly_unclaimed, second.newly_unclaimed, second.unclaimed) == (1, 0, 1)
    assert PortalAsset.objects.count() == 3


def test_an_asset_whose_claim_goes_away_is_newly_unclaimed(world):
    sync_services.portal_sync()
    world["roads_ds"].portal_id = ""
    world["roads_ds"].save()

    run = sync_services.portal_sync()

    assert (run.unclaimed, run.newly_unclaimed) == (2, 1)
    assert PortalAsset.objects.get(portal_id=world["roads"]).agency is None


def test_a_staff_assignment_survives_later_syncs(world, agency_b, dapa):
    sync_services.portal_sync()
    mystery = PortalAsset.objects.get(portal_id=world["mystery"])

    sync_services.portal_asset_assign(asset=mystery, agency=agency_b, acting_user=dapa)
    run = sync_services.portal_sync()

    mystery.refresh_from_db()
    assert (mystery.agency, mystery.link, mystery.assigned_by) == (agency_b, "assigned", dapa)
    assert run.unclaimed == 0
    assert mystery.history.first().history_user == dapa


def test_sync_portal_command_prints_what_it_found(world):
    out = StringIO()

    call_command("sync_portal", "--page-size", "2", stdout=out)

    assert out.getvalue().splitlines() == [
        "Assets read: 3",
        "Linked to an agency: 2",
        "Unclaimed: 1 (1 newly unclaimed)",
        "Newly missing from the portal: 0",
    ]
    assert PortalSync.objects.get().trigger == "command"


def test_sync_portal_command_fails_readably_on_a_portal_error(world, sandbox):
    inject(sandbox, status=403, path_prefix="/api/catalog", message="Not for you")

    with pytest.raises(CommandError, match=r"portal sync failed: .*403.*Not for you"):
        call_command("sync_portal")

    failed = PortalSync.objects.get()
    assert failed.status == RunStatus.FAILED
    assert "403" in failed.error
    assert not PortalAsset.objects.exists()


def test_sync_portal_task_records_a_failure_and_does_not_raise(world, sandbox):
    from upkeep.tasks import sync_portal

    inject(sandbox, status=403, path_prefix="/api/catalog")

    assert sync_portal() is None
    assert PortalSync.objects.get().status == RunStatus.FAILED


def test_beat_syncs_the_portal_every_hour(settings):
    from ctodp.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["publishing-sync-portal"]

    assert entry == {"task": "publishing.sync_portal", "schedule": 3600.0}
    assert "publishing.sync_portal" in app.tasks


def test_sync_portal_command_explains_a_bad_portal_setting(portal_settings):
    portal_settings.SOCRATA_DOMAIN = "https://data.ct.gov/"

    with pytest.raises(CommandError, match="SOCRATA_DOMAIN must be a bare host"):
        call_command("sync_portal")

    assert PortalSync.objects.get().status == RunStatus.FAILED
