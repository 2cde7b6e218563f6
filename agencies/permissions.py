"""The one place that decides who may see or change what.

Views, the admin, the API and templates all ask these predicates, querysets and helpers.
Deny by default: a permission not declared here is refused to everyone but superusers.
"""

from __future__ import annotations

from typing import Any

import rules
from django.apps import apps
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from agencies.models import Agency, Membership, Role, StaffGroup


def _model(label: str) -> Any:
    """A model of an app above, by name: this module sits at the bottom of the layout yet
    decides access to every app's records (docs/adr/0013-apps-by-capability.md)."""
    return apps.get_model(label)


AnyUser = User | AnonymousUser

# --- Predicates ----------------------------------------------------------------------------


def _agency_of(obj: Any) -> Agency | None:
    if obj is None or isinstance(obj, Agency):
        return obj
    return getattr(obj, "agency", None)


def _staff_groups(user: AnyUser) -> set[str]:
    if not user.is_authenticated or not user.is_active:
        return set()
    cached = getattr(user, "_ctodp_staff_groups", None)
    if cached is None:
        cached = set(user.groups.filter(name__in=StaffGroup.values).values_list("name", flat=True))
        user._ctodp_staff_groups = cached
    return cached


def _agency_roles(user: AnyUser) -> dict[int, set[str]]:
    """{agency id: roles} of the user's current memberships, cached on the user object."""
    if not user.is_authenticated or not user.is_active:
        return {}
    cached = getattr(user, "_ctodp_agency_roles", None)
    if cached is None:
        cached = {}
        for agency_id, role in (
            Membership.objects.current().filter(user=user).values_list("agency_id", "role")
        ):
            cached.setdefault(agency_id, set()).add(role)
        user._ctodp_agency_roles = cached
    return cached


@rules.predicate
def is_superuser(user: AnyUser) -> bool:
    return bool(user.is_active and user.is_superuser)


@rules.predicate
def is_cdo(user: AnyUser) -> bool:
    return StaffGroup.CDO.value in _staff_groups(user)


@rules.predicate
def is_dapa(user: AnyUser) -> bool:
    return StaffGroup.DAPA.value in _staff_groups(user)


@rules.predicate
def is_portal_admin(user: AnyUser) -> bool:
    return StaffGroup.PORTAL_ADMIN.value in _staff_groups(user)


is_program_staff = is_superuser | is_cdo | is_dapa | is_portal_admin
is_reviewer = is_superuser | is_cdo
# Roles that must prove a second factor at sign-in (ADR 0014): they approve, publish and
# manage accounts. accounts/second_factor.py enforces it.
needs_second_factor = is_superuser | is_cdo | is_portal_admin


@rules.predicate
def is_privileged_account(user: AnyUser, target: Any) -> bool:
    """The account is a superuser's or a program staff member's: only superusers change it
    (a portal administrator resetting the CDO's password would become the CDO)."""
    if not isinstance(target, User):
        return False
    if target.is_superuser or target.is_staff:
        return True
    # Asked of the target's rows, active or not: re-activating a staff account is a change too.
    return target.groups.filter(name__in=StaffGroup.values).exists()


@rules.predicate
def is_member(user: AnyUser, obj: Any) -> bool:
    agency = _agency_of(obj)
    return agency is not None and agency.pk in _agency_roles(user)


@rules.predicate
def is_ado(user: AnyUser, obj: Any) -> bool:
    agency = _agency_of(obj)
    return agency is not None and Role.ADO.value in _agency_roles(user).get(agency.pk, set())


@rules.predicate
def is_publisher(user: AnyUser, obj: Any) -> bool:
    agency = _agency_of(obj)
    roles = _agency_roles(user).get(agency.pk, set()) if agency is not None else set()
    return bool(roles & {Role.ADO.value, Role.PUBLISHER.value})


# --- Permissions ---------------------------------------------------------------------------

