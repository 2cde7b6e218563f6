"""Who may see and manage data sharing agreements (ADR 0026). The roles and the agency-wide
helpers are agencies/permissions.py's; this module adds the agreement's own predicates, rules
and access helpers, registered at import (SharingConfig.ready())."""

from __future__ import annotations

from typing import Any

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from agencies.models import Role
from agencies.permissions import (
    AnyUser,
    _agency_roles,
    is_ado,
    is_cdo,
    is_program_staff,
    is_superuser,
    visible_agencies,
)
from sharing.models import Agreement


def _party_roles(user: AnyUser, agreement: Any) -> set[str]:
    """The user's roles in the agencies party to a sharing agreement."""
    roles, parties = _agency_roles(user), agreement.parties.values_list("pk", flat=True)
    return set().union(*(roles.get(pk, set()) for pk in parties)) if roles else set()


is_party_member = rules.predicate(lambda u, a: a is not None and bool(_party_roles(u, a)))
is_party_ado = rules.predicate(lambda u, a: a is not None and Role.ADO in _party_roles(u, a))

# Staff see all; a party's members see it, its ADO manages it.
rules.add_perm("sharing.view_agreement", is_program_staff | is_party_member)
rules.add_perm("sharing.add_agreement", is_superuser | is_cdo | is_ado)  # obj: the agency
rules.add_perm("sharing.change_agreement", is_superuser | is_cdo | is_party_ado)


def visible_agreements(user: AnyUser) -> QuerySet:
    agreements = Agreement.objects.all()
    if is_program_staff(user):
        return agreements
    return agreements.filter(pk__in=agreements.filter(parties__in=list(_agency_roles(user))))


def get_agreement_for_user(user: AnyUser, pk: int, *, perm: str = "sharing.view_agreement"):
    """A data sharing agreement: 404 unless the user may see it, 403 unless `perm` is allowed."""
    agreement = visible_agreements(user).filter(pk=pk).first()
    if agreement is None:
        raise Http404("No such agreement.")
    if not user.has_perm(perm, agreement):
        raise PermissionDenied
    return agreement


def may_add_agreement(user: AnyUser) -> bool:
    """Staff who may (no agency needed), or the ADO of some agency."""
    if user.has_perm("sharing.add_agreement"):
        return True
    return any(user.has_perm("sharing.add_agreement", a) for a in visible_agencies(user))
