"""Privacy exception notices (ADR 0019): a request reaches the CDO and waits in the pending
queue; the approval reaches the person who asked."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from privacy import services as privacy_services
from privacy.models import PrivacyException
from tests.notice_mail import check, public_base, recipients  # noqa: F401
from tests.publishing.helpers import ocme_dataset, ready_publication, record_screen

pytestmark = pytest.mark.usefixtures("public_base")


@pytest.fixture
def requested(agency_a, publisher_a, ado_a, cdo, dapa, django_capture_on_commit_callbacks):
    publication = ready_publication(ocme_dataset(agency_a), publisher_a)
    screen = record_screen(publication, verdict="high", k=1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        return privacy_services.exception_request(
            screen=screen, acting_user=publisher_a, justification="Already in OCME reports."
        )


def test_a_request_reaches_the_cdo_and_waits_in_the_pending_queue(requested):
    assert recipients(mail.outbox) == ["cdo@ct.example"]
    check(
        mail.outbox[0],
        subject="Privacy exception requested: Accidental Drug Related Deaths 2012-2018 "
        "(Department of Alpha)",
        line="Justification: Already in OCME reports.",
        path=f"/publishing/privacy/{requested.screen_id}/",
    )
    assert "Until then the publication cannot be made public." in mail.outbox[0].body
    queue = "https://ctodp.example.gov/publishing/privacy/exceptions/"
    assert f"Every exception waiting: {queue}" in mail.outbox[0].body
    assert list(PrivacyException.objects.pending()) == [requested]
    assert requested.is_pending


def test_the_approval_reaches_the_requester_and_leaves_the_queue(
    requested, cdo, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        privacy_services.exception_approve(exception=requested, acting_user=cdo)
    assert recipients(mail.outbox) == ["bob@ct.example"]
    check(
        mail.outbox[0],
        subject="Privacy exception approved: Accidental Drug Related Deaths 2012-2018",
        line="What happens next: the CDO or a portal administrator can make the publication "
        "public once its last run succeeded.",
        path=f"/publishing/{requested.publication_id}/",
    )
    assert not PrivacyException.objects.pending().exists()


def _pending_page(client, user):
    client.force_login(user)
    return client.get(reverse("privacy:exceptions_pending"))


def test_the_cdo_sees_the_pending_exceptions_and_not_the_approved(
    client, requested, cdo, django_capture_on_commit_callbacks
):
    page = _pending_page(client, cdo)
    assert list(page.context["pending"]) == [requested]
    assert f'href="/publishing/privacy/{requested.screen_id}/"' in page.content.decode()
    privacy_services.exception_approve(exception=requested, acting_user=cdo)
    assert list(_pending_page(client, cdo).context["pending"]) == []


@pytest.mark.parametrize("persona", ["ado_a", "publisher_a", "ado_b"])
def test_agency_people_do_not_see_the_queue(client, request, requested, persona):
    assert _pending_page(client, request.getfixturevalue(persona)).status_code == 403


def test_the_queue_costs_the_same_queries_for_one_or_five(
    client, requested, cdo, publisher_a, agency_a
):
    def count() -> int:
        client.force_login(cdo)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("privacy:exceptions_pending")).status_code == 200
        return len(queries)

    one = count()
    for _ in range(4):
        publication = ready_publication(ocme_dataset(agency_a), publisher_a)
        privacy_services.exception_request(
            screen=record_screen(publication, verdict="high", k=1),
            acting_user=publisher_a,
            justification="Same as the other.",
        )
    assert count() == one
