"""The access plan's workflow through /api/v1/ as its users go through it: the ADO or a publisher
starts a plan and writes its items, the ADO submits, the CDO reviews and decides, a DAPA analyst
recommends; the same forms, services, rules and e-mails as the pages."""

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from access_plans import services
from access_plans.choices import PlanStatus
from access_plans.models import AccessPlan, PlanComment, PlanItem, PlanRecommendation
from tests.factories import AgencyFactory
from tests.inventories.factories import InventoryFactory

ITEM = {
    "intent": "publish_new",
    "eval_owned": True,
    "eval_no_fee": True,
    "eval_unrestricted": True,
    "eval_update_plan": True,
    "eval_privacy_safe": True,
    "crit_goals": True,
    "crit_quality": True,
    "method": "portal_upload",
    "target_date": "2026-06-30",
    "update_frequency": "Monthly",
    "update_process": "Licensing exports the table monthly.",
}


@pytest.fixture
def api():
    return APIClient()


def _post(api, user, path: str, body: dict | None = None):
    api.force_authenticate(user)
    return api.post(f"/api/v1/{path}", body or {}, format="json")


def _act(api, user, plan, action: str, body: dict | None = None):
    return _post(api, user, f"plans/{plan.pk}/{action}/", body)


def test_the_ado_starts_a_plan_from_the_inventory(api, inventory_a, ado_a, ado_b, viewer_a):
    assert _post(api, viewer_a, "plans/", {"agency": "alpha", "year": 2026}).status_code == 403
    other = _post(api, ado_b, "plans/", {"agency": "alpha", "year": 2026})
    assert (other.status_code, other.json()) == (400, {"agency": ["Give the slug of your agency."]})

    response = _post(api, ado_a, "plans/", {"agency": "alpha", "year": 2026})
    again = _post(api, ado_a, "plans/", {"agency": "alpha", "year": 2026})

    assert response.status_code == 201, response.content
    assert (response.json()["status"], response.json()["item_count"]) == ("draft", 0)
    plan = AccessPlan.objects.get()
    assert (plan.inventory, plan.history.get().history_user) == (inventory_a, ado_a)
    assert again.json() == {"detail": "Department of Alpha already has a 2026 access plan."}


def test_a_plan_needs_an_inventory(api, agency_a, ado_a):
    response = _post(api, ado_a, "plans/", {"agency": "alpha", "year": 2026})
    assert response.status_code == 400
    assert "has no inventory to build a plan from" in response.json()["detail"]


def test_a_publisher_adds_an_item_validated_by_the_item_form(
    api, plan_a, datasets_a, publisher_a, ado_a
):
    programs = datasets_a["Licensed child care programs"]
    body = {**ITEM, "plan": plan_a.pk, "dataset": programs.pk, "owner": "alice"}

    response = _post(api, publisher_a, "plan-items/", body)

    assert response.status_code == 201, response.content
    row = response.json()
    assert (row["dataset_title"], row["priority"], row["owner"]) == (
        programs.title,
        "medium",
        "alice",
    )
    item = PlanItem.objects.get()
    assert item.history.get().history_user == publisher_a
    inspections = datasets_a["Child care inspections"]  # privacy flags: a treatment is needed
    flagged = _post(api, publisher_a, "plan-items/", {**body, "dataset": inspections.pk})
    assert flagged.status_code == 400
    assert flagged.json() == {
        "privacy_treatment": ["The dataset has privacy flags: choose a privacy treatment."]
    }
    twice = _post(api, publisher_a, "plan-items/", body)
    assert twice.status_code == 400
    assert "dataset" in twice.json()
    assert PlanItem.objects.count() == 1


def test_an_owner_must_be_a_member_and_unknown_names_read_the_same(
    api, plan_a, datasets_a, ado_a, ado_b
):
    body = {**ITEM, "plan": plan_a.pk, "dataset": datasets_a["Licensed child care programs"].pk}
    outsider = _post(api, ado_a, "plan-items/", {**body, "owner": "charlie"})
    unknown = _post(api, ado_a, "plan-items/", {**body, "owner": "nobody"})
    malformed = _post(api, ado_a, "plan-items/", {**body, "owner": "a\x00b"})
    assert outsider.status_code == unknown.status_code == 400
    assert outsider.json() == unknown.json()
    assert list(outsider.json()) == ["owner"]
    assert malformed.json() == {"owner": ["Give a username."]}
    assert not PlanItem.objects.exists()


