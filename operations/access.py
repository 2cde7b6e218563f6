"""Who may read the operators' endpoints (/health/, /metrics): a caller with the operations
token (CTODP_OPS_TOKEN) as `Authorization: Bearer <token>`. Without a token configured the
endpoints do not exist (404): they say how the installation is built."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def refusal(request: HttpRequest) -> HttpResponse | None:
    """None when the caller may read; else the answer to give (404 off, 401 no/wrong token)."""
    expected = settings.CTODP_OPS_TOKEN
    if not expected:
        return HttpResponse("Not found", status=404, content_type="text/plain")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    matches = hmac.compare_digest(given.strip().encode(), expected.encode())
    if scheme.lower() == "bearer" and matches:
        return None
    response = HttpResponse("The operations token is required.", status=401)
    response["WWW-Authenticate"] = 'Bearer realm="ctodp operations"'
    response["Content-Type"] = "text/plain"
    return response
