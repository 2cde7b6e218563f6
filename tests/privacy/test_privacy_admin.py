"""Issue 7 in the Django admin: screens read-only with filters; only the CDO approves exceptions
(through the same audited service)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from privacy import services as privacy_services
from privacy.models import PrivacyException
from tests.publishing.helpers import ocme_dataset, ready_publication, record_screen

SCREENS = "admin:privacy_privacyscreen_changelist"
EXCEPTIONS = "admin:privacy_privacyexception_changelist"


@pytest.fixture
def publication(agency_a, publisher_a):
    return ready_publication(ocme_dataset(agency_a), publisher_a)


@pytest.fixture
def publisher_b_publication(agency_b, ado_b):
    return ready_publication(ocme_dataset(agency_b), ado_b)


def _request(screen, user) -> PrivacyException:
    return privacy_services.exception_request(
        screen=screen, acting_user=user, justification="Published by the OCME already."
    )


def test_program_staff_filter_screens_by_verdict_and_agency(
    client, cdo, publication, publisher_b_publication
):
    high = record_screen(publication, verdict="high", k=1)
    low = record_screen(publisher_b_publication, verdict="low")
    client.force_login(cdo)
    listed = client.get(reverse(SCREENS), {"verdict__exact": "high"}).context["cl"].result_list
    assert list(listed) == [high]
    agency = {"publication__agency__id__exact": low.publication.agency_id}
    assert list(client.get(reverse(SCREENS), agency).context["cl"].result_list) == [low]


def test_a_screen_is_a_read_only_report(
    client, dapa, publication, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        screen = privacy_services.screen_start(publication=publication, acting_user=None)
    client.force_login(dapa)
    page = client.get(reverse("admin:privacy_privacyscreen_change", args=[screen.pk]))
    text = page.content.decode()
    assert 'id="screen-report-columns"' in text
    assert "quasi_identifier" in text
    assert 'name="_save"' not in text
    assert client.get(reverse("admin:privacy_privacyscreen_add")).status_code == 403


def test_only_the_cdo_has_the_approve_action_and_it_is_audited(
    client, cdo, dapa, portal_admin, publication, publisher_a
):
    exception = _request(record_screen(publication, verdict="high", k=1), publisher_a)
    data = {"action": "approve", "_selected_action": [exception.pk]}
    for persona in (dapa, portal_admin):
        client.force_login(persona)
        page = client.get(reverse(EXCEPTIONS))
        assert page.status_code == 200
        assert 'value="approve"' not in page.content.decode()
        client.post(reverse(EXCEPTIONS), data)
        exception.refresh_from_db()
        assert not exception.is_approved

    client.force_login(cdo)
    assert 'value="approve"' in client.get(reverse(EXCEPTIONS)).content.decode()
    client.post(reverse(EXCEPTIONS), data)
    exception.refresh_from_db()
    assert exception.approved_by == cdo
    assert exception.history.first().history_user == cdo
    waiting = client.get(reverse(EXCEPTIONS), {"approved": "no"}).context["cl"].result_list
    assert list(waiting) == []


def test_agency_users_do_not_reach_these_admin_pages(client, publisher_a, ado_a):
    for persona in (publisher_a, ado_a):
        client.force_login(persona)
        for name in (SCREENS, EXCEPTIONS):
            assert client.get(reverse(name)).status_code in {302, 403}


def test_the_lists_take_the_same_queries_at_two_sizes(client, cdo, agency_a, publisher_a):
    def add(count: int) -> None:
        for _ in range(count):
            screen = record_screen(
                ready_publication(ocme_dataset(agency_a), publisher_a), verdict="high"
            )
            _request(screen, publisher_a)

    def queries() -> list[int]:
        counts = []
        for name in (SCREENS, EXCEPTIONS):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(reverse(name)).status_code == 200
            counts.append(len(captured))
        return counts

    client.force_login(cdo)
    add(2)
    small = queries()
    add(4)
    assert queries() == small
