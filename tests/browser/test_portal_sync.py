"""DAPA assigns an unclaimed portal asset in the browser; an ADO reads the stale list and the
freshness badge. Axe checks every page. Needs Chromium."""

import datetime

import pytest
from playwright.sync_api import expect

from sandbox_portal import DEFAULT_PASSWORD, DEFAULT_USERNAME, start_sandbox
from tests.browser.conftest import axe_violations, sign_in
from tests.inventories.factories import DatasetFactory
from tests.sandbox import SONG_COLUMNS, connect, set_asset
from upkeep.models import PortalAsset
from upkeep.sync import portal_sync

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def portal(settings):
    running = start_sandbox()
    settings.SOCRATA_DOMAIN = running.domain
    settings.SOCRATA_SCHEME = "http"
    settings.SOCRATA_USERNAME = DEFAULT_USERNAME
    settings.SOCRATA_PASSWORD = DEFAULT_PASSWORD
    yield running
    running.stop()


def test_dapa_assigns_an_unclaimed_asset_and_the_ado_sees_it_stale(
    page, portal, agency_a, dapa, ado_a
):
    with connect(portal.domain, DEFAULT_USERNAME, DEFAULT_PASSWORD) as soda:
        ferries = soda.create("Ferry crossings", columns=SONG_COLUMNS)["id"]
    long_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=90)
    set_asset(portal, ferries, data_updated_at=long_ago.isoformat(), page_views_total=42)
    dataset = DatasetFactory(
        inventory__agency=agency_a, title="Ferries", update_frequency="Monthly"
    )
    portal_sync(trigger="test")

    sign_in(page, "dapa")
    page.goto("/publishing/portal/unclaimed/")
    expect(page.locator("#unclaimed-table")).to_contain_text("Ferry crossings")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Assign Ferry crossings").click()
    page.get_by_label("Agency").select_option(label=agency_a.name)
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Dataset").select_option(label="Ferries (2026 inventory)")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Assign").click()
    expect(page.locator("#unclaimed-table")).to_contain_text("No unclaimed assets.")
    assert PortalAsset.objects.get(portal_id=ferries).dataset == dataset
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "alice")
    page.goto(dataset.get_absolute_url())
    expect(page.locator("#freshness")).to_contain_text("Stale")
    expect(page.locator("#freshness")).to_contain_text("expected every 31 days (monthly)")
    assert axe_violations(page) == []
    page.goto("/publishing/stale/alpha/")
    expect(page.get_by_role("table").first).to_contain_text("Ferries")
    assert axe_violations(page) == []
