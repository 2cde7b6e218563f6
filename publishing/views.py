"""Publication pages: list, create, source and columns, publish privately, progress, make public."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from agencies import permissions
from inventories import uploads
from publishing import extensions, gates, services, sources
from publishing.filters import PublicationFilter
from publishing.forms import ColumnsForm, PublicationForm, SourceForm
from publishing.models import Publication, SourceCheck
from publishing.quality import publication_quality
from publishing.schedules.panel import schedule_context

MANAGE = "publishing.manage_publication"


def _manageable_datasets(user):
    datasets = permissions.visible_datasets(user).select_related("agency", "inventory")
    agencies = [a for a in permissions.visible_agencies(user) if user.has_perm(MANAGE, a)]
    return datasets.filter(agency__in=agencies).order_by("title", "-inventory__year")


def _newest_row_pk(datasets, pk: str) -> int | None:
    """A link from any year's dataset page preselects that data asset's newest row."""
    row = datasets.filter(pk=pk).first() if pk.isdigit() else None
    if row is None:
        return None
    return datasets.filter(uid=row.uid).newest_rows().values_list("pk", flat=True).first()


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
@require_GET
def publication_list(request: HttpRequest) -> HttpResponse:
    publications = permissions.visible_publications(request.user).for_list()
    table = PublicationFilter(request.GET, queryset=publications.order_by("dataset__title"))
    may_create = _manageable_datasets(request.user).exists()
    context = {
        "filter": table,
        "publications": table.qs,
        "may_create": may_create,
        "may_assign": request.user.has_perm("upkeep.assign_portal_asset"),
    }
    return render(request, "publishing/list.html", context)


@login_required
def publication_create(request: HttpRequest) -> HttpResponse:
    datasets = _manageable_datasets(request.user)
    if not datasets.exists():
        raise PermissionDenied
    offered = datasets.newest_rows()
    initial = {"dataset": _newest_row_pk(datasets, request.GET.get("dataset", ""))}
    form = PublicationForm(request.POST or None, datasets=offered, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            publication = services.publication_create(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, "Publication created. Attach its source next.")
            return redirect(publication)
    return render(request, "publishing/create.html", {"form": form})


def detail_context(
    request: HttpRequest, publication: Publication, overrides: dict | None = None
) -> dict:
    """The publication page: publishing's own parts, then the panels of the apps above it
    (privacy, upkeep: publishing/extensions.py), then `overrides` (a refused form, say)."""
    user = request.user
    changes = []
    if publication.schema_changed:
        changes = sources.diff_columns(publication.columns, publication.detected_columns)
    return {
        "publication": publication,
        "dataset": publication.dataset,
        "run": publication.last_run,
        "runs": publication.runs.all()[:20],
        "source_form": SourceForm(agency=publication.agency),
        "columns_form": ColumnsForm(
            columns=publication.detected_columns,
            described=publication.columns,
            initial={
                "row_identifier": publication.row_identifier,
                "delete_missing": publication.delete_missing,
            },
        ),
        "column_changes": changes,
        "may_manage": user.has_perm(MANAGE, publication),
        "may_make_public": user.has_perm("publishing.make_public", publication),
        "access_refusal": gates.access_refusal(publication),
        "may_override_access": user.has_perm("publishing.override_access", publication),
        "gate_message": extensions.public_refusal(publication),
        "push_blocked": extensions.push_blocked(publication),
        "lint": publication_quality(publication),
        **schedule_context(publication),
        **extensions.page_extras(request, publication),
        **(overrides or {}),
    }


@login_required
@require_GET
def publication_detail(request: HttpRequest, pk: int) -> HttpResponse:
    publication = permissions.get_publication_for_user(request.user, pk)
    return render(request, "publishing/detail.html", detail_context(request, publication))


@login_required
@require_POST
def publication_source(request: HttpRequest, pk: int) -> HttpResponse:
    publication = permissions.get_publication_for_user(request.user, pk, perm=MANAGE)
    form = SourceForm(request.POST, request.FILES, agency=publication.agency)
    if uploads.refusal(request):  # stopped while it streamed in: nothing was kept
        messages.error(request, uploads.refusal(request))
    elif form.is_valid():
        try:
            attached = services.publication_attach_source(
                publication=publication, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            if attached.check is not None:
                messages.success(request, "Source saved. It is being read; its columns follow.")
            elif publication.columns_confirmed and attached.changes:
                messages.warning(request, "The new source's columns changed: confirm them.")
            else:
                messages.success(request, "Source read. Check the columns below.")
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(publication)


@login_required
@require_POST
def publication_columns(request: HttpRequest, pk: int) -> HttpResponse:
    publication = permissions.get_publication_for_user(request.user, pk, perm=MANAGE)
    form = ColumnsForm(request.POST, columns=publication.detected_columns)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(publication)
    try:
        services.publication_confirm_columns(
            publication=publication,
            acting_user=request.user,
            row_identifier=form.cleaned_data["row_identifier"],
            descriptions=form.descriptions(),
            delete_missing=form.cleaned_data["delete_missing"],
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, "Columns confirmed.")
    return redirect(publication)


@login_required
@require_POST
def run_start(request: HttpRequest, pk: int) -> HttpResponse:
    publication = permissions.get_publication_for_user(request.user, pk, perm=MANAGE)
    try:
        services.run_start(publication=publication, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect(publication)


@login_required
@require_POST
def make_public(request: HttpRequest, pk: int) -> HttpResponse:
    publication = permissions.get_publication_for_user(
        request.user, pk, perm="publishing.make_public"
    )
    try:
        services.publication_make_public(publication=publication, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, "The dataset is public on the portal.")
    return redirect(publication)


@login_required
@require_POST
def access_override(request: HttpRequest, pk: int) -> HttpResponse:
    """The CDO publishes a dataset the inventory or the access plan holds back (ADR 0016)."""
    publication = permissions.get_publication_for_user(
        request.user, pk, perm="publishing.override_access"
    )
    try:
        services.publication_override_access(
            publication=publication,
            reason=request.POST.get("reason", ""),
            acting_user=request.user,
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, "Override recorded: the publication may be pushed.")
    return redirect(publication)


@login_required
@require_GET
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress partial; htmx polls it every second until the run ends."""
    run = permissions.get_run_for_user(request.user, pk)
    response = render(request, "publishing/_progress.html", {"run": run})
    if request.headers.get("HX-Request") and not run.is_active:
        # The run just ended: reload the page so its buttons and the run history catch up.
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_GET
def source_check_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The source check's partial; htmx polls it every second until the check ends."""
    check = get_object_or_404(SourceCheck, pk=pk)
    permissions.get_publication_for_user(request.user, check.publication_id)
    response = render(request, "publishing/_source_check.html", {"check": check})
    if request.headers.get("HX-Request") and not check.is_active:
        # Read (or refused): reload the page so the columns section and buttons catch up.
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def run_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    run = permissions.get_run_for_user(request.user, pk)
    publication = permissions.get_publication_for_user(
        request.user, run.publication_id, perm=MANAGE
    )
    if services.run_cancel(run=run, acting_user=request.user):
        messages.success(request, "Run cancelled.")
    return redirect(publication)
