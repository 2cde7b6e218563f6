"""Writes on agencies and memberships. Every function records who acted (audit history)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from agencies import notices, permissions
from agencies.models import Agency, Membership, Role


def _save_with_history(obj: Agency | Membership, *, acting_user: User | None, reason: str) -> None:
    obj._history_user = acting_user
    obj._change_reason = reason[:100] if reason else None
    obj.save()


@transaction.atomic
def membership_designate_ado(
    *, agency: Agency, user: User, reason: str, acting_user: User | None, title: str = ""
) -> Membership:
    """Make `user` the agency's ADO, ending the previous designation (kept as history)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the ADO is being designated or changed."})
    if not user.is_active:
        raise ValidationError({"user": f"{user.get_username()} is not an active account."})
    current = (
        Membership.objects.select_for_update()
        .filter(agency=agency, role=Role.ADO, end_date__isnull=True)
        .first()
    )
    if current is not None and current.user_id == user.pk:
        raise ValidationError({"user": f"{user.get_username()} is already the ADO of {agency}."})
    if current is not None:
        current.end(reason=f"Replaced: {reason}")
        _save_with_history(current, acting_user=acting_user, reason=current.reason)
    designation = Membership(
        agency=agency,
        user=user,
        role=Role.ADO,
        title=title,
        start_date=timezone.localdate(),
        reason=reason,
    )
    _save_with_history(designation, acting_user=acting_user, reason=reason)
    permissions.forget(user)
    notices.send(
        "ado_designated",
        to=[user, *notices.cdo(), current.user if current else None],
        agency=agency,
        link=agency.get_absolute_url(),
        context={"designation": designation, "previous": current},
    )
    return designation


@transaction.atomic
def membership_add(
    *, agency: Agency, user: User, role: str, acting_user: User | None, title: str = ""
) -> Membership:
    """Add a publisher or viewer. ADOs are only ever made by `membership_designate_ado`."""
    if role == Role.ADO:
        raise ValidationError({"role": "Use the ADO designation to name an Agency Data Officer."})
    if Membership.objects.current().filter(agency=agency, user=user, role=role).exists():
        raise ValidationError({"user": f"{user.get_username()} already has this role at {agency}."})
    membership = Membership(agency=agency, user=user, role=role, title=title)
    _save_with_history(membership, acting_user=acting_user, reason=f"Added as {role}")
    permissions.forget(user)
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, reason: str, acting_user: User | None) -> Membership:
    if not membership.is_current:
        raise ValidationError("This membership has already ended.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the membership ends."})
    membership.end(reason=reason.strip())
    _save_with_history(membership, acting_user=acting_user, reason=reason)
    permissions.forget(membership.user)
    return membership
