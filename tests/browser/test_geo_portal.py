"""The Geo Data Portal (ADR 0029) as its users see it: a DAPA analyst reads the Geo items no
inventory lists, an ADO sees the Geo status and freshness on the dataset page; at a phone's
and a desktop's width, with axe clean. The items come from the sandbox over real HTTP."""

import datetime

import pytest
from playwright.sync_api import expect

from sandbox_portal import DEFAULT_PASSWORD, DEFAULT_USERNAME, start_sandbox
from tests.browser.conftest import axe_violations, sign_in
from tests.inventories.factories import DatasetFactory
from upkeep.geo import geo_sync

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STALE_ITEM, ORPHAN_ITEM = "b" * 32, "c" * 32


@pytest.fixture
def geo_portal(settings):
    running = start_sandbox()
    settings.CTODP_GEO_API_URL = running.url
    settings.CTODP_GEO_PORTAL_URL = "https://geodata.ct.example"
    yield running
    running.stop()


def _set_items(portal, items: list[dict]) -> None:
    import requests

    url = f"{portal.url}/__sandbox__/geo/items"
    auth = (DEFAULT_USERNAME, DEFAULT_PASSWORD)
    requests.put(url, json=items, auth=auth, timeout=5).raise_for_status()


@pytest.mark.parametrize("width", [375, 1280])
def test_dapa_sees_unlisted_geo_items_and_the_ado_a_stale_geo_dataset(
    page, geo_portal, agency_a, dapa, ado_a, width
):
    long_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=90)
    modified = int(long_ago.timestamp() * 1000)
    _set_items(
        geo_portal,
        [
            {"id": STALE_ITEM, "title": "Ferry landings", "modified": modified},
            {"id": ORPHAN_ITEM, "title": "Boat launches", "modified": modified},
        ],
    )
    dataset = DatasetFactory(
        inventory__agency=agency_a,
        title="Ferries",
        update_frequency="Monthly",
        geo_portal_url=f"https://geodata.ct.example/datasets/{STALE_ITEM}",
    )
    geo_sync(trigger="test")
    page.set_viewport_size({"width": width, "height": 900})

    sign_in(page, "dapa")
    page.goto("/publishing/portal/unclaimed/")
    table = page.locator("#geo-table")
    expect(table).to_contain_text("Boat launches")
    expect(table).not_to_contain_text("Ferry landings")
    expect(page.locator("#last-geo-sync")).to_contain_text("2 items read, 1 in an inventory")
    assert axe_violations(page) == []
    page.context.clear_cookies()  # sign out (the button sits in the menu at a phone width)

    sign_in(page, "alice")
    page.goto(dataset.get_absolute_url())
    expect(page.locator("#freshness")).to_contain_text("Stale")
    geo_status = page.locator("#geo-status")
    expect(geo_status).to_contain_text("CT Geo Data Portal")
    link = geo_status.get_by_role("link", name="Ferry landings")
    expect(link).to_have_attribute("href", f"https://geodata.ct.example/datasets/{STALE_ITEM}")
    assert axe_violations(page) == []
