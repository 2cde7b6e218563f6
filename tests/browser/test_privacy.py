"""Issue 7 in a real browser: a publisher uploads the OCME slice and screens it; the CDO finds
make-public refused by the privacy gate, approves the publisher's exception, then makes it public;
the suppression page previews counts by county × sex and saves them as another publication's
source. Tasks run eagerly in the live server; the portal is the sandbox over real HTTP."""

import re

import pytest

from publishing import services
from publishing.models import Publication
from sandbox_portal import start_sandbox
from tests.browser.conftest import axe_violations, sign_in
from tests.inventories.factories import DatasetFactory
from tests.publishing.helpers import OCME, ocme_dataset, ocme_records, ocme_upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def portal(settings):
    running = start_sandbox()
    settings.SOCRATA_DOMAIN = running.domain
    yield running
    running.stop()


def _accessible(page) -> None:
    assert axe_violations(page) == []


def _sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")


def _upload_and_screen(page, publication: Publication) -> None:
    page.goto(f"/publishing/{publication.pk}/")
    page.locator("#id_file").set_input_files(str(OCME))
    page.get_by_role("button", name="Read the source").click()
    page.get_by_label("Row identifier").select_option("id")
    page.get_by_role("button", name="Confirm the columns").click()
    assert "(confirmed)" in page.locator("#column-table caption").inner_text()
    assert "not been screened" in page.locator("#privacy-none").inner_text()
    page.get_by_label("Smallest safe group size").fill("5")
    page.get_by_role("button", name="Screen the source").click()
    page.wait_for_url(f"**/publishing/{publication.pk}/")


def test_screen_gate_exception_and_suppression_in_the_browser(
    page, portal, agency_a, publisher_a, cdo
):
    dataset = ocme_dataset(agency_a)
    publication = services.publication_create(dataset=dataset, acting_user=publisher_a)
    aggregate = DatasetFactory(inventory=dataset.inventory, title="Drug deaths by county and sex")
    target = services.publication_create(dataset=aggregate, acting_user=publisher_a)

    # The publisher screens the source and reads the verdict, k and the quasi-identifiers.
    sign_in(page, "bob")
    _upload_and_screen(page, publication)
    status = page.locator("#screen-status").inner_text()
    assert "succeeded" in status
    assert page.locator("#screen-verdict").inner_text() == "HIGH"
    assert re.search(r"k = \d+", status)
    _accessible(page)
    page.get_by_role("link", name="Full report").click()
    quasi = page.locator("#screen-quasi").inner_text()
    for column in ("Age", "Sex", "Race", "ResidenceCity"):
        assert column in quasi
    assert "quasi_identifier" in page.locator("#screen-columns").inner_text()
    assert page.locator("#screen-recommendations li").count() > 0
    assert "generalise" in page.locator("#screen-recommendations").inner_text()
    _accessible(page)
    page.get_by_label("Justification").fill("The OCME publishes these records itself.")
    page.get_by_role("button", name="Request an exception").click()
    assert "not approved yet" in page.locator("#screen-exceptions").inner_text()

    page.goto(f"/publishing/{publication.pk}/")
    page.get_by_role("button", name="Publish privately").click()
    page.wait_for_url(f"**/publishing/{publication.pk}/")
    assert "succeeded" in page.locator("#run-status").inner_text()
    _sign_out(page)

    # The CDO: make-public is refused by the gate and says why; approving opens it.
    sign_in(page, "cdo")
    page.goto(f"/publishing/{publication.pk}/")
    refused = page.locator("#make-public-refused").inner_text()
    assert "high re-identification risk" in refused
    assert page.get_by_role("button", name="Make public").count() == 0
    _accessible(page)
    page.get_by_role("link", name="Full report").click()
    page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm questions
    page.get_by_role("button", name="Approve the exception").click()
    assert "approved by" in page.locator("#screen-exceptions").inner_text()
    _accessible(page)
    page.goto(f"/publishing/{publication.pk}/")
    assert page.locator("#privacy-gate").count() == 0
    page.get_by_role("button", name="Make public").click()
    page.wait_for_url(f"**/publishing/{publication.pk}/")
    assert "Public" in page.locator("#visibility").inner_text()
    _accessible(page)
    _sign_out(page)

    # The publisher aggregates by county × sex; small cells are marked, none shows 1 to 5.
    sign_in(page, "bob")
    page.goto(f"/publishing/{publication.pk}/")
    page.locator("#suppress-link").click()
    _accessible(page)
    page.locator("label", has_text=re.compile(r"^ResidenceCounty$")).click()
    page.locator("label", has_text=re.compile(r"^Sex$")).click()
    page.get_by_role("button", name="Preview").click()
    assert "suppressed" in page.locator("#suppress-summary").inner_text()
    assert page.locator("[data-suppressed=true]").count() > 0
    values = page.locator("#suppress-preview tbody td:last-child").all_inner_texts()
    shown = [int(v) for v in values if v.strip().isdigit()]
    assert shown
    assert not [v for v in shown if 1 <= v <= 5]
    _accessible(page)
    page.get_by_label("Save as the new source of").select_option(str(target.pk))
    page.get_by_role("button", name="Save as the new source").click()
    page.wait_for_url(f"**/publishing/{target.pk}/")
    target.refresh_from_db()
    assert target.source_name == f"suppressed-publication-{publication.pk}.csv"
    headers = page.locator("#column-table tbody th").all_inner_texts()
    assert headers == ["Sex", "ResidenceCounty", "count", "suppressed"]
    _accessible(page)


def test_a_large_source_is_aggregated_by_a_worker_with_its_own_page(
    page, settings, agency_a, publisher_a
):
    settings.CTODP_SUPPRESS_SYNC_BYTES = 0  # every upload counts as large
    dataset = ocme_dataset(agency_a)
    publication = services.publication_create(dataset=dataset, acting_user=publisher_a)
    services.publication_attach_source(
        publication=publication, acting_user=publisher_a, file=ocme_upload()
    )
    services.publication_confirm_columns(
        publication=publication, acting_user=publisher_a, row_identifier="id"
    )

    sign_in(page, "bob")
    page.goto(f"/publishing/{publication.pk}/suppress/")
    assert "a worker aggregates it" in page.locator("#suppress-in-worker").inner_text()
    _accessible(page)
    page.locator("label", has_text=re.compile(r"^DeathCounty$")).click()
    page.locator("label", has_text=re.compile(r"^Sex$")).click()
    page.get_by_role("button", name="Preview").click()
    page.wait_for_url("**/publishing/suppress/jobs/*/")
    status = page.locator("#suppress-status").inner_text()
    assert "succeeded" in status
    assert f"{len(ocme_records())} rows read" in status
    assert page.locator("[data-suppressed=true]").count() > 0
    _accessible(page)
    page.get_by_role("button", name="Save as the new source").click()
    page.wait_for_url("**/publishing/suppress/jobs/*/")
    assert "Saved as the new source" in page.locator("#suppress-saved").inner_text()
    _accessible(page)
