"""Data sharing agreement pages (ADR 0026): the register, one agreement, its form, its document."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from sharing import permissions as sharing_permissions
from sharing import services
from sharing.filters import AgreementFilter
from sharing.forms import AgreementForm
from sharing.models import Agreement


@login_required
@require_GET
def agreement_list(request: HttpRequest) -> HttpResponse:
    agreements = sharing_permissions.visible_agreements(request.user).prefetch_related("parties")
    agreement_filter = AgreementFilter(request.GET, queryset=agreements)
    rows = agreement_filter.qs if agreement_filter.is_valid() else agreements.none()
    context = {
        "filter": agreement_filter,
        "agreements": list(rows.order_by("-starts_on", "title", "pk")),
        "may_add": sharing_permissions.may_add_agreement(request.user),
        "today": timezone.localdate(),
    }
    return render(request, "sharing/list.html", context)


@login_required
@require_GET
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = sharing_permissions.get_agreement_for_user(request.user, pk)
    context = {
        "agreement": agreement,
        "status": agreement.effective_status(),
        "may_change": request.user.has_perm("sharing.change_agreement", agreement),
        "history": agreement.history.select_related("history_user")[:20],
    }
    return render(request, "sharing/detail.html", context)


def _form_page(request: HttpRequest, agreement: Agreement | None) -> HttpResponse:
    form = AgreementForm(
        request.POST or None, request.FILES or None, instance=agreement, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if data["document"] is None or data["document"] is False:
            data.pop("document")  # not sent: keep the stored one
        saved = services.agreement_save(agreement=agreement, data=data, acting_user=request.user)
        messages.success(request, "Agreement saved.")
        return redirect("sharing:detail", pk=saved.pk)
    return render(request, "sharing/form.html", {"form": form, "agreement": agreement})


@login_required
@require_http_methods(["GET", "POST"])
def agreement_create(request: HttpRequest) -> HttpResponse:
    if not sharing_permissions.may_add_agreement(request.user):
        raise PermissionDenied
    return _form_page(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = sharing_permissions.get_agreement_for_user(
        request.user, pk, perm="sharing.change_agreement"
    )
    return _form_page(request, agreement)


@login_required
@require_GET
def agreement_document(request: HttpRequest, pk: int) -> FileResponse:
    """The signed document, to those who may see the agreement (never a public media URL)."""
    agreement = sharing_permissions.get_agreement_for_user(request.user, pk)
    if not agreement.document:
        raise Http404("No signed document was uploaded.")
    name = agreement.document.name.rsplit("/", 1)[-1]
    return FileResponse(agreement.document.open("rb"), as_attachment=True, filename=name)
