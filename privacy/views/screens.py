"""Privacy pages (issue 7): start a screen, its progress, its report (HTML and JSON), and the
exception a CDO approves before a high-risk publication is made public."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from agencies import permissions
from privacy import services as privacy_services
from privacy.forms import ExceptionForm, ScreenForm
from privacy.models import PrivacyException, PrivacyScreen

MANAGE = "publishing.manage_publication"


def get_screen_for_user(user, pk: int) -> PrivacyScreen:
    """404 unless the user may see the screen's publication."""
    screen = PrivacyScreen.objects.filter(pk=pk).first()
    if screen is None:
        raise Http404("No such privacy screen.")
    screen.publication = permissions.get_publication_for_user(user, screen.publication_id)
    return screen


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
@require_POST
def screen_start(request: HttpRequest, pk: int) -> HttpResponse:
    publication = permissions.get_publication_for_user(request.user, pk, perm=MANAGE)
    form = ScreenForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(publication)
    try:
        privacy_services.screen_start(
            publication=publication,
            acting_user=request.user,
            threshold=form.cleaned_data["threshold"],
            quasi=form.cleaned_data["quasi"],
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, "Privacy screen started.")
    return redirect(publication)


@login_required
@require_GET
def screen_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The screen's progress partial; htmx polls it every second until the screen ends."""
    screen = get_screen_for_user(request.user, pk)
    response = render(request, "privacy/_screen_progress.html", {"screen": screen})
    if request.headers.get("HX-Request") and not screen.is_active:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_GET
def screen_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The full report as a page (printable, the HTML export)."""
    screen = get_screen_for_user(request.user, pk)
    context = {
        "screen": screen,
        "publication": screen.publication,
        "report": screen.report,
        "exceptions": screen.exceptions.select_related("requested_by", "approved_by"),
        "exception_form": ExceptionForm(),
        "may_manage": request.user.has_perm(MANAGE, screen.publication),
        "may_approve": request.user.has_perm(privacy_services.APPROVE, screen.publication),
    }
    response = render(request, "privacy/screen.html", context)
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="privacy-screen-{pk}.html"'
    return response


@login_required
@require_GET
def screen_json(request: HttpRequest, pk: int) -> JsonResponse:
    screen = get_screen_for_user(request.user, pk)
    body = {
        "screen": screen.pk,
        "publication": screen.publication_id,
        "status": screen.status,
        "rows_read": screen.rows_read,
        "verdict": screen.verdict,
        "k": screen.k,
        "records_at_risk": screen.records_at_risk,
        "threshold": screen.threshold,
        "quasi_identifiers": screen.quasi_identifiers,
        "finished_at": screen.finished_at and screen.finished_at.isoformat(),
        "report": screen.report,
    }
    response = JsonResponse(body, json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="privacy-screen-{pk}.json"'
    return response


@login_required
@require_POST
def exception_request(request: HttpRequest, pk: int) -> HttpResponse:
    screen = get_screen_for_user(request.user, pk)
    if not request.user.has_perm(MANAGE, screen.publication):
        raise PermissionDenied
    form = ExceptionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a justification.")
        return redirect(screen)
    try:
        privacy_services.exception_request(
            screen=screen, acting_user=request.user, **form.cleaned_data
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, "Exception requested; the CDO approves it.")
    return redirect(screen)


@login_required
@require_POST
def exception_approve(request: HttpRequest, pk: int) -> HttpResponse:
    exception = PrivacyException.objects.filter(pk=pk).first()
    if exception is None:
        raise Http404("No such exception.")
    screen = get_screen_for_user(request.user, exception.screen_id)
    exception.publication = screen.publication
    try:
        privacy_services.exception_approve(exception=exception, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, "Exception approved: the publication may be made public.")
    return redirect(screen)