rules.add_perm("agencies.view_directory", is_program_staff)
rules.add_perm("agencies.view_agency", is_program_staff | is_member)
rules.add_perm("agencies.add_agency", is_superuser | is_cdo | is_portal_admin)
rules.add_perm("agencies.change_agency", is_superuser | is_cdo | is_portal_admin)
rules.add_perm("agencies.delete_agency", is_superuser)
rules.add_perm("agencies.designate_ado", is_superuser | is_cdo | is_dapa)
rules.add_perm("agencies.view_membership", is_program_staff | is_member)
rules.add_perm("agencies.add_membership", is_superuser | is_cdo | is_portal_admin)
rules.add_perm("agencies.change_membership", is_superuser | is_cdo | is_portal_admin)
rules.add_perm("agencies.delete_membership", is_superuser)
# Agency users are managed by program staff and by the agency's own ADO (publishers, viewers).
rules.add_perm("agencies.manage_members", is_superuser | is_cdo | is_portal_admin | is_ado)
# Inventories: the object may be an Inventory, a Dataset or an Agency (all carry `agency`).
rules.add_perm("inventories.view_inventory", is_program_staff | is_member)
rules.add_perm("inventories.start_inventory", is_superuser | is_cdo | is_ado | is_publisher)
rules.add_perm("inventories.edit_inventory", is_superuser | is_ado | is_publisher)
rules.add_perm("inventories.submit_inventory", is_ado)
rules.add_perm("inventories.review_inventory", is_superuser | is_cdo | is_dapa)
rules.add_perm("inventories.view_dataset", is_program_staff | is_member)
# Admin model permissions (the admin is for program staff only; see may_use_admin).
rules.add_perm("inventories.view_inventoryimport", is_program_staff)
rules.add_perm("inventories.change_inventory", is_superuser | is_cdo)
rules.add_perm("inventories.change_dataset", is_superuser | is_cdo)
# Access plans: the object may be an AccessPlan, a PlanItem's plan or an Agency.
rules.add_perm("access_plans.view_plan", is_program_staff | is_member)
rules.add_perm("access_plans.start_plan", is_superuser | is_ado | is_publisher)
rules.add_perm("access_plans.edit_plan", is_superuser | is_ado | is_publisher)
rules.add_perm("access_plans.submit_plan", is_ado)
rules.add_perm("access_plans.review_plan", is_reviewer)  # decides; DAPA recommends (issue #16)
rules.add_perm("access_plans.see_review", is_reviewer | is_dapa)
rules.add_perm("access_plans.recommend_plan", is_superuser | is_dapa)
rules.add_perm("access_plans.view_planrecommendation", is_program_staff)
rules.add_perm("access_plans.view_plancomment", is_program_staff)  # the admin's plan page
rules.add_perm("access_plans.view_accessplan", is_program_staff)
rules.add_perm("access_plans.change_accessplan", is_reviewer)
rules.add_perm("access_plans.view_planitem", is_program_staff)
rules.add_perm("access_plans.view_planversion", is_program_staff)
# Publishing: the object may be a Publication, a Dataset or an Agency (all carry `agency`).
rules.add_perm("publishing.view_publication", is_program_staff | is_member)
rules.add_perm("publishing.manage_publication", is_superuser | is_portal_admin | is_publisher)
# Handbook step 5: published privately, reviewed, then made public by the CDO or a portal admin.
rules.add_perm("publishing.make_public", is_superuser | is_cdo | is_portal_admin)
# ADR 0016: only the CDO publishes a dataset the inventory or the approved plan holds back.
rules.add_perm("publishing.override_access", is_cdo)
rules.add_perm("publishing.view_publicationrun", is_program_staff)
rules.add_perm("publishing.view_publicationschedule", is_program_staff)  # admin; set on the page
# Retirement (ADR 0010): the agency's ADO or publishers, the CDO, portal administrators.
rules.add_perm("upkeep.retire_publication", is_superuser | is_cdo | is_portal_admin | is_publisher)
rules.add_perm("upkeep.view_retirement", is_program_staff)
# Issue 7 / ADR 0007: only the CDO lets a high-risk publication go public, with a justification.
rules.add_perm("privacy.approve_privacy_exception", is_cdo)
rules.add_perm("privacy.view_privacyscreen", is_program_staff)
rules.add_perm("privacy.view_privacyexception", is_program_staff)
# ADR 0009: program staff see the portal's unclaimed assets and assign them; an agency sees
# its own stale datasets.
rules.add_perm("upkeep.assign_portal_asset", is_superuser | is_cdo | is_dapa | is_portal_admin)
rules.add_perm("upkeep.view_stale_datasets", is_program_staff | is_member)
rules.add_perm("upkeep.view_portalasset", is_program_staff)
rules.add_perm("upkeep.view_portalsync", is_program_staff)
# Program oversight (program/): the dashboard and queues are staff's; an agency sees its own
# scorecard, compliance report and data requests log.
rules.add_perm("program.view_dashboard", is_program_staff)
rules.add_perm("program.view_scorecard", is_program_staff | is_member)
rules.add_perm("program.view_datarequest", is_program_staff | is_member)
rules.add_perm("program.log_datarequest", is_superuser | is_ado | is_publisher)
rules.add_perm("program.view_compliance", is_program_staff | is_member)
rules.add_perm("program.view_remindersent", is_program_staff)
rules.add_perm("program.view_workspace", is_superuser | is_cdo | is_dapa)  # the admin's home
# Staff read accounts (memberships pick, plans link people); portal admins change them (#16).
rules.add_perm("auth.view_user", is_program_staff)
rules.add_perm("auth.add_user", is_superuser | is_portal_admin)
# Portal administrators manage agency users; superusers alone change superusers and program
# staff, and alone grant staff groups (agencies/admin.py keeps those fields read-only).
rules.add_perm("auth.change_user", is_superuser | (is_portal_admin & ~is_privileged_account))
rules.add_perm("auth.view_group", is_superuser | is_portal_admin)
# API tokens (accounts/): owners manage their own on their account page; admins revoke.
rules.add_perm("accounts.view_apitoken", is_superuser | is_portal_admin)
rules.add_perm("accounts.change_apitoken", is_superuser | is_portal_admin)
# Second-factor devices (django-otp): portal admins reset a lost authenticator by deleting it;
# its owner enrols again at the next sign-in. Nobody adds devices in the admin.
rules.add_perm("otp_totp.view_totpdevice", is_superuser | is_portal_admin)
rules.add_perm("otp_totp.delete_totpdevice", is_superuser | is_portal_admin)
rules.add_perm("otp_static.view_staticdevice", is_superuser | is_portal_admin)
rules.add_perm("otp_static.delete_staticdevice", is_superuser | is_portal_admin)

