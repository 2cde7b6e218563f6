"""Writes on access plans: building from the inventory, items, submission and the CDO's review.
Views, the admin, the API and seed_demo all call these."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from access_plans import notifications
from access_plans.choices import Decision, PlanStatus, Recommendation
from access_plans.models import (
    AccessPlan,
    PlanComment,
    PlanItem,
    PlanRecommendation,
    PlanVersion,
)
from access_plans.snapshots import plan_snapshot
from agencies.models import Agency
from inventories.models import Dataset, Inventory


def _audited(obj, acting_user: User | None, reason: str = "") -> None:
    obj._history_user = acting_user
    obj._change_reason = reason[:100] or None


def require_editable(plan: AccessPlan) -> AccessPlan:
    """Lock the plan row and check, from the database, that the agency may change it."""
    plan = AccessPlan.objects.select_for_update().get(pk=plan.pk)
    if not plan.is_editable:
        raise ValidationError(
            f"The {plan.year} access plan is {plan.get_status_display().lower()}: "
            + (
                "amend it to start a new version."
                if plan.status == PlanStatus.APPROVED
                else "it can be changed again only if the reviewer requests changes."
            )
        )
    return plan


def source_inventory(agency: Agency, year: int) -> Inventory | None:
    """The plan year's inventory if there is one, else the agency's latest (ADR 0003)."""
    inventories = Inventory.objects.filter(agency=agency)
    return inventories.filter(year=year).first() or inventories.order_by("-year").first()


@transaction.atomic
def plan_start(*, agency: Agency, year: int, acting_user: User | None) -> AccessPlan:
    if AccessPlan.objects.filter(agency=agency, year=year).exists():
        raise ValidationError(f"{agency} already has a {year} access plan.")
    inventory = source_inventory(agency, year)
    if inventory is None:
        raise ValidationError(f"{agency} has no inventory to build a plan from; start one first.")
    plan = AccessPlan(agency=agency, year=year, inventory=inventory)
    _audited(plan, acting_user, "Started")
    plan.save()
    return plan


def _apply(item: PlanItem, data: Mapping[str, Any]) -> None:
    for name, value in data.items():
        setattr(item, name, value)
    item.full_clean(exclude=["plan", "dataset", "priority"])
    item.priority = item.effective_priority()


def _check_owner(plan: AccessPlan, owner: User | None) -> None:
    if owner is not None and not owner.memberships.current().filter(agency=plan.agency).exists():
        raise ValidationError({"owner": "The owner must be a current member of the agency."})


@transaction.atomic
def item_create(
    *, plan: AccessPlan, dataset: Dataset, data: Mapping[str, Any], acting_user: User | None
) -> PlanItem:
    plan = require_editable(plan)
    if dataset.inventory_id != plan.inventory_id:
        raise ValidationError({"dataset": "Choose a dataset of the plan's inventory."})
    if plan.items.filter(dataset=dataset).exists():
        raise ValidationError({"dataset": f"The plan already has an item for {dataset}."})
    _check_owner(plan, data.get("owner"))
    item = PlanItem(plan=plan, dataset=dataset)
    _apply(item, data)
    _audited(item, acting_user, "Added to the plan")
    item.save()
    return item


@transaction.atomic
def item_update(*, item: PlanItem, data: Mapping[str, Any], acting_user: User | None) -> PlanItem:
    require_editable(item.plan)
    _check_owner(item.plan, data.get("owner", item.owner))
    _apply(item, data)
    _audited(item, acting_user, "Edited")
    item.save()
    return item


@transaction.atomic
def item_delete(*, item: PlanItem, acting_user: User | None) -> None:
    require_editable(item.plan)
    _audited(item, acting_user, "Removed from the plan")
    item.delete()


def plan_items(plan: AccessPlan) -> list[PlanItem]:
    return list(plan.items.select_related("dataset", "owner").order_by("dataset__title"))


@transaction.atomic
def plan_submit(*, plan: AccessPlan, acting_user: User) -> PlanVersion:
    """Record the next numbered version (a snapshot) and send the plan to the CDO."""
    plan = require_editable(plan)
    items = plan_items(plan)
    if not items:
        raise ValidationError("A plan with no items cannot be submitted.")
    for item in items:
        try:
            item.full_clean(exclude=["plan", "dataset", "priority"])
        except ValidationError as error:
            raise ValidationError(f"“{item.dataset.title}”: {' '.join(error.messages)}") from error
    plan.version += 1
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_by, plan.submitted_at = acting_user, timezone.now()
    _audited(plan, acting_user, f"Submitted version {plan.version}")
    plan.save()
    version = PlanVersion.objects.create(
        plan=plan,
        number=plan.version,
        snapshot=plan_snapshot(plan, items),
        submitted_by=acting_user,
        submitted_at=plan.submitted_at,
    )
    notifications.notify_submitted(plan)
    return version


def _lock_for_review(plan: AccessPlan) -> AccessPlan:
    plan = AccessPlan.objects.select_for_update().select_related("agency").get(pk=plan.pk)
    if not plan.is_reviewable:
        raise ValidationError("Only a submitted plan, or one in review, can be decided.")
    return plan


@transaction.atomic
def plan_start_review(*, plan: AccessPlan, acting_user: User) -> AccessPlan:
    plan = AccessPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.SUBMITTED:
        raise ValidationError("Only a submitted plan can be taken into review.")
    plan.status = PlanStatus.IN_REVIEW
    _audited(plan, acting_user, "In review")
    plan.save()
    return plan


def _decide(plan: AccessPlan, decision: str, comment: str, acting_user: User) -> PlanVersion:
    plan.status = PlanStatus(decision)
    plan.reviewed_by, plan.reviewed_at = acting_user, timezone.now()
    plan.review_comment = comment.strip()
    _audited(plan, acting_user, plan.get_status_display())
    plan.save()
    version = plan.versions.get(number=plan.version)
    version.decision, version.comment = decision, comment.strip()
    version.decided_by, version.decided_at = acting_user, plan.reviewed_at
    version.save()
    notifications.notify_decision(plan)
    return version


@transaction.atomic
def plan_approve(*, plan: AccessPlan, comment: str = "", acting_user: User) -> AccessPlan:
    plan = _lock_for_review(plan)
    version = _decide(plan, Decision.APPROVED, comment, acting_user)
    if comment.strip():
        PlanComment.objects.create(
            plan=plan, version=version, author=acting_user, text=comment.strip()
        )
    return plan


@transaction.atomic
def plan_request_changes(
    *,
    plan: AccessPlan,
    comment: str,
    item_comments: Mapping[int, str] | None = None,
    acting_user: User,
) -> AccessPlan:
    """Send the plan back with a comment on it and optional comments on single items."""
    plan = _lock_for_review(plan)
    notes = {pk: text.strip() for pk, text in (item_comments or {}).items() if text.strip()}
    if not comment.strip():
        raise ValidationError({"comment": "Say what the agency should change."})
    items = {i.pk: i for i in plan.items.select_related("dataset").filter(pk__in=list(notes))}
    if set(notes) - set(items):
        raise ValidationError("A comment names an item that is not in this plan.")
    version = _decide(plan, Decision.CHANGES_REQUESTED, comment, acting_user)
    comments = [PlanComment(plan=plan, version=version, author=acting_user, text=comment.strip())]
    comments += [
        PlanComment(
            plan=plan,
            version=version,
            item=items[pk],
            item_title=items[pk].dataset.title,
            author=acting_user,
            text=text,
        )
        for pk, text in notes.items()
    ]
    PlanComment.objects.bulk_create(comments)
    return plan


@transaction.atomic
def plan_recommend(
    *, plan: AccessPlan, recommendation: str, text: str, acting_user: User
) -> PlanRecommendation:
    """A DAPA analyst's comment on the version under review, with an optional recommendation
    (approve or request changes) for the CDO, who alone decides (issue #16)."""
    if not acting_user.has_perm("access_plans.recommend_plan", plan):
        raise PermissionDenied
    plan = AccessPlan.objects.select_for_update().get(pk=plan.pk)
    if not plan.is_reviewable:
        raise ValidationError("Only a submitted plan, or one in review, takes recommendations.")
    if recommendation and recommendation not in Recommendation.values:
        raise ValidationError({"recommendation": "Choose approve or request changes."})
    if not text.strip():
        raise ValidationError({"text": "Write the comment the CDO will read."})
    recommended = PlanRecommendation.objects.create(
        plan=plan,
        version=plan.versions.get(number=plan.version),
        author=acting_user,
        recommendation=recommendation,
        text=text.strip(),
    )
    notifications.notify_recommended(recommended)
    return recommended


@transaction.atomic
def plan_amend(*, plan: AccessPlan, acting_user: User) -> AccessPlan:
    """Reopen an approved plan as a draft; its next submission is a new version."""
    plan = AccessPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.APPROVED:
        raise ValidationError("Only an approved plan can be amended.")
    plan.status = PlanStatus.DRAFT
    _audited(plan, acting_user, "Amendment started")
    plan.save()
    return plan
