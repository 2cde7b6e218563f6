"""Issue #19: privacy screens and exceptions through /api/v1/, as the pages do them: a publisher
starts a screen (202, polled at its url), asks for an exception to a high-risk verdict, the CDO
approves it; other agencies get 404, other roles 403, the wrong state 400."""

import pytest
from django.core import mail
from rest_framework.test import APIClient

from privacy.models import PrivacyException, PrivacyScreen
from publishing.models import Publication
from tests.notice_mail import public_base, recipients  # noqa: F401
from tests.publishing.helpers import ocme_dataset, ready_publication, record_screen

pytestmark = pytest.mark.usefixtures("public_base")


@pytest.fixture
def publication(agency_a, publisher_a) -> Publication:
    return ready_publication(ocme_dataset(agency_a), publisher_a)


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_a_publisher_starts_a_screen_and_polls_its_verdict(
    publication, publisher_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = _api(publisher_a).post(
            f"/api/v1/publications/{publication.pk}/privacy-screens/",
            {"threshold": 5},
            format="json",
        )
    assert answer.status_code == 202, answer.json()
    screen = PrivacyScreen.objects.get(publication=publication)
    assert answer.json()["url"].endswith(f"/api/v1/privacy-screens/{screen.pk}/")
    assert screen.requested_by == publisher_a
    polled = _api(publisher_a).get(answer.json()["url"])
    assert polled.status_code == 200
    body = polled.json()
    assert body["status"] == "succeeded"
    assert body["verdict"] == screen.verdict == "high"
    assert body["k"] == screen.k
    assert body["is_current"] is True
    assert body["report"]["rows"] == screen.rows_read > 0


def test_a_screen_under_way_refuses_a_second_with_a_clear_message(publication, publisher_a):
    PrivacyScreen.objects.create(publication=publication, status="queued")
    answer = _api(publisher_a).post(
        f"/api/v1/publications/{publication.pk}/privacy-screens/", {}, format="json"
    )
    assert answer.status_code == 400
    assert "already under way" in answer.json()["non_field_errors"][0]
    assert PrivacyScreen.objects.count() == 1


def test_a_bad_threshold_is_named(publication, publisher_a):
    answer = _api(publisher_a).post(
        f"/api/v1/publications/{publication.pk}/privacy-screens/", {"threshold": 0}, format="json"
    )
    assert answer.status_code == 400
    assert "threshold" in answer.json()
    assert not PrivacyScreen.objects.exists()


@pytest.mark.parametrize(("persona", "code"), [("ado_b", 404), ("viewer_a", 403), ("dapa", 403)])
def test_only_the_agencys_publishers_start_a_screen(request, publication, persona, code):
    user = request.getfixturevalue(persona)
    answer = _api(user).post(
        f"/api/v1/publications/{publication.pk}/privacy-screens/", {}, format="json"
    )
    assert answer.status_code == code
    assert not PrivacyScreen.objects.exists()


def test_another_agency_does_not_see_a_screen(publication, ado_b, dapa):
    screen = record_screen(publication, verdict="high", k=1)
    assert _api(ado_b).get(f"/api/v1/privacy-screens/{screen.pk}/").status_code == 404
    assert _api(dapa).get(f"/api/v1/privacy-screens/{screen.pk}/").status_code == 200


def test_exception_requested_by_the_publisher_and_approved_by_the_cdo(
    publication, publisher_a, cdo, django_capture_on_commit_callbacks
):
    screen = record_screen(publication, verdict="high", k=1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        asked = _api(publisher_a).post(
            f"/api/v1/privacy-screens/{screen.pk}/exception/",
            {"justification": "Already in OCME reports."},
            format="json",
        )
    assert asked.status_code == 201, asked.json()
    assert asked.json()["approved_at"] is None
    assert recipients(mail.outbox) == ["cdo@ct.example"]
    exception = PrivacyException.objects.get()
    assert exception.justification == "Already in OCME reports."
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        approved = _api(cdo).post(f"/api/v1/privacy-exceptions/{exception.pk}/approve/")
    assert approved.status_code == 200, approved.json()
    assert approved.json()["approved_by"] == "cdo"
    assert recipients(mail.outbox) == ["bob@ct.example"]
    exception.refresh_from_db()
    assert exception.approved_by == cdo


def test_a_second_approval_is_refused(publication, publisher_a, cdo):
    screen = record_screen(publication, verdict="high", k=1)
    exception = PrivacyException.objects.create(
        publication=publication, screen=screen, justification="x", requested_by=publisher_a
    )
    assert _api(cdo).post(f"/api/v1/privacy-exceptions/{exception.pk}/approve/").status_code == 200
    again = _api(cdo).post(f"/api/v1/privacy-exceptions/{exception.pk}/approve/")
    assert again.status_code == 400
    assert "already approved" in again.json()["non_field_errors"][0]


def test_a_low_risk_screen_needs_no_exception(publication, publisher_a):
    screen = record_screen(publication, verdict="low")
    answer = _api(publisher_a).post(
        f"/api/v1/privacy-screens/{screen.pk}/exception/", {"justification": "x"}, format="json"
    )
    assert answer.status_code == 400
    assert "Only a high-risk screen" in answer.json()["non_field_errors"][0]
    assert not PrivacyException.objects.exists()


def test_an_empty_justification_is_named(publication, publisher_a):
    screen = record_screen(publication, verdict="high", k=1)
    answer = _api(publisher_a).post(
        f"/api/v1/privacy-screens/{screen.pk}/exception/", {"justification": ""}, format="json"
    )
    assert answer.status_code == 400
    assert "justification" in answer.json()


@pytest.mark.parametrize(("persona", "code"), [("ado_b", 404), ("viewer_a", 403)])
def test_others_do_not_request_an_exception(request, publication, persona, code):
    screen = record_screen(publication, verdict="high", k=1)
    user = request.getfixturevalue(persona)
    answer = _api(user).post(
        f"/api/v1/privacy-screens/{screen.pk}/exception/", {"justification": "x"}, format="json"
    )
    assert answer.status_code == code
    assert not PrivacyException.objects.exists()


@pytest.mark.parametrize(("persona", "code"), [("ado_b", 404), ("publisher_a", 403), ("dapa", 403)])
def test_only_the_cdo_approves(request, publication, publisher_a, persona, code):
    screen = record_screen(publication, verdict="high", k=1)
    exception = PrivacyException.objects.create(
        publication=publication, screen=screen, justification="x", requested_by=publisher_a
    )
    user = request.getfixturevalue(persona)
    answer = _api(user).post(f"/api/v1/privacy-exceptions/{exception.pk}/approve/")
    assert answer.status_code == code
    exception.refresh_from_db()
    assert exception.approved_at is None
