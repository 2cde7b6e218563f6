"""The CDO sees the CT Data Catalog and the retired-assets list among the publications, with
their last runs, at 1280 and 375 px; the pages pass axe. The demo data makes the publications
(seed_demo → setup_catalog_publications); an inventory accepted in the browser runs the catalog's
refresh against a sandbox portal, tasks in place (ADR 0030)."""

import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from agencies.models import Agency, StaffGroup
from inventories.choices import InventoryStatus
from inventories.services import inventory_accept
from program.management.commands.seed_demo import DEMO_PASSWORD
from publishing.models import Publication, RunStatus, SourceKind
from sandbox_portal import DEFAULT_PASSWORD, DEFAULT_USERNAME, start_sandbox
from tests.browser.conftest import axe_violations, sign_in
from tests.inventories.factories import DatasetFactory, InventoryFactory
from tests.publishing.helpers import portal_rows

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.clock("2026-05-15T14:00:00Z", tick=True),
]


@pytest.fixture
def portal(settings):
    running = start_sandbox()
    settings.SOCRATA_DOMAIN = running.domain
    yield running
    running.stop()


@pytest.fixture
def demo(db):
    # A transactional test's flush removes the staff groups the data migration made.
    for group in StaffGroup:
        Group.objects.get_or_create(name=group.value)
    call_command("seed_demo", stdout=io.StringIO())


def test_the_cdo_sees_the_catalog_publications_and_their_last_runs(page, portal, demo):
    inventory = InventoryFactory(
        agency=Agency.objects.get(slug="dot"), year=2025, status=InventoryStatus.SUBMITTED
    )
    DatasetFactory(inventory=inventory, title="Traffic counts on state roads")
    inventory_accept(inventory=inventory, comment="", acting_user=User.objects.get(username="cdo"))
    catalog = Publication.objects.get(source_kind=SourceKind.CATALOG)
    assert catalog.last_run.status == RunStatus.SUCCEEDED, catalog.last_run.error
    rows = portal_rows(portal.domain, catalog.portal_id, DEFAULT_USERNAME, DEFAULT_PASSWORD)
    assert "Traffic counts on state roads" in [row.get("title") for row in rows]

    sign_in(page, "cdo", DEMO_PASSWORD)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto("/publishing/")
        table = page.locator("#publication-table")
        catalog_row = table.get_by_role("row").filter(has_text="CT Data Catalog")
        assert "succeeded" in catalog_row.inner_text().lower()  # a tag: shown in capitals
        assert catalog.portal_id in catalog_row.inner_text()
        retired_row = table.get_by_role("row").filter(has_text="Retired assets")
        assert "—" in retired_row.inner_text()  # no run yet: nothing was retired
        assert axe_violations(page) == []

        page.get_by_role("link", name="CT Data Catalog").click()
        page.wait_for_url(f"**/publishing/{catalog.pk}/")
        assert "Succeeded" in page.locator("#run-history").inner_text()
        assert page.locator("#make-public-refused").count() == 0  # no privacy screen needed
        assert axe_violations(page) == []

    page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm question
    page.get_by_role("button", name="Make public").click()
    page.wait_for_url(f"**/publishing/{catalog.pk}/")
    assert page.locator("#visibility").inner_text().startswith("Public")
