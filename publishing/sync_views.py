"""Portal sync pages (ADR 0009): unclaimed assets and their assignment, an agency's stale list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from agencies import permissions
from agencies.forms import add_service_errors
from publishing import freshness, sync_services
from publishing.models import PortalAsset, PortalSync
from publishing.sync_forms import AgencyChoiceForm, AssignForm

ASSIGN = "publishing.assign_portal_asset"


def _require_assign(request: HttpRequest) -> None:
    if not request.user.has_perm(ASSIGN):
        raise PermissionDenied


@login_required
@require_GET
def unclaimed_assets(request: HttpRequest) -> HttpResponse:
    """Assets the portal lists that no inventory, publication or assignment claims."""
    _require_assign(request)
    context = {
        "assets": PortalAsset.objects.unclaimed(),
        "missing": PortalAsset.objects.exclude(missing_since=None)
        .select_related("agency")
        .order_by("-missing_since", "portal_id"),
        "last_sync": PortalSync.objects.first(),
    }
    return render(request, "publishing/unclaimed.html", context)


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
        return render(request, "publishing/asset_assign.html", {"asset": asset, "form": chooser})
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
            return redirect("publishing:unclaimed")
    context = {"asset": asset, "form": form, "agency": agency}
    return render(request, "publishing/asset_assign.html", context)


@login_required
@require_GET
def stale_datasets(request: HttpRequest, slug: str) -> HttpResponse:
    """The agency's stale datasets and those due soon (agency members and program staff)."""
    agency = permissions.get_agency_for_user(
        request.user, slug, perm="publishing.view_stale_datasets"
    )
    stale, due = freshness.stale_datasets(agency)
    context = {"agency": agency, "stale": stale, "due": due}
    return render(request, "publishing/stale.html", context)
