"""A publisher publishes a slice of the real OCME file privately through the browser, watches
the progress bar (polled by htmx while a real Celery worker pushes it), and the CDO makes it
public. Needs Chromium, Redis and PostgreSQL (browser and integration groups)."""

import pytest
import requests
from playwright.sync_api import expect

from publishing.models import Publication, RunStatus
from sandbox_portal import DEFAULT_PASSWORD, DEFAULT_USERNAME, start_sandbox
from tests.browser.conftest import axe_violations, sign_in
from tests.integration.conftest import (  # noqa: F401  the real-worker fixtures
    celery_worker,
    worker_process_env,
)
from tests.publishing.helpers import (
    OCME,
    expected_rows,
    ocme_dataset,
    ocme_records,
    portal_rows,
    record_screen,
)
from tests.sandbox import inject

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def portal():
    running = start_sandbox()
    yield running
    running.stop()


@pytest.fixture
def worker_env(portal) -> dict[str, str]:
    return {"SOCRATA_DOMAIN": portal.domain, "SOCRATA_CHUNK_SIZE": "100"}


def _accessible(page) -> None:
    assert axe_violations(page) == []


def _sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")


@pytest.mark.usefixtures("celery_worker")
def test_publish_privately_watch_progress_then_make_public(
    page,
    settings,
    portal,
    agency_a,
    publisher_a,
    cdo,
):
    settings.SOCRATA_DOMAIN = portal.domain
    dataset = ocme_dataset(agency_a)
    # Each chunk takes a moment on the portal, so the page is seen while the run is going.
    faults = {"path_prefix": "/resource/", "method": "POST", "delay": 0.7, "count": 3}
    inject(portal, **faults)

    sign_in(page, "bob")
    page.get_by_role("link", name="Publishing").first.click()
    _accessible(page)
    page.get_by_role("link", name="New publication").click()
    page.get_by_label("Dataset").select_option(label=f"{dataset.title} — 2026 inventory, DOA")
    page.locator("label[for=id_mode_0]").click()  # USWDS styles the label, not the radio
    _accessible(page)
    page.get_by_role("button", name="Create the publication").click()
    publication = Publication.objects.get()
    page.wait_for_url(f"**/publishing/{publication.pk}/")

    page.locator("#id_file").set_input_files(str(OCME))
    page.get_by_role("button", name="Read the source").click()
    assert "DescriptionofInjury" in page.locator("#column-table").inner_text()
    page.get_by_label("Row identifier").select_option("id")
    page.get_by_role("button", name="Confirm the columns").click()
    assert "(confirmed)" in page.locator("#column-table caption").inner_text()
    _accessible(page)

    page.get_by_role("button", name="Publish privately").click()
    first_seen = page.locator("#run-status").inner_text()
    assert "queued" in first_seen or "running" in first_seen
    expect(page.locator("#run-status")).to_contain_text("succeeded", timeout=60_000)
    assert page.locator("#run-percent").inner_text() == "100%"
    assert page.locator("progress").get_attribute("value") == "100"
    assert "Private" in page.locator("#visibility").inner_text()
    _accessible(page)

    # A second push of the same file is recognised and writes nothing.
    page.get_by_role("button", name="Publish privately").click()
    expect(page.locator("#run-status")).to_contain_text("unchanged", timeout=60_000)
    _sign_out(page)

    record_screen(publication)  # the privacy gate's part is tests/browser/test_privacy.py
    sign_in(page, "cdo")
    page.goto(f"/publishing/{publication.pk}/")
    page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm question
    page.get_by_role("button", name="Make public").click()
    page.wait_for_url(f"**/publishing/{publication.pk}/")
    assert "Public" in page.locator("#visibility").inner_text()
    _accessible(page)

    publication.refresh_from_db()
    assert publication.last_run.status == RunStatus.SUCCEEDED
    rows = portal_rows(portal.domain, publication.portal_id, DEFAULT_USERNAME, DEFAULT_PASSWORD)
    assert {row["id"]: row for row in rows} == expected_rows(ocme_records())
    anonymous = requests.get(f"{portal.url}/resource/{publication.portal_id}.json", timeout=5)
    assert anonymous.status_code == 200
