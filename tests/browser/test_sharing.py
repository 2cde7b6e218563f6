"""An ADO records a data sharing agreement with another agency and OPM in the browser, uploads
the signed PDF, and reads it back; the other agency's ADO finds it in the register (ADR 0026)."""

import pytest

from sharing.models import Agreement
from tests.browser.conftest import axe_violations, sign_in
from tests.inventories.factories import DatasetFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_an_ado_records_an_agreement_and_the_other_party_reads_it(
    page, ado_a, ado_b, agency_a, agency_b
):
    DatasetFactory(inventory__agency=agency_a, title="Overdose deaths")
    sign_in(page, "alice")
    page.goto("/sharing/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Record an agreement").click()
    page.get_by_label("Title").fill("Overdose surveillance")
    page.get_by_label("Agency parties").select_option(
        label=["Department of Alpha", "Department of Beta"]
    )
    page.get_by_text("OPM is a party", exact=True).click()
    page.get_by_label("Outside parties").fill("UConn Health")
    page.get_by_label("Datasets", exact=True).select_option(index=0)
    page.get_by_label("Purpose").fill("Link overdose deaths to treatment records.")
    page.get_by_label("Legal basis").fill("CGS §19a-25.")
    page.get_by_label("Security terms").fill("Encrypted at rest; named analysts only.")
    page.get_by_label("Starts on").fill("2026-01-01")
    page.get_by_label("Ends on").fill("2027-06-30")
    page.get_by_label("Status").select_option(label="In force")
    page.locator("#id_document").set_input_files(
        {"name": "signed.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save").click()

    agreement = Agreement.objects.get()
    page.wait_for_url(f"**/sharing/{agreement.pk}/")
    facts = page.locator("#agreement-facts").inner_text()
    assert "Department of Alpha; Department of Beta" in facts
    assert "UConn Health" in facts
    assert "Overdose deaths" in facts
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Download").click()
    assert download.value.suggested_filename.endswith(".pdf")

    page.context.clear_cookies()
    sign_in(page, "charlie")
    page.goto("/sharing/")
    assert "Overdose surveillance" in page.locator("#agreements").inner_text()
