"""The CDO's queue of privacy exceptions waiting for a decision (ADR 0019)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from agencies import permissions
from privacy.models import PrivacyException


@login_required
@require_GET
def pending_exceptions(request: HttpRequest) -> HttpResponse:
    """Program staff: every exception requested and not yet approved, oldest first."""
    if not permissions.is_program_staff(request.user):
        raise PermissionDenied
    pending = PrivacyException.objects.pending().select_related(
        "publication__dataset", "publication__agency", "screen", "requested_by"
    )
    return render(request, "privacy/exceptions.html", {"pending": pending})
