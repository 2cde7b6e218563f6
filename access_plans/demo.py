"""Demo access plans for `seed_demo`: a plan in every state for the demo agencies."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import User

from access_plans import services
from access_plans.choices import Intent, Method, PrivacyTreatment
from access_plans.models import AccessPlan
from agencies.models import Agency
from inventories.choices import AccessLevel, Availability
from inventories.models import Dataset

CONDITIONS = ["eval_owned", "eval_no_fee", "eval_unrestricted", "eval_update_plan"]


def _intent(dataset: Dataset) -> dict[str, Any]:
    if dataset.access_level == AccessLevel.NON_PUBLIC:
        return {"intent": Intent.NOT_PUBLISHABLE, "not_publishable_reason": dataset.access_reason}
    if dataset.availability == Availability.AGENCY_WEBSITE:
        return {"intent": Intent.REGISTER_EXTERNAL, "method": Method.EXTERNAL_LINK}
    if dataset.availability == Availability.PORTAL:
        return {"intent": Intent.MAINTAIN, "method": Method.AUTOMATED_REFRESH}
    return {"intent": Intent.PUBLISH_NEW, "method": Method.PORTAL_UPLOAD}


def _privacy(dataset: Dataset) -> dict[str, Any]:
    if not dataset.has_privacy_flags:
        return {"eval_privacy_safe": True}
    return {
        "eval_privacy_safe": True,
        "privacy_treatment": PrivacyTreatment.AGGREGATE,
        "aggregation_level": "town × year",
    }


def item_data(dataset: Dataset, year: int, owner: User) -> dict[str, Any]:
    data = dict.fromkeys(CONDITIONS, True)
    data.update(crit_goals=True, crit_stakeholders=dataset.criterion_f, crit_quality=True)
    data.update(_intent(dataset), **_privacy(dataset))
    if dataset.access_level == AccessLevel.RESTRICTED:
        data.update(
            eval_unrestricted=False,
            evaluation_justification="Publish totals only; the detail stays restricted.",
            privacy_treatment=PrivacyTreatment.SUPPRESS_SMALL_CELLS,
            suppression_threshold=5,
        )
    data.update(
        target_date=datetime.date(year, 6, 30),
        update_frequency=dataset.update_frequency,
        update_process=f"{owner.get_full_name()} refreshes it from {dataset.title}'s source.",
        owner=owner,
    )
    return data


def _build(agency: Agency, year: int, ado: User) -> AccessPlan:
    plan = services.plan_start(agency=agency, year=year, acting_user=ado)
    for dataset in plan.inventory.datasets.all():
        services.item_create(
            plan=plan, dataset=dataset, data=item_data(dataset, year, ado), acting_user=ado
        )
    return plan


def _request_changes_and_resubmit(plan: AccessPlan, ado: User, cdo: User) -> None:
    services.plan_request_changes(
        plan=plan, comment="Give an update process for each item.", acting_user=cdo
    )
    item = plan.items.first()
    services.item_update(
        item=item, data={"update_process": "Nightly export by the DOT data team."}, acting_user=ado
    )
    services.plan_submit(plan=plan, acting_user=ado)


def seed(*, year: int) -> None:
    """ocme: last year approved, this year a draft; dph: in review; dot: this year changes
    requested, last year (built from its only inventory) resubmitted as version 2."""
    cdo = User.objects.get(username="cdo")
    steps = [
        ("ocme", year - 1, "approved"),
        ("ocme", year, "draft"),
        ("dph", year, "in_review"),
        ("dot", year, "changes_requested"),
        ("dot", year - 1, "resubmitted"),
    ]
    for slug, plan_year, state in steps:
        agency = Agency.objects.get(slug=slug)
        if AccessPlan.objects.filter(agency=agency, year=plan_year).exists():
            continue
        ado = agency.current_ado().user
        plan = _build(agency, plan_year, ado)
        if state == "draft":
            continue
        services.plan_submit(plan=plan, acting_user=ado)
        if state == "approved":
            services.plan_approve(plan=plan, comment="A clear plan.", acting_user=cdo)
        elif state == "in_review":
            services.plan_start_review(plan=plan, acting_user=cdo)
        elif state == "changes_requested":
            services.plan_request_changes(
                plan=plan, comment="Add a target date for every item.", acting_user=cdo
            )
        else:
            _request_changes_and_resubmit(plan, ado, cdo)
