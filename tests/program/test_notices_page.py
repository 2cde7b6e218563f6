"""/reminders/notices/: every notice sent, for program staff (filtered by kind and agency,
paginated); anyone else sees only the notices sent to them (ADR 0019)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.models import Notice, NoticeStatus
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.clock(datetime.datetime(2026, 11, 2, 14, 0, tzinfo=datetime.UTC))

URL = reverse("reminders:notices")


def _notice(recipient, agency, kind="inventory_submitted", **fields) -> Notice:
    return Notice.objects.create(
        kind=kind,
        agency=agency,
        recipient=recipient,
        email=recipient.email,
        subject=fields.pop("subject", f"{kind} for {agency} to {recipient}"),
        body="b",
        html="<p>b</p>",
        link="https://ctodp.example.gov/x/",
        status=fields.pop("status", NoticeStatus.SENT),
        **fields,
    )


@pytest.fixture
def sent(agency_a, agency_b, ado_a, ado_b, cdo):
    return {
        "to_alice": _notice(ado_a, agency_a, "inventory_returned"),
        "to_charlie": _notice(ado_b, agency_b, "plan_decided"),
        "to_cdo_about_a": _notice(cdo, agency_a, "inventory_submitted"),
        "to_cdo_about_b": _notice(
            cdo, agency_b, "exception_requested", status=NoticeStatus.FAILED, error="SMTP down"
        ),
    }


def _subjects(client, user, query: str = "") -> set[str]:
    client.force_login(user)
    response = client.get(URL + query)
    assert response.status_code == 200
    return {notice.subject for notice in response.context["page"]}


@pytest.mark.parametrize("staff", ["cdo", "dapa", "portal_admin"])
def test_program_staff_see_every_notice(client, request, staff, sent):
    assert _subjects(client, request.getfixturevalue(staff)) == {n.subject for n in sent.values()}


def test_an_ado_sees_only_the_notices_sent_to_them(client, sent, ado_b, agency_a):
    assert _subjects(client, ado_b) == {sent["to_charlie"].subject}
    # The agency filter is staff-only: naming another agency shows them nothing more.
    assert _subjects(client, ado_b, f"?agency={agency_a.slug}") == {sent["to_charlie"].subject}
    page = client.get(URL).content.decode()
    assert "Department of Alpha" not in page
    assert 'name="agency"' not in page


def test_staff_filter_by_kind_and_agency(client, sent, cdo, agency_a, agency_b):
    assert _subjects(client, cdo, f"?agency={agency_b.slug}") == {
        sent["to_charlie"].subject,
        sent["to_cdo_about_b"].subject,
    }
    assert _subjects(client, cdo, "?kind=inventory_submitted") == {sent["to_cdo_about_a"].subject}
    kind_and_agency = f"?kind=plan_decided&agency={agency_a.slug}"
    assert _subjects(client, cdo, kind_and_agency) == set()


def test_staff_see_why_a_notice_failed(client, sent, cdo):
    client.force_login(cdo)
    page = client.get(URL).content.decode()
    assert "Not sent (mail failed): SMTP down" in page


def test_anonymous_is_sent_to_sign_in(client, sent):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_fifty_a_page(client, cdo, agency_a):
    for n in range(51):
        _notice(cdo, agency_a, subject=f"n{n:02d}")
    assert len(_subjects(client, cdo)) == 50
    assert _subjects(client, cdo, "?page=2") == {"n00"}  # newest first: the first one is last


def _count(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_the_page_costs_the_same_queries_for_3_or_30_notices(client, cdo):
    def grow(n: int) -> None:
        for _ in range(n):
            _notice(UserFactory(), AgencyFactory())

    grow(3)
    few = _count(client, cdo)
    grow(27)
    assert _count(client, cdo) == few


def test_my_reminders_page_lists_my_notices(client, sent, ado_a):
    client.force_login(ado_a)
    page = client.get(reverse("reminders:mine"))
    assert [notice.subject for notice in page.context["notices"]] == [sent["to_alice"].subject]
    assert reverse("reminders:notices") in page.content.decode()
