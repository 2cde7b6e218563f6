"""Notices about plans (agencies/notices.py, ADR 0019): sent after the transaction commits,
never for a rolled-back one."""

from __future__ import annotations

from django.urls import reverse

from access_plans.choices import PlanStatus
from access_plans.models import AccessPlan
from agencies import notices


def notify_submitted(plan: AccessPlan) -> None:
    """To every active member of the CDO group."""
    notices.send(
        "plan_submitted",
        to=notices.cdo(),
        agency=plan.agency,
        link=plan.get_absolute_url(),
        context={"plan": plan},
    )


def notify_decision(plan: AccessPlan) -> None:
    """To the agency's current ADO."""
    notices.send(
        "plan_decided",
        to=notices.ado(plan.agency_id),
        agency=plan.agency,
        link=plan.get_absolute_url(),
        context={
            "plan": plan,
            "word": plan.get_status_display().lower(),
            "approved": plan.status == PlanStatus.APPROVED,
        },
    )


def notify_recommended(recommendation) -> None:
    """A DAPA analyst's comment or recommendation: to the CDO, who decides (issue #16)."""
    plan = recommendation.plan
    notices.send(
        "plan_recommended",
        to=notices.cdo(),
        agency=plan.agency,
        link=reverse("access_plans:review", args=[plan.agency.slug, plan.year]),
        context={"plan": plan, "recommendation": recommendation},
    )
