"""The CDO's review in the Django admin."""

import pytest
from django.urls import reverse

from access_plans import services
from access_plans.choices import PlanStatus

CHANGELIST = "admin:access_plans_accessplan_changelist"


@pytest.fixture
def submitted_a(filled_plan_a, ado_a):
    services.plan_submit(plan=filled_plan_a, acting_user=ado_a)
    return filled_plan_a


def test_cdo_filters_plans(client, cdo, submitted_a, plan_b):
    client.force_login(cdo)
    url = reverse(CHANGELIST)
    response = client.get(url, {"status__exact": "submitted"})
    assert list(response.context["cl"].result_list) == [submitted_a]
    response = client.get(url, {"year": 2026, "agency__id__exact": plan_b.agency_id})
    assert list(response.context["cl"].result_list) == [plan_b]
    response = client.get(url, {"needs_privacy": "yes"})
    assert list(response.context["cl"].result_list) == [submitted_a]
    response = client.get(url, {"needs_privacy": "no"})
    assert list(response.context["cl"].result_list) == [plan_b]


def test_review_page_shows_items_with_evaluation_and_privacy(client, cdo, submitted_a):
    client.force_login(cdo)
    page = client.get(reverse("admin:access_plans_accessplan_change", args=[submitted_a.pk]))
    text = page.content.decode()
    assert "Aggregate: town × year" in text
    assert "Fails: Free of legal, contract or policy restrictions" in text
    assert "The vendor agreed in writing" in text


def test_request_changes_asks_for_a_comment_then_records_it(client, cdo, submitted_a):
    client.force_login(cdo)
    data = {"action": "request_changes", "_selected_action": [submitted_a.pk]}
    response = client.post(reverse(CHANGELIST), data)
    assert "Comment to the agencies" in response.content.decode()
    client.post(reverse(CHANGELIST), {**data, "apply": "1", "comment": ""})
    submitted_a.refresh_from_db()
    assert submitted_a.status == PlanStatus.SUBMITTED
    item = submitted_a.items.get(dataset__title="Child care inspections")
    assert f'name="note-{item.pk}"' in response.content.decode()
    client.post(
        reverse(CHANGELIST),
        {**data, "apply": "1", "comment": "Add the dates.", f"note-{item.pk}": "By county."},
    )
    submitted_a.refresh_from_db()
    assert submitted_a.status == PlanStatus.CHANGES_REQUESTED
    version = submitted_a.versions.get()
    assert version.comment == "Add the dates."
    assert version.comments.get(item=item).text == "By county."


def test_approve_action(client, cdo, submitted_a):
    client.force_login(cdo)
    client.post(reverse(CHANGELIST), {"action": "approve", "_selected_action": [submitted_a.pk]})
    submitted_a.refresh_from_db()
    assert submitted_a.status == PlanStatus.APPROVED
    assert submitted_a.reviewed_by == cdo


def test_approving_a_draft_is_refused(client, cdo, filled_plan_a):
    client.force_login(cdo)
    response = client.post(
        reverse(CHANGELIST),
        {"action": "approve", "_selected_action": [filled_plan_a.pk]},
        follow=True,
    )
    assert "Only a submitted plan" in response.content.decode()
    filled_plan_a.refresh_from_db()
    assert filled_plan_a.status == PlanStatus.DRAFT


def test_dapa_sees_plans_but_cannot_decide(client, dapa, submitted_a):
    client.force_login(dapa)
    assert client.get(reverse(CHANGELIST)).status_code == 200
    client.post(reverse(CHANGELIST), {"action": "approve", "_selected_action": [submitted_a.pk]})
    submitted_a.refresh_from_db()
    assert submitted_a.status == PlanStatus.SUBMITTED


def test_review_page_shows_the_changes_since_the_previous_version(client, cdo, ado_a, submitted_a):
    services.plan_request_changes(plan=submitted_a, comment="County.", acting_user=cdo)
    item = submitted_a.items.get(dataset__title="Child care inspections")
    services.item_update(item=item, data={"aggregation_level": "county × year"}, acting_user=ado_a)
    services.plan_submit(plan=submitted_a, acting_user=ado_a)
    client.force_login(cdo)
    page = client.get(reverse("admin:access_plans_accessplan_change", args=[submitted_a.pk]))
    changed = page.content.decode().split('id="diff-changed"')[1]
    assert "town × year" in changed
    assert "county × year" in changed
