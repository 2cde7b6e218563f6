"""Draft → submitted → in review → changes requested → resubmitted → approved, with versions."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from access_plans import selectors, services
from access_plans.choices import Decision, PlanStatus, Priority
from access_plans.models import PlanComment


@pytest.fixture
def submitted(filled_plan_a, ado_a, cdo, dapa, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_submit(plan=filled_plan_a, acting_user=ado_a)
    filled_plan_a.refresh_from_db()
    return filled_plan_a


def test_submission_records_version_one_and_tells_only_the_cdo(submitted, cdo):
    assert submitted.status == PlanStatus.SUBMITTED
    version = submitted.versions.get()
    assert version.number == 1
    assert set(version.snapshot["items"]) == {
        str(item.dataset.uid) for item in submitted.items.all()
    }
    assert [m.to for m in mail.outbox] == [[cdo.email]]
    assert "version 1" in mail.outbox[0].subject


def test_a_submitted_plan_is_read_only(submitted, ado_a):
    item = submitted.items.first()
    with pytest.raises(ValidationError, match="submitted"):
        services.item_update(item=item, data={"update_process": "x"}, acting_user=ado_a)


def test_an_empty_plan_cannot_be_submitted(plan_a, ado_a):
    with pytest.raises(ValidationError, match="no items"):
        services.plan_submit(plan=plan_a, acting_user=ado_a)


def test_request_changes_keeps_comments_with_the_version_and_tells_the_ado(
    submitted, cdo, ado_a, django_capture_on_commit_callbacks
):
    item = submitted.items.get(dataset__title="Child care inspections")
    services.plan_start_review(plan=submitted, acting_user=cdo)
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_request_changes(
            plan=submitted,
            comment="Aggregate by county instead.",
            item_comments={item.pk: "Towns under 1,000 people identify children."},
            acting_user=cdo,
        )
    submitted.refresh_from_db()
    assert submitted.status == PlanStatus.CHANGES_REQUESTED
    version = submitted.versions.get(number=1)
    assert version.decision == Decision.CHANGES_REQUESTED
    assert version.decided_by == cdo
    texts = {(c.item_title, c.text) for c in version.comments.all()}
    assert texts == {
        ("", "Aggregate by county instead."),
        ("Child care inspections", "Towns under 1,000 people identify children."),
    }
    assert mail.outbox[-1].to == [ado_a.email]
    assert "changes requested" in mail.outbox[-1].subject


def test_request_changes_needs_a_comment(submitted, cdo):
    with pytest.raises(ValidationError):
        services.plan_request_changes(plan=submitted, comment=" ", acting_user=cdo)


def test_resubmission_is_version_two_and_the_diff_shows_what_changed(submitted, cdo, ado_a):
    services.plan_request_changes(plan=submitted, comment="County level.", acting_user=cdo)
    item = submitted.items.get(dataset__title="Child care inspections")
    services.item_update(
        item=item,
        data={
            "aggregation_level": "county × year",
            "crit_stakeholders": True,
            "crit_goals": True,
            "crit_quality": True,
            "crit_state_plan": True,
        },
        acting_user=ado_a,
    )
    services.item_delete(
        item=submitted.items.get(dataset__title="Licensed child care programs"), acting_user=ado_a
    )
    version = services.plan_submit(plan=submitted, acting_user=ado_a)
    assert version.number == 2
    diff = selectors.version_diff(version)
    assert diff.removed == ["Licensed child care programs"]
    assert diff.added == []
    assert diff.unchanged == 1
    [(title, changes)] = diff.changed
    assert title == "Child care inspections"
    by_label = {c.label: (c.old, c.new) for c in changes}
    assert by_label["aggregation level"] == ("town × year", "county × year")
    assert by_label["priority"] == (Priority.MEDIUM.label, Priority.HIGH.label)


def test_approved_plan_is_read_only_until_amended(submitted, cdo, ado_a):
    services.plan_approve(plan=submitted, comment="Good plan.", acting_user=cdo)
    submitted.refresh_from_db()
    assert submitted.status == PlanStatus.APPROVED
    assert submitted.versions.get().decision == Decision.APPROVED
    item = submitted.items.first()
    with pytest.raises(ValidationError, match="amend"):
        services.item_update(item=item, data={"update_process": "x"}, acting_user=ado_a)
    services.plan_amend(plan=submitted, acting_user=ado_a)
    services.item_update(item=item, data={"update_process": "Weekly now."}, acting_user=ado_a)
    assert services.plan_submit(plan=submitted, acting_user=ado_a).number == 2
    assert submitted.versions.count() == 2


def test_drafts_cannot_be_decided(filled_plan_a, cdo):
    with pytest.raises(ValidationError):
        services.plan_approve(plan=filled_plan_a, acting_user=cdo)
    assert not PlanComment.objects.exists()


def test_history_records_who_changed_items_and_plans(submitted, ado_a, cdo):
    services.plan_approve(plan=submitted, acting_user=cdo)
    plan_history = submitted.history.order_by("history_date")
    assert [(h.history_user, h.history_change_reason) for h in plan_history] == [
        (ado_a, "Started"),
        (ado_a, "Submitted version 1"),
        (cdo, "Approved"),
    ]
    item = submitted.items.first()
    assert item.history.get().history_user == ado_a


def test_plan_needs_an_inventory(agency_b, ado_b):
    with pytest.raises(ValidationError, match="no inventory"):
        services.plan_start(agency=agency_b, year=2026, acting_user=ado_b)


def test_plan_uses_the_latest_inventory_when_the_year_has_none(inventory_a, ado_a):
    plan = services.plan_start(agency=inventory_a.agency, year=2027, acting_user=ado_a)
    assert plan.inventory == inventory_a