# The admin lists an app, and answers /admin/<app>/, if `has_module_perms(label)`: rules asks the
# rule named after the label. Undeclared, staff saw no app (issue #16; models decide the rest).
for _label in ["agencies", "inventories", "access_plans", "publishing", "privacy", "upkeep"]:
    rules.add_perm(_label, is_program_staff)
for _label in ["program", "auth"]:
    rules.add_perm(_label, is_program_staff)
for _label in ["accounts", "otp_totp", "otp_static"]:
    rules.add_perm(_label, is_superuser | is_portal_admin)


def may_use_admin(user: AnyUser) -> bool:
    """Only program staff reach the Django admin; agency users never do."""
    return bool(is_program_staff(user))


def staff_roles(user: AnyUser) -> list[str]:
    return sorted(_staff_groups(user))


def agency_roles(user: AnyUser) -> dict[int, set[str]]:
    return _agency_roles(user)


def forget(user: AnyUser) -> None:
    """Drop the per-request caches after the user's roles changed."""
    for attribute in ("_ctodp_staff_groups", "_ctodp_agency_roles"):
        if hasattr(user, attribute):
            delattr(user, attribute)


# --- Querysets -----------------------------------------------------------------------------


def visible_agencies(user: AnyUser) -> QuerySet[Agency]:
    if is_program_staff(user):
        return Agency.objects.all()
    return Agency.objects.filter(pk__in=list(_agency_roles(user)))


def visible_memberships(user: AnyUser) -> QuerySet[Membership]:
    if is_program_staff(user):
        return Membership.objects.all()
    return Membership.objects.filter(agency_id__in=list(_agency_roles(user)))


def visible_inventories(user: AnyUser) -> QuerySet:
    if is_program_staff(user):
        return _model("inventories.Inventory").objects.all()
    return _model("inventories.Inventory").objects.filter(agency_id__in=list(_agency_roles(user)))


def visible_datasets(user: AnyUser) -> QuerySet:
    if is_program_staff(user):
        return _model("inventories.Dataset").objects.all()
    return _model("inventories.Dataset").objects.filter(agency_id__in=list(_agency_roles(user)))


def visible_plans(user: AnyUser) -> QuerySet:
    if is_program_staff(user):
        return _model("access_plans.AccessPlan").objects.all()
    return _model("access_plans.AccessPlan").objects.filter(agency_id__in=list(_agency_roles(user)))


def visible_plan_items(user: AnyUser) -> QuerySet:
    if is_program_staff(user):
        return _model("access_plans.PlanItem").objects.all()
    return _model("access_plans.PlanItem").objects.filter(
        plan__agency_id__in=list(_agency_roles(user))
    )


