"""The permission matrix: every persona of STYLE.md against every agency-level decision."""

import pytest
from django.contrib.auth.models import AnonymousUser

from agencies import permissions

PERSONAS = ["ado_a", "publisher_a", "viewer_a", "ado_b", "cdo", "dapa", "portal_admin", "outsider"]

# perm -> personas allowed. The object is agency A unless the perm takes none.
MATRIX = {
    "agencies.view_directory": {"cdo", "dapa", "portal_admin"},
    "agencies.view_agency": {"ado_a", "publisher_a", "viewer_a", "cdo", "dapa", "portal_admin"},
    "agencies.change_agency": {"cdo", "portal_admin"},
    "agencies.designate_ado": {"cdo", "dapa"},
    "agencies.manage_members": {"ado_a", "cdo", "portal_admin"},
    "agencies.delete_agency": set(),
    "auth.change_user": {"portal_admin"},
}
NO_OBJECT = {"agencies.view_directory", "auth.change_user"}


@pytest.fixture
def everyone(request, agency_a, agency_b):
    people = {name: request.getfixturevalue(name) for name in PERSONAS}
    people["anonymous"] = AnonymousUser()
    return people


@pytest.mark.parametrize("perm", sorted(MATRIX))
def test_permission_matrix(everyone, agency_a, perm):
    target = None if perm in NO_OBJECT else agency_a
    allowed = {name for name, user in everyone.items() if user.has_perm(perm, target)}
    assert allowed == MATRIX[perm]


def test_agency_users_see_only_their_own_agency(everyone, agency_a, agency_b):
    for name in ["ado_a", "publisher_a", "viewer_a"]:
        assert list(permissions.visible_agencies(everyone[name])) == [agency_a]
    assert list(permissions.visible_agencies(everyone["ado_b"])) == [agency_b]
    assert not permissions.visible_agencies(everyone["outsider"]).exists()
    assert not permissions.visible_agencies(everyone["anonymous"]).exists()
    assert permissions.visible_agencies(everyone["dapa"]).count() > 2


def test_agency_users_never_reach_the_admin(everyone):
    allowed = {name for name, user in everyone.items() if permissions.may_use_admin(user)}
    assert allowed == {"cdo", "dapa", "portal_admin"}


def test_an_ended_membership_grants_nothing(publisher_a, agency_a):
    membership = publisher_a.memberships.get()
    membership.end(reason="Left the agency")
    membership.save()
    permissions.forget(publisher_a)
    assert not publisher_a.has_perm("agencies.view_agency", agency_a)


def test_an_inactive_staff_account_has_no_staff_rights(cdo):
    cdo.is_active = False
    cdo.save()
    assert not cdo.has_perm("agencies.designate_ado")
    assert not permissions.may_use_admin(cdo)
