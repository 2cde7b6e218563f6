"""The notices log in a real browser (ADR 0019): the CDO goes from My reminders to every notice
sent, filters by agency and kind, at 375, 1024, 1280 and 1600 px; axe finds nothing serious."""

import pytest

from agencies.models import Notice, NoticeStatus
from tests.browser.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sent(agency_a, agency_b, ado_a, ado_b, cdo):
    def notice(user, agency, kind, subject, **fields):
        return Notice.objects.create(
            kind=kind,
            agency=agency,
            recipient=user,
            email=user.email,
            subject=subject,
            body="b",
            html="<p>b</p>",
            link=f"http://127.0.0.1:8000{agency.get_absolute_url()}",
            status=fields.pop("status", NoticeStatus.SENT),
            **fields,
        )

    notice(ado_a, agency_a, "inventory_returned", "Inventory returned with comments: Alpha 2026")
    notice(ado_b, agency_b, "plan_decided", "Access plan approved: Beta 2026")
    notice(cdo, agency_a, "inventory_submitted", "Inventory submitted: Alpha 2026")
    notice(
        cdo,
        agency_b,
        "exception_requested",
        "Privacy exception requested: Beta",
        status=NoticeStatus.FAILED,
        error="SMTPServerDisconnected: Connection unexpectedly closed",
    )


def _subjects(page) -> list[str]:
    return page.locator("#notices-table tbody td[data-label=Subject]").all_inner_texts()


@pytest.mark.parametrize("width", [375, 1024, 1280, 1600])
def test_the_cdo_reads_and_filters_every_notice(page, sent, cdo, width):
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, "cdo")
    page.goto("/reminders/")
    assert "Inventory submitted: Alpha 2026" in page.locator("#my-notices-table").inner_text()
    page.get_by_role("link", name="every notice").click()
    page.wait_for_url("**/reminders/notices/")
    assert len(_subjects(page)) == 4
    assert "Not sent (mail failed)" in page.locator("#notices-table").inner_text()
    assert axe_violations(page) == []
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0

    page.get_by_label("Agency", exact=True).select_option(label="Department of Beta")
    page.get_by_label("Kind", exact=True).select_option(label="Access plan decided")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**kind=plan_decided**")
    assert _subjects(page) == ["Access plan approved: Beta 2026"]
    assert axe_violations(page) == []


def test_an_ado_sees_only_their_own(page, sent, ado_b):
    sign_in(page, "charlie")
    page.goto("/reminders/notices/")
    assert _subjects(page) == ["Access plan approved: Beta 2026"]
    assert page.get_by_label("Agency", exact=True).count() == 0
    assert axe_violations(page) == []
