"""A publisher schedules a publication from its page, pauses and resumes it; the page passes axe."""

import pytest

from inventories.choices import UpdateFrequency
from publishing.models import PublicationSchedule
from tests.browser.conftest import axe_violations, sign_in
from tests.publishing.helpers import ocme_dataset, ready_publication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_publisher_sets_pauses_and_resumes_a_schedule(page, agency_a, publisher_a):
    dataset = ocme_dataset(agency_a)
    dataset.update_frequency = UpdateFrequency.MONTHLY
    dataset.save()
    publication = ready_publication(dataset, publisher_a)

    sign_in(page, "bob")
    page.goto(f"/publishing/{publication.pk}/")
    assert "a monthly run is suggested" in page.locator("#schedule-suggestion").inner_text()
    assert page.locator("#id_kind_2").is_checked()  # monthly, from the suggestion
    assert axe_violations(page) == []

    page.locator("label[for=id_kind_1]").click()  # weekly
    page.get_by_label("Day of the week (weekly)").select_option(label="Wednesday")
    page.get_by_label("Time of day").fill("07:45")
    page.get_by_label("Time zone").fill("America/Denver")
    page.get_by_role("button", name="Set the schedule").click()
    page.wait_for_url(f"**/publishing/{publication.pk}/")
    summary = page.locator("#schedule-summary").inner_text()
    assert summary == "Weekly on Wednesday at 07:45 (America/Denver)."
    next_run = page.locator("#schedule-next").inner_text()
    assert "Wednesday" in next_run
    assert "7:45 AM M" in next_run  # MST or MDT
    assert axe_violations(page) == []

    page.get_by_role("button", name="Pause the schedule").click()
    assert "Paused by Bob Baker" in page.locator("#schedule-paused").inner_text()
    page.get_by_role("button", name="Resume the schedule").click()
    assert page.locator("#schedule-next").is_visible()
    assert PublicationSchedule.objects.get().paused_at is None

    page.get_by_label("Time zone").fill("Denver")
    page.get_by_role("button", name="Change the schedule").click()
    assert "is not a time zone" in page.locator("#id_time_zone_error").inner_text()
    assert axe_violations(page) == []
