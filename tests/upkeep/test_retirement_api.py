"""Issue #19: retirement through /api/v1/, as the publication page does it: start (201, the
notices recorded for the ADO and the CDO, the portal step queued), read, cancel; a second start
and a cancel too late are refused with the page's words; other agencies 404, viewers 403."""

import pytest
from rest_framework.test import APIClient

from agencies.models import Notice
from tests.upkeep.test_retirement_pages import FORM, retired
from upkeep.models import Retirement, RetirementStatus

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_the_publisher_starts_and_cancels_a_retirement(
    public, publisher_a, ado_a, cdo, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        answer = _api(publisher_a).post(
            f"/api/v1/publications/{public.pk}/retirement/", FORM, format="json"
        )
    assert answer.status_code == 201, answer.json()
    assert len(callbacks) == 2  # the e-mail notices and the portal notice task, as the page
    retirement = Retirement.objects.get()
    body = answer.json()
    assert body["url"].endswith(f"/api/v1/retirements/{retirement.pk}/")
    assert (body["status"], body["criterion"], body["started_by"]) == (
        "requested",
        "outdated",
        "bob",
    )
    assert retirement.superseded_by == "abcd-2024"
    told = Notice.objects.filter(kind="retirement_started").values_list("recipient", flat=True)
    assert {publisher_a.pk, ado_a.pk, cdo.pk} == set(told)
    assert _api(ado_a).get(body["url"]).json()["reason"] == "Superseded by the yearly files."

    with django_capture_on_commit_callbacks(execute=False):
        cancelled = _api(publisher_a).post(f"/api/v1/retirements/{retirement.pk}/cancel/")
    assert cancelled.status_code == 200, cancelled.json()
    assert cancelled.json()["status"] == "cancelling"
    assert cancelled.json()["cancelled_by"] == "bob"
    retirement.refresh_from_db()
    assert retirement.status == RetirementStatus.CANCELLING


def test_bad_fields_are_named_and_nothing_is_written(public, ado_a):
    answer = _api(ado_a).post(
        f"/api/v1/publications/{public.pk}/retirement/",
        {**FORM, "criterion": "bored", "superseded_by": "nope"},
        format="json",
    )
    assert answer.status_code == 400
    assert "criterion" in answer.json()
    answer = _api(ado_a).post(
        f"/api/v1/publications/{public.pk}/retirement/",
        {**FORM, "superseded_by": "nope"},
        format="json",
    )
    assert answer.status_code == 400
    assert "portal id (abcd-1234) or its URL" in answer.json()["superseded_by"][0]
    assert not Retirement.objects.exists()


def test_a_second_start_is_refused(public, ado_a):
    retired(public, ado_a, status=RetirementStatus.NOTICE_POSTED, made_private_at=None)
    answer = _api(ado_a).post(f"/api/v1/publications/{public.pk}/retirement/", FORM, format="json")
    assert answer.status_code == 400
    assert "already being retired" in answer.json()["non_field_errors"][0]
    assert Retirement.objects.count() == 1


def test_a_retired_asset_cannot_be_cancelled(public, ado_a):
    retirement = retired(public, ado_a)
    answer = _api(ado_a).post(f"/api/v1/retirements/{retirement.pk}/cancel/")
    assert answer.status_code == 400
    assert "not yet private" in answer.json()["non_field_errors"][0]
    retirement.refresh_from_db()
    assert retirement.status == RetirementStatus.RETIRED


@pytest.mark.parametrize(("persona", "code"), [("ado_b", 404), ("viewer_a", 403), ("dapa", 403)])
def test_others_neither_start_nor_cancel(request, public, ado_a, persona, code):
    user = request.getfixturevalue(persona)
    started = _api(user).post(f"/api/v1/publications/{public.pk}/retirement/", FORM, format="json")
    assert started.status_code == code
    retirement = retired(public, ado_a, status=RetirementStatus.NOTICE_POSTED, made_private_at=None)
    assert _api(user).post(f"/api/v1/retirements/{retirement.pk}/cancel/").status_code == code
    retirement.refresh_from_db()
    assert retirement.cancelled_at is None


def test_another_agency_does_not_read_it_and_staff_do(public, ado_a, ado_b, dapa):
    retirement = retired(public, ado_a)
    assert _api(ado_b).get(f"/api/v1/retirements/{retirement.pk}/").status_code == 404
    assert _api(dapa).get(f"/api/v1/retirements/{retirement.pk}/").status_code == 200