def test_items_are_edited_and_removed_while_the_plan_is_a_draft(api, filled_plan_a, ado_a):
    item = filled_plan_a.items.get(dataset__title="Licensed child care programs")
    api.force_authenticate(ado_a)

    patched = api.patch(
        f"/api/v1/plan-items/{item.pk}/",
        {"crit_state_plan": True, "crit_stakeholders": True},
        format="json",
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["priority"] == "high"
    item.refresh_from_db()
    assert (item.method, item.crit_goals) == ("portal_upload", True)  # kept: not in the body
    put = api.put(f"/api/v1/plan-items/{item.pk}/", {**ITEM, "method": ""}, format="json")
    assert (put.status_code, put.json()) == (
        400,
        {"method": ["Choose how the dataset will be published."]},
    )
    assert api.delete(f"/api/v1/plan-items/{item.pk}/").status_code == 204
    assert not PlanItem.objects.filter(pk=item.pk).exists()


def test_another_agency_and_viewers_cannot_write_items(
    api, filled_plan_a, viewer_a, ado_b, cdo, datasets_a
):
    item = filled_plan_a.items.first()
    for user, code in ((ado_b, 404), (viewer_a, 403), (cdo, 403)):
        api.force_authenticate(user)
        assert api.patch(f"/api/v1/plan-items/{item.pk}/", {}, format="json").status_code == code
        assert api.delete(f"/api/v1/plan-items/{item.pk}/").status_code == code
    created = _post(api, ado_b, "plan-items/", {**ITEM, "plan": filled_plan_a.pk})
    assert created.json() == {"plan": ["Give the id of an access plan of your agency."]}
    assert filled_plan_a.items.count() == 3


def test_the_whole_review_through_the_api(
    api, filled_plan_a, ado_a, cdo, dapa, django_capture_on_commit_callbacks
):
    plan = filled_plan_a
    with django_capture_on_commit_callbacks(execute=True):
        submitted = _act(api, ado_a, plan, "submit")
    assert (submitted.status_code, submitted.json()["version"]) == (200, 1)
    assert [m.to for m in mail.outbox] == [["cdo@ct.example"]]
    item = plan.items.get(dataset__title="Subsidy payments")
    assert _act(api, cdo, plan, "start-review").json()["status"] == "in_review"

    recommended = _act(
        api, dapa, plan, "recommendations", {"recommendation": "request_changes", "text": "Dates?"}
    )
    assert recommended.status_code == 201, recommended.content
    assert recommended.json()["version"] == 1
    assert PlanRecommendation.objects.get().author == dapa

    mail.outbox.clear()
    body = {"comment": "Move the dates.", "item_comments": [{"item": item.pk, "text": "June?"}]}
    with django_capture_on_commit_callbacks(execute=True):
        sent_back = _act(api, cdo, plan, "request-changes", body)
    assert sent_back.json()["status"] == "changes_requested"
    assert [m.to for m in mail.outbox] == [["alice@ct.example"]]
    comments = PlanComment.objects.order_by("pk").values_list("item_title", "text")
    assert list(comments) == [("", "Move the dates."), ("Subsidy payments", "June?")]

    assert _act(api, ado_a, plan, "submit").json()["version"] == 2
    approved = _act(api, cdo, plan, "approve", {"comment": "Good."})
    assert (approved.json()["status"], approved.json()["review_comment"]) == ("approved", "Good.")
    assert _act(api, ado_a, plan, "amend").json()["status"] == "draft"


def test_each_step_belongs_to_its_role(api, filled_plan_a, ado_a, publisher_a, ado_b, cdo, dapa):
    plan = filled_plan_a
    assert _act(api, publisher_a, plan, "submit").status_code == 403
    assert _act(api, ado_b, plan, "submit").status_code == 404
    services.plan_submit(plan=plan, acting_user=ado_a)
    for user in (ado_a, publisher_a, dapa):
        assert _act(api, user, plan, "approve").status_code == 403
        assert _act(api, user, plan, "start-review").status_code == 403
    assert _act(api, cdo, plan, "recommendations", {"text": "Fine"}).status_code == 403
    assert _act(api, ado_a, plan, "recommendations", {"text": "Mine"}).status_code == 403
    plan.refresh_from_db()
    assert (plan.status, plan.recommendations.count()) == (PlanStatus.SUBMITTED, 0)


def test_a_step_in_the_wrong_state_is_refused_with_the_reason(api, filled_plan_a, ado_a, cdo, dapa):
    plan = filled_plan_a
    refusals = {
        (cdo, "approve"): "Only a submitted plan, or one in review, can be decided.",
        (cdo, "start-review"): "Only a submitted plan can be taken into review.",
        (ado_a, "amend"): "Only an approved plan can be amended.",
        (
            dapa,
            "recommendations",
        ): "Only a submitted plan, or one in review, takes recommendations.",
    }
    for (user, action), message in refusals.items():
        response = _act(api, user, plan, action, {"text": "x"})
        assert (response.status_code, response.json()) == (400, {"detail": message}), action
    services.plan_submit(plan=plan, acting_user=ado_a)
    edit = _post(api, ado_a, "plan-items/", {**ITEM, "plan": plan.pk})
    assert edit.status_code == 400
    assert "is submitted" in edit.json()["detail"]
    changes = _act(api, cdo, plan, "request-changes", {"comment": ""})
    assert changes.json() == {"comment": ["Say what the agency should change."]}
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


def test_plan_list_query_count_is_the_same_at_two_sizes(api, dapa):
    counts = []
    for size in (2, 12):
        while AccessPlan.objects.count() < size:
            inventory = InventoryFactory(agency=AgencyFactory(), year=2026)
            services.plan_start(agency=inventory.agency, year=2026, acting_user=None)
        api.force_authenticate(User.objects.get(pk=dapa.pk))  # a fresh user: no cached roles
        with CaptureQueriesContext(connection) as captured:
            assert api.get("/api/v1/plans/").status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
