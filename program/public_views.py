"""The public side of the data requests log (ADR 0027): the form on the catalog and the private
status page. No sign-in; CSRF-protected; each client address may send CTODP_PUBLIC_REQUEST_LIMIT
an hour."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from program import public_requests
from program.forms import PublicRequestForm

TOO_MANY = (
    "Too many requests were sent from your address in the last hour. Nothing was sent this "
    "time: please try again later, or write to the agency's data officer."
)


def _intake(request: HttpRequest, dataset=None) -> HttpResponse:
    form = PublicRequestForm(request.POST or None, dataset=dataset)
    context = {"form": form, "dataset": dataset}
    if request.method != "POST":
        return render(request, "program/public_request_form.html", context)
    if public_requests.over_limit(request):
        context["too_many"] = TOO_MANY
        return render(request, "program/public_request_form.html", context, status=429)
    if form.is_trapped:
        # A robot filled the hidden field: it is told what a person is told, and nothing is kept.
        return render(request, "program/public_request_sent.html")
    if not form.is_valid():
        return render(request, "program/public_request_form.html", context, status=400)
    data = form.cleaned_data
    receipt = public_requests.data_request_receive(
        agency=form.target_agency(),
        dataset=dataset,
        topic=data["topic"],
        summary=data["summary"],
        details=data["details"],
        requester_type=data["requester_type"],
        requester_name=data["requester_name"],
        requester_email=data["requester_email"],
    )
    messages.success(
        request,
        f"Sent to {receipt.request.agency.name}. A receipt with this page's address was e-mailed "
        f"to {receipt.request.requester_email}.",
    )
    return redirect(receipt.status_path)


@require_http_methods(["GET", "POST"])
def request_general(request: HttpRequest) -> HttpResponse:
    return _intake(request)


@require_http_methods(["GET", "POST"])
def request_about_dataset(request: HttpRequest, uid) -> HttpResponse:
    dataset = public_requests.catalog_row(uid)
    if dataset is None:
        raise Http404("No dataset with this identifier is in the catalog.")
    return _intake(request, dataset)


@never_cache
@require_GET
def request_status(request: HttpRequest, token: str) -> HttpResponse:
    entry = public_requests.find_by_token(token)
    if entry is None:
        raise Http404("No request has this link.")
    response = render(request, "program/public_request_status.html", {"entry": entry})
    response["X-Robots-Tag"] = "noindex, nofollow"  # a private link is never a search result
    return response
