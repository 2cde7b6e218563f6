"""Governance gates of publishing (docs/adr/0016-governance-gates.md).

- Adoption: a publication adopts only a portal asset its agency owns (the portal sync knows the
  owner: upkeep registers that check in `extensions.adoption_checks`), and a portal asset has at
  most one publication.
- Access: a dataset reaches the portal only if its inventory entry says "public" and, once the
  agency has an approved access plan, that plan has an item publishing it; otherwise only the
  CDO's override, with a reason, opens the gate. Checked before every push (a push blocker, so
  the page, run_start and the schedule give the same reason) and before "make public".
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from access_plans.choices import PUBLISHING_INTENTS, PlanStatus
from access_plans.models import AccessPlan
from agencies.models import Agency
from inventories.choices import AccessLevel
from publishing import extensions
from publishing.models import Publication


def check_adoption(*, agency: Agency, portal_id: str, acting_user: User) -> None:
    """Raise ValidationError (on `portal_id`) unless the agency may adopt the asset."""
    holder = Publication.objects.filter(portal_id=portal_id).select_related("agency").first()
    if holder is not None:
        raise ValidationError(
            {
                "portal_id": f"The portal asset {portal_id} is already published by "
                f"{holder.agency.acronym or holder.agency}'s publication {holder.pk}: a portal "
                "asset has one publication. Refresh that one, or ask program staff to move it."
            }
        )
    for check in extensions.adoption_checks:
        check(agency=agency, portal_id=portal_id, acting_user=acting_user)


def access_refusal(publication: Publication) -> str:
    """Why the inventory and the access plan do not let this dataset be published ("" if they
    do, or if the CDO overrode them)."""
    if publication.access_override_at is not None:
        return ""
    dataset = publication.current_dataset()
    if dataset.access_level != AccessLevel.PUBLIC:
        return (
            f"The inventory marks “{dataset.title}” as {dataset.get_access_level_display()}; "
            "only public datasets are published. Correct the inventory entry, or ask the Chief "
            "Data Officer for an override with a reason."
        )
    plan = (
        AccessPlan.objects.filter(agency_id=publication.agency_id, status=PlanStatus.APPROVED)
        .order_by("-year")
        .first()
    )
    if plan is None:
        return ""  # before an agency's first approved plan, the inventory alone decides
    planned = plan.items.filter(dataset__uid=dataset.uid, intent__in=PUBLISHING_INTENTS)
    if not planned.exists():
        return (
            f"The approved {plan.year} access plan of {plan.agency} has no item publishing "
            f"“{dataset.title}”. Add one when the plan is next amended, or ask the Chief Data "
            "Officer for an override with a reason."
        )
    return ""


def check_access(publication: Publication) -> None:
    refusal = access_refusal(publication)
    if refusal:
        raise ValidationError(refusal)


def register() -> None:
    """Publishing's own push gate goes first in the list the apps above add to."""
    if access_refusal not in extensions.push_blockers:
        extensions.push_blockers.insert(0, access_refusal)
