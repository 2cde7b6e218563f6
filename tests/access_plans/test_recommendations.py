"""DAPA takes part in plan review (issue #16): comments and a recommendation the CDO reads on
the review page; the decision stays the CDO's."""

import pytest
from django.urls import reverse

from access_plans import services
from access_plans.choices import PlanStatus
from access_plans.models import PlanRecommendation

REVIEW = reverse("access_plans:review", args=["alpha", 2026])
RECOMMEND = reverse("access_plans:recommend", args=["alpha", 2026])


@pytest.fixture
def submitted_a(filled_plan_a, ado_a):
    services.plan_submit(plan=filled_plan_a, acting_user=ado_a)
    return filled_plan_a


def _recommend(client, recommendation: str = "request_changes", text: str = "Dates missing."):
    return client.post(RECOMMEND, {"dapa-recommendation": recommendation, "dapa-text": text})


def test_dapa_cannot_record_a_decision(client, dapa, submitted_a):
    client.force_login(dapa)
    response = client.post(REVIEW, {"decision": "approve", "comment": ""})
    assert response.status_code == 403
    submitted_a.refresh_from_db()
    assert submitted_a.status == PlanStatus.SUBMITTED
    start = reverse("access_plans:start_review", args=["alpha", 2026])
    assert client.post(start).status_code == 403


def test_dapa_comments_and_recommends_and_reads_it_back(client, dapa, submitted_a):
    client.force_login(dapa)
    page = client.get(REVIEW).content.decode()
    assert 'id="recommend-form"' in page
    assert 'id="decision-form"' not in page  # nothing to decide with
    response = _recommend(client)
    assert response.status_code == 302
    note = PlanRecommendation.objects.get()
    assert (note.plan, note.version.number, note.author) == (submitted_a, 1, dapa)
    assert (note.recommendation, note.text) == ("request_changes", "Dates missing.")
    section = client.get(REVIEW).content.decode().split('id="recommendations"')[1]
    assert "Recommends: Request changes" in section
    assert "Dates missing." in section


def test_a_comment_without_a_recommendation_is_kept(client, dapa, submitted_a):
    client.force_login(dapa)
    _recommend(client, recommendation="", text="Ask about the vendor letter.")
    assert PlanRecommendation.objects.get().recommendation == ""


def test_the_cdo_reads_dapas_recommendation_and_decides(client, cdo, dapa, submitted_a):
    client.force_login(dapa)
    _recommend(client, recommendation="approve", text="All five conditions hold.")
    client.force_login(cdo)
    page = client.get(REVIEW).content.decode()
    section = page.split('id="recommendations"')[1].split("</section>")[0]
    assert "Recommends: Approve" in section
    assert "All five conditions hold." in section
    assert 'id="recommend-form"' not in page  # the CDO decides instead
    client.post(REVIEW, {"decision": "approve", "comment": ""})
    submitted_a.refresh_from_db()
    assert (submitted_a.status, submitted_a.reviewed_by) == (PlanStatus.APPROVED, cdo)
    admin_page = client.get(
        reverse("admin:access_plans_accessplan_change", args=[submitted_a.pk])
    ).content.decode()
    assert "All five conditions hold." in admin_page


@pytest.mark.parametrize(
    ("persona", "expected"),
    {"ado_a": 403, "publisher_a": 403, "ado_b": 404, "cdo": 403, "portal_admin": 403}.items(),
)
def test_only_dapa_recommends(client, request, submitted_a, persona, expected):
    client.force_login(request.getfixturevalue(persona))
    assert _recommend(client).status_code == expected
    assert not PlanRecommendation.objects.exists()


def test_a_recommendation_needs_a_comment_and_a_known_choice(client, dapa, submitted_a):
    client.force_login(dapa)
    response = _recommend(client, text="  ")
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    response = _recommend(client, recommendation="reject")
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not PlanRecommendation.objects.exists()


def test_a_draft_or_decided_plan_takes_no_recommendation(client, cdo, dapa, submitted_a):
    services.plan_approve(plan=submitted_a, acting_user=cdo)
    client.force_login(dapa)
    response = _recommend(client)
    assert response.status_code == 200
    assert "Only a submitted plan, or one in review, takes recommendations." in (
        response.content.decode()
    )
    assert not PlanRecommendation.objects.exists()


def test_the_review_shows_only_the_current_versions_recommendations(
    client, cdo, dapa, ado_a, submitted_a
):
    client.force_login(dapa)
    _recommend(client, text="On version one.")
    services.plan_request_changes(plan=submitted_a, comment="Dates.", acting_user=cdo)
    services.plan_submit(plan=submitted_a, acting_user=ado_a)
    page = client.get(REVIEW).content.decode()
    section = page.split('id="recommendations"')[1].split("</section>")[0]
    assert "On version one." not in section
    assert "None yet." in section


def test_the_agency_does_not_see_dapas_notes(client, dapa, ado_a, submitted_a):
    client.force_login(dapa)
    _recommend(client, text="Internal remark for the CDO.")
    client.force_login(ado_a)
    page = client.get(reverse("access_plans:detail", args=["alpha", 2026])).content.decode()
    assert "Internal remark for the CDO." not in page


def test_the_plan_page_leads_dapa_to_the_review(client, dapa, submitted_a):
    client.force_login(dapa)
    page = client.get(reverse("access_plans:detail", args=["alpha", 2026])).content.decode()
    assert f'href="{REVIEW}"' in page
