"""upkeep's pages: a retirement started and cancelled on the publication page (ADR 0010), the
portal's unclaimed assets and their assignment, an agency's stale list (ADR 0009)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from agencies import permissions
from agencies.forms import add_service_errors
from publishing import views
from publishing.models import Publication, Visibility
from upkeep import freshness
from upkeep import retirement as retirement_services
from upkeep import sync as sync_services
from upkeep.forms import AgencyChoiceForm, AssignForm, RetirementForm
from upkeep.models import (
    GeoItem,
    Platform,
    PortalAsset,
    PortalSync,
    Retirement,
    RetirementStatus,
)

PERM = retirement_services.PERM


def retirement_context(request: HttpRequest, publication: Publication) -> dict:
    """The retirement panel of the publication page (upkeep/hooks.py)."""
    retirement = publication.retirements.select_related("started_by", "cancelled_by").first()
    may_retire = request.user.has_perm(PERM, publication)
    startable = (
        publication.visibility == Visibility.PUBLIC
        and bool(publication.portal_id)
        and (retirement is None or retirement.status == RetirementStatus.CANCELLED)
    )
    return {
        "retirement": retirement,
        "may_retire": may_retire,
        "retirement_form": RetirementForm() if may_retire and startable else None,
    }


@login_required
@require_POST
def retirement_start(request: HttpRequest, pk: int) -> HttpResponse:
    publication = permissions.get_publication_for_user(request.user, pk, perm=PERM)
    form = RetirementForm(request.POST)
    if form.is_valid():
        try:
            retirement_services.retirement_start(
                publication=publication, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Retirement started: the notice goes to the portal now.")
            return redirect(publication)
    context = views.detail_context(request, publication, overrides={"retirement_form": form})
    return render(request, "publishing/detail.html", context, status=400)


@login_required
@require_POST
def retirement_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    retirement = Retirement.objects.filter(pk=pk).first()
    if retirement is None:
        raise Http404("No such retirement.")
    publication = permissions.get_publication_for_user(
        request.user, retirement.publication_id, perm=PERM
    )
    try:
        retirement_services.retirement_cancel(retirement=retirement, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Retirement cancelled: the original metadata goes back now.")
    return redirect(publication)


# --- portal sync (ADR 0009) ------------------------------------------------------------------

ASSIGN = "upkeep.assign_portal_asset"


def _require_assign(request: HttpRequest) -> None:
    if not request.user.has_perm(ASSIGN):
        raise PermissionDenied


@login_required
@require_GET
def unclaimed_assets(request: HttpRequest) -> HttpResponse:
    """Assets the portal lists that no inventory, publication or assignment claims, and the Geo
    Data Portal's items that no inventory names (catalog completeness, ADR 0029)."""
    _require_assign(request)
    context = {
        "assets": PortalAsset.objects.unclaimed(),
        "missing": PortalAsset.objects.exclude(missing_since=None)
        .select_related("agency")
        .order_by("-missing_since", "portal_id"),
        "last_sync": PortalSync.objects.filter(platform=Platform.OPEN_DATA).first(),
        "geo_items": GeoItem.objects.unlisted(),
        "last_geo_sync": PortalSync.objects.filter(platform=Platform.GEO).first(),
    }
    return render(request, "upkeep/unclaimed.html", context)


@login_required
def asset_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 1 (GET): choose the agency. Step 2 (GET ?agency=…): perhaps a dataset; POST assigns."""
    _require_assign(request)
    asset = PortalAsset.objects.filter(pk=pk).first()
    if asset is None:
        raise Http404("No such portal asset.")
    data = request.POST if request.method == "POST" else request.GET
    chooser = AgencyChoiceForm(data or None)
    if not chooser.is_valid():
        return render(request, "upkeep/asset_assign.html", {"asset": asset, "form": chooser})
    agency = chooser.cleaned_data["agency"]
    form = AssignForm(request.POST or None, agency=agency, initial={"agency": agency.slug})
    if request.method == "POST" and form.is_valid():
        try:
            sync_services.portal_asset_assign(
                asset=asset,
                agency=agency,
                dataset=form.cleaned_data["dataset"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{asset.portal_id} is now {agency}'s.")
            return redirect("upkeep:unclaimed")
    context = {"asset": asset, "form": form, "agency": agency}
    return render(request, "upkeep/asset_assign.html", context)


@login_required
@require_GET
def stale_datasets(request: HttpRequest, slug: str) -> HttpResponse:
    """The agency's stale datasets and those due soon (agency members and program staff)."""
    agency = permissions.get_agency_for_user(request.user, slug, perm="upkeep.view_stale_datasets")
    stale, due = freshness.stale_datasets(agency)
    context = {"agency": agency, "stale": stale, "due": due}
    return render(request, "upkeep/stale.html", context)
