"""A publisher retires a public asset from its page, sees the timeline, the public list shows it
mid-retirement, and the publisher cancels. Tasks run eagerly against a sandbox portal; the
pages pass axe (ADR 0010)."""

import datetime

import pytest
from django.utils import timezone

from publishing.models import Publication, Visibility
from publishing.portal import PortalClient
from sandbox_portal import start_sandbox
from tests.browser.conftest import axe_violations, sign_in
from tests.publishing.helpers import ocme_dataset
from tests.sandbox import SONG_COLUMNS
from upkeep.models import Retirement, RetirementStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def portal():
    running = start_sandbox()
    yield running
    running.stop()


@pytest.fixture
def public(settings, portal, agency_a, publisher_a) -> Publication:
    settings.SOCRATA_DOMAIN = portal.domain
    with PortalClient() as client:
        view = client.create_dataset("Songs", columns=SONG_COLUMNS, tags=["music"])
        client.publish(view["id"])
        client.set_public(view["id"], True)
    return Publication.objects.create(
        dataset=ocme_dataset(agency_a),
        agency=agency_a,
        portal_id=view["id"],
        visibility=Visibility.PUBLIC,
        made_public_at=timezone.now() - datetime.timedelta(days=90),
        created_by=publisher_a,
    )


def test_publisher_retires_then_cancels_from_the_page(page, public, publisher_a):
    page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm questions
    sign_in(page, "bob")
    page.goto(f"/publishing/{public.pk}/")
    page.get_by_label("Why it is retired (Handbook criterion)").select_option("replaced")
    page.get_by_label("Reason").fill("Replaced by the yearly files.")
    page.get_by_label("Superseding asset (optional)").fill("abcd-2024")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Start the retirement").click()
    page.wait_for_url(f"**/publishing/{public.pk}/")

    timeline = page.locator("#retirement-timeline").inner_text()
    assert "Posted" in timeline
    assert "Due" in timeline
    assert axe_violations(page) == []
    with PortalClient() as client:
        assert client.get_metadata(public.portal_id)["name"] == "ARCHIVE: Songs"

    page.goto("/catalog/retired/")
    assert "Mid-retirement: to be made private on" in page.locator("#retired-assets").inner_text()
    assert axe_violations(page) == []

    page.goto(f"/publishing/{public.pk}/")
    page.get_by_role("button", name="Cancel the retirement").click()
    page.wait_for_url(f"**/publishing/{public.pk}/")
    assert "restored" in page.locator("#retirement-timeline").inner_text()
    assert Retirement.objects.get().status == RetirementStatus.CANCELLED
    with PortalClient() as client:
        restored = client.get_metadata(public.portal_id)
    assert (restored["name"], restored["tags"]) == ("Songs", ["music"])
