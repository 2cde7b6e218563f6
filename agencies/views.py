from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from agencies import extensions, permissions, services
from agencies.filters import AgencyFilter
from agencies.forms import (
    AddMemberForm,
    DesignateAdoForm,
    EndMembershipForm,
    add_service_errors,
)
from agencies.models import Agency, Role


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "home_public.html")
    if permissions.is_program_staff(request.user):
        context = {
            "is_staff": True,
            "agency_count": Agency.objects.active().count(),
            "without_ado": Agency.objects.active().without_ado().order_by("name"),
        }
    else:
        agencies = list(permissions.visible_agencies(request.user).with_ado())
        for agency in agencies:
            agency.panels = extensions.home_extras(request, agency)
        context = {"agencies": agencies}
    return render(request, "home.html", context)


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("agencies.view_directory"):
        raise PermissionDenied
    agency_filter = AgencyFilter(request.GET, queryset=permissions.visible_agencies(request.user))
    agencies = agency_filter.qs.with_ado()
    return render(
        request, "agencies/directory.html", {"filter": agency_filter, "agencies": agencies}
    )


@login_required
@require_GET
def my_agency(request: HttpRequest) -> HttpResponse:
    agencies = list(
        permissions.visible_agencies(request.user).filter(
            pk__in=list(permissions.agency_roles(request.user))
        )
    )
    if len(agencies) == 1:
        return redirect(agencies[0])
    return render(request, "agencies/my_agency.html", {"agencies": agencies})


@login_required
@require_GET
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    agency = permissions.get_agency_for_user(request.user, slug)
    memberships = agency.memberships.select_related("user").order_by("end_date", "role")
    current = [m for m in memberships if m.is_current]
    context = {
        "agency": agency,
        "ado": next((m for m in current if m.role == Role.ADO), None),
        "current_members": current,
        "ado_history": [m for m in memberships if m.role == Role.ADO],
        "past_members": [m for m in memberships if not m.is_current and m.role != Role.ADO],
        "may_designate": request.user.has_perm("agencies.designate_ado", agency),
        "may_manage": request.user.has_perm("agencies.manage_members", agency),
        "add_form": AddMemberForm(),
    }
    return render(request, "agencies/detail.html", context)


@login_required
def designate_ado(request: HttpRequest, slug: str) -> HttpResponse:
    agency = permissions.get_agency_for_user(request.user, slug, perm="agencies.designate_ado")
    form = DesignateAdoForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_designate_ado(
                agency=agency, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            person = form.cleaned_data["user"]
            messages.success(request, f"{person.get_full_name() or person} is now the ADO.")
            return redirect(agency)
    return render(
        request,
        "agencies/designate_ado.html",
        {"agency": agency, "form": form, "current": agency.current_ado()},
    )


@login_required
@require_POST
def add_member(request: HttpRequest, slug: str) -> HttpResponse:
    agency = permissions.get_agency_for_user(request.user, slug, perm="agencies.manage_members")
    form = AddMemberForm(request.POST)
    if form.is_valid():
        try:
            services.membership_add(agency=agency, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{form.cleaned_data['user']} added.")
    else:
        messages.error(request, "Choose a person and a role.")
    return redirect(agency)


@login_required
@require_POST
def end_member(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    agency = permissions.get_agency_for_user(request.user, slug, perm="agencies.manage_members")
    membership = get_object_or_404(agency.memberships.current(), pk=pk)
    if membership.role == Role.ADO:
        raise PermissionDenied("An ADO is replaced through the designation page.")
    form = EndMembershipForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a reason for ending the membership.")
        return redirect(agency)
    services.membership_end(
        membership=membership, reason=form.cleaned_data["reason"], acting_user=request.user
    )
    messages.success(request, f"{membership.user} no longer acts for {agency}.")
    return redirect(agency)