def visible_publications(user: AnyUser) -> QuerySet:
    if is_program_staff(user):
        return _model("publishing.Publication").objects.all()
    return _model("publishing.Publication").objects.filter(agency_id__in=list(_agency_roles(user)))


def visible_runs(user: AnyUser) -> QuerySet:
    if is_program_staff(user):
        return _model("publishing.PublicationRun").objects.all()
    return _model("publishing.PublicationRun").objects.filter(
        publication__agency_id__in=list(_agency_roles(user))
    )


def visible_data_requests(user: AnyUser) -> QuerySet:
    if is_program_staff(user):
        return _model("program.DataRequest").objects.all()
    return _model("program.DataRequest").objects.filter(agency_id__in=list(_agency_roles(user)))


# --- Access helpers ------------------------------------------------------------------------


def get_agency_for_user(user: AnyUser, slug: str, *, perm: str = "agencies.view_agency") -> Agency:
    """The agency, if the user may see it (else 404, so its existence is not revealed),
    and may do `perm` on it (else 403)."""
    agency = Agency.objects.filter(slug=slug).first()
    if agency is None or not user.has_perm("agencies.view_agency", agency):
        raise Http404("No such agency.")
    if not user.has_perm(perm, agency):
        raise PermissionDenied
    return agency


def get_inventory_for_user(
    user: AnyUser, slug: str, year: int, *, perm: str = "inventories.view_inventory"
):
    """The agency's inventory for the year: 404 unless visible, 403 unless `perm` is allowed."""
    inventory = (
        _model("inventories.Inventory")
        .objects.select_related("agency", "submitted_by", "reviewed_by")
        .filter(agency__slug=slug, year=year)
        .first()
    )
    if inventory is None or not user.has_perm("inventories.view_inventory", inventory):
        raise Http404("No such inventory.")
    if not user.has_perm(perm, inventory):
        raise PermissionDenied
    return inventory


def get_dataset_for_user(
    user: AnyUser, inventory, pk: int, *, perm: str = "inventories.view_dataset"
):
    dataset = inventory.datasets.filter(pk=pk).first()
    if dataset is None:
        raise Http404("No such dataset.")
    if not user.has_perm(perm, dataset):
        raise PermissionDenied
    return dataset


def get_plan_for_user(user: AnyUser, slug: str, year: int, *, perm: str = "access_plans.view_plan"):
    """The agency's access plan for the year: 404 unless visible, 403 unless `perm` is allowed."""
    plan = (
        _model("access_plans.AccessPlan")
        .objects.select_related("agency", "inventory", "submitted_by", "reviewed_by")
        .filter(agency__slug=slug, year=year)
        .first()
    )
    if plan is None or not user.has_perm("access_plans.view_plan", plan):
        raise Http404("No such access plan.")
    if not user.has_perm(perm, plan):
        raise PermissionDenied
    return plan


def get_plan_item_for_user(user: AnyUser, plan, pk: int):
    item = plan.items.select_related("dataset", "owner").filter(pk=pk).first()
    if item is None:
        raise Http404("No such plan item.")
    return item


def get_publication_for_user(user: AnyUser, pk: int, *, perm: str = "publishing.view_publication"):
    """The publication: 404 unless the user may see it, 403 unless `perm` is allowed."""
    publication = (
        visible_publications(user)
        .select_related("dataset__inventory", "agency", "last_run")
        .filter(pk=pk)
        .first()
    )
    if publication is None or not user.has_perm("publishing.view_publication", publication):
        raise Http404("No such publication.")
    if not user.has_perm(perm, publication):
        raise PermissionDenied
    return publication


def get_run_for_user(user: AnyUser, pk: int):
    run = visible_runs(user).select_related("publication").filter(pk=pk).first()
    if run is None:
        raise Http404("No such run.")
    return run


def get_data_request_for_user(user: AnyUser, pk: int, *, perm: str = "program.view_datarequest"):
    """A logged data request: 404 unless the user may see it, 403 unless `perm` is allowed."""
    request = visible_data_requests(user).select_related("agency", "dataset").filter(pk=pk).first()
    if request is None:
        raise Http404("No such data request.")
    if not user.has_perm(perm, request):
        raise PermissionDenied
    return request


def get_api_token_for_user(user: AnyUser, pk: int):
    """One of the user's own API tokens; anyone else's answers 404, even for staff."""
    token = user.api_tokens.filter(pk=pk).first() if user.is_authenticated else None
    if token is None:
        raise Http404("No such token.")
    return token
