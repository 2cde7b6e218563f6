"""Aggregation with suppression (issue 7): preview a publication's source aggregated and
suppressed, then save it as the source of a publication of the same agency. A small upload is
aggregated in the request; anything larger goes to a worker and its page polls the progress."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from agencies import permissions
from privacy import aggregation as suppression_services
from privacy.forms import SaveSuppressedForm, SuppressionForm
from privacy.models import SuppressionJob
from publishing.models import Publication

MANAGE = "publishing.manage_publication"


def _targets(user, publication: Publication):
    publications = permissions.visible_publications(user).filter(agency_id=publication.agency_id)
    return publications.select_related("dataset").exclude(kind="external").order_by("pk")


def _save_form(request: HttpRequest, publication: Publication, choices: dict) -> SaveSuppressedForm:
    return SaveSuppressedForm(
        initial={**choices, "target": publication.pk},
        columns=publication.columns,
        targets=_targets(request.user, publication),
    )


def _form_errors(form) -> str:
    return " ".join(e for errors in form.errors.values() for e in errors)


@login_required
@require_GET
def suppression_preview(request: HttpRequest, pk: int) -> HttpResponse:
    publication = permissions.get_publication_for_user(request.user, pk, perm=MANAGE)
    in_worker = suppression_services.runs_in_worker(publication)
    form = SuppressionForm(request.GET or None, columns=publication.columns)
    context = {"publication": publication, "form": form, "preview": None, "in_worker": in_worker}
    if request.GET and not in_worker and form.is_valid():
        try:
            table = suppression_services.suppressed_table(publication, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            context["preview"] = suppression_services.preview(table)
            context["save_form"] = _save_form(request, publication, form.cleaned_data)
    return render(request, "privacy/suppress.html", context)


@login_required
@require_POST
def suppression_start(request: HttpRequest, pk: int) -> HttpResponse:
    """A large, URL or SQL source: the worker aggregates it; its page shows the progress."""
    publication = permissions.get_publication_for_user(request.user, pk, perm=MANAGE)
    form = SuppressionForm(request.POST, columns=publication.columns)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("privacy:suppress", pk)
    job = suppression_services.suppression_start(
        publication=publication, acting_user=request.user, **form.cleaned_data
    )
    return redirect(job)


def get_job_for_user(user, pk: int) -> SuppressionJob:
    """404 unless the user manages the job's publication."""
    job = SuppressionJob.objects.filter(pk=pk).first()
    if job is None:
        raise Http404("No such aggregation.")
    job.publication = permissions.get_publication_for_user(user, job.publication_id, perm=MANAGE)
    return job


@login_required
@require_GET
def suppression_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_job_for_user(request.user, pk)
    publication = job.publication
    context = {"job": job, "publication": publication, "preview": job.result}
    if job.result and job.target_id is None:
        choices = {"by": job.by, "value": job.value, "threshold": job.threshold}
        context["save_form"] = _save_form(request, publication, choices)
    return render(request, "privacy/suppress_job.html", context)


@login_required
@require_GET
def suppression_job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's progress partial; htmx polls it every second until the job ends."""
    job = get_job_for_user(request.user, pk)
    response = render(request, "privacy/_suppress_progress.html", {"job": job})
    if request.headers.get("HX-Request") and not job.is_active:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def suppression_save(request: HttpRequest, pk: int) -> HttpResponse:
    publication = permissions.get_publication_for_user(request.user, pk, perm=MANAGE)
    targets = _targets(request.user, publication)
    form = SaveSuppressedForm(request.POST, columns=publication.columns, targets=targets)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("privacy:suppress", pk)
    data = form.cleaned_data
    target = permissions.get_publication_for_user(request.user, data.pop("target").pk, perm=MANAGE)
    try:
        if suppression_services.runs_in_worker(publication):
            job = suppression_services.suppression_start(
                publication=publication, target=target, acting_user=request.user, **data
            )
            return redirect(job)
        suppression_services.save_as_source(
            source=publication, target=target, acting_user=request.user, **data
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("privacy:suppress", pk)
    messages.success(request, "Saved as the new source; confirm its columns before the push.")
    return redirect(target)
