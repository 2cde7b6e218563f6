"""The plan pages: building from the inventory, submitting, the in-app review, versions."""

from django.urls import reverse

from access_plans import services
from access_plans.choices import PlanStatus


def _form(dataset, **overrides) -> dict:
    data = {
        "dataset": dataset.pk,
        "intent": "publish_new",
        "eval_owned": "on",
        "eval_no_fee": "on",
        "eval_unrestricted": "on",
        "eval_update_plan": "on",
        "eval_privacy_safe": "on",
        "crit_goals": "on",
        "method": "portal_upload",
        "target_date": "2026-06-30",
        "update_frequency": "Monthly",
        "update_process": "Licensing exports monthly.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_ado_starts_a_plan_from_the_inventory(client, ado_a, inventory_a):
    client.force_login(ado_a)
    response = client.post(reverse("access_plans:start", args=["alpha"]), {"year": 2026})
    assert response.status_code == 302
    plan = inventory_a.access_plans.get()
    assert response.url == plan.get_absolute_url()
    page = client.get(response.url)
    assert "Built from the 2026 inventory" in page.content.decode()


def test_item_form_shows_the_rules_errors(client, ado_a, plan_a, datasets_a):
    client.force_login(ado_a)
    url = reverse("access_plans:item_create", args=["alpha", 2026])
    flagged = datasets_a["Child care inspections"]
    response = client.post(url, _form(flagged, eval_no_fee=None))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "privacy_treatment" in errors
    assert "evaluation_justification" in errors
    assert not plan_a.items.exists()
    response = client.post(
        url,
        _form(
            flagged,
            eval_no_fee=None,
            evaluation_justification="The fee is waived for open data.",
            privacy_treatment="aggregate",
            aggregation_level="town × year",
        ),
    )
    assert response.status_code == 302
    item = plan_a.items.get()
    assert item.aggregation_level == "town × year"
    assert item.history.get().history_user == ado_a


def test_item_form_offers_only_datasets_not_yet_planned(client, ado_a, filled_plan_a, inventory_a):
    client.force_login(ado_a)
    response = client.get(reverse("access_plans:item_create", args=["alpha", 2026]))
    assert list(response.context["start"].fields["dataset"].queryset) == []
    assert "already has a plan item" in response.content.decode()


def test_submit_review_and_resubmit_in_the_app(client, ado_a, cdo, filled_plan_a):
    client.force_login(ado_a)
    client.post(reverse("access_plans:submit", args=["alpha", 2026]))
    filled_plan_a.refresh_from_db()
    assert filled_plan_a.status == PlanStatus.SUBMITTED

    client.force_login(cdo)
    item = filled_plan_a.items.get(dataset__title="Child care inspections")
    response = client.post(
        reverse("access_plans:review", args=["alpha", 2026]),
        {"decision": "request_changes", "comment": "Use counties.", f"note-{item.pk}": "Too fine."},
    )
    assert response.status_code == 302
    filled_plan_a.refresh_from_db()
    assert filled_plan_a.status == PlanStatus.CHANGES_REQUESTED

    client.force_login(ado_a)
    page = client.get(filled_plan_a.get_absolute_url()).content.decode()
    assert "Use counties." in page
    assert "Too fine." in page
    services.item_update(item=item, data={"aggregation_level": "county"}, acting_user=ado_a)
    client.post(reverse("access_plans:submit", args=["alpha", 2026]))
    page = client.get(reverse("access_plans:version", args=["alpha", 2026, 2])).content.decode()
    assert "town × year" in page
    assert "county" in page

    client.force_login(cdo)
    review = client.get(reverse("access_plans:review", args=["alpha", 2026]))
    assert review.context["diff"].changed[0][0] == "Child care inspections"
    client.post(reverse("access_plans:review", args=["alpha", 2026]), {"decision": "approve"})
    filled_plan_a.refresh_from_db()
    assert filled_plan_a.status == PlanStatus.APPROVED


def test_approved_plan_offers_amendment_not_editing(client, ado_a, cdo, filled_plan_a):
    services.plan_submit(plan=filled_plan_a, acting_user=ado_a)
    services.plan_approve(plan=filled_plan_a, acting_user=cdo)
    client.force_login(ado_a)
    response = client.get(filled_plan_a.get_absolute_url())
    assert response.context["may_edit"] is False
    assert response.context["may_amend"] is True
    edit = client.get(reverse("access_plans:item_create", args=["alpha", 2026]))
    assert edit.status_code == 302
    client.post(reverse("access_plans:amend", args=["alpha", 2026]))
    filled_plan_a.refresh_from_db()
    assert filled_plan_a.status == PlanStatus.DRAFT


def test_start_review_marks_the_plan_in_review(client, ado_a, cdo, filled_plan_a):
    services.plan_submit(plan=filled_plan_a, acting_user=ado_a)
    client.force_login(cdo)
    client.post(reverse("access_plans:start_review", args=["alpha", 2026]))
    filled_plan_a.refresh_from_db()
    assert filled_plan_a.status == PlanStatus.IN_REVIEW


def test_item_page_shows_who_changed_which_fields(client, ado_a, publisher_a, filled_plan_a):
    item = filled_plan_a.items.get(dataset__title="Child care inspections")
    services.item_update(item=item, data={"aggregation_level": "county"}, acting_user=publisher_a)
    client.force_login(ado_a)
    url = reverse("access_plans:item", args=["alpha", 2026, item.pk])
    history = client.get(url).content.decode().split('id="item-history"')[1]
    assert "bob: Edited (aggregation level)" in history
    assert "alice: Added to the plan" in history


def test_navigation_links_access_plans_for_agency_users_and_staff(client, ado_a, dapa, outsider):
    for user, shown in [(ado_a, True), (dapa, True), (outsider, False)]:
        client.force_login(user)
        labels = [item["label"] for item in client.get("/").context["nav_items"]]
        assert ("Access plans" in labels) is shown
