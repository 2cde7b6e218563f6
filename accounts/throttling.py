"""Sign-in throttling (django-axes) on the real client address (ADR 0016).

Two limits, counted over the cool-off period:
- an account from one address: `CTODP_LOGIN_FAILURE_LIMIT` failures (5) lock that pair only, so
  someone guessing `cdo`'s password does not lock the CDO out from her own desk;
- one address across accounts: `CTODP_LOGIN_ADDRESS_FAILURE_LIMIT` failures (20) lock the
  address, whatever username it tries next (password spraying).

Behind the production proxy every request comes from the proxy's address: the client's is read
from X-Forwarded-For, counting `CTODP_TRUSTED_PROXY_COUNT` entries from the right (each trusted
proxy appends the address it was reached from; anything further left the client wrote itself).
"""

from __future__ import annotations

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address the outermost trusted proxy was reached from (REMOTE_ADDR without proxies)."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.CTODP_TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    chain = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [hop for hop in chain if hop]
    if len(chain) < count:
        # Fewer hops than proxies: the request did not come through them all (or a proxy does
        # not set the header); an address the client could have written is not trusted.
        return remote
    candidate = chain[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


class LoginThrottleHandler(AxesDatabaseHandler):
    """axes counts failures per lockout parameter set and compares the largest with one limit;
    here the address-wide count is scaled so that it reaches that limit at its own, higher one.
    AXES_LOCKOUT_PARAMETERS is [["username", "ip_address"], "ip_address"], in that order."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        counts = [
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]
        per_account, per_address = [*counts, 0, 0][:2]
        limit = settings.AXES_FAILURE_LIMIT
        return max(per_account, per_address * limit // settings.CTODP_LOGIN_ADDRESS_FAILURE_LIMIT)

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """A successful sign-in clears that account's failures from that address only: signing
        in to one's own account must not wipe the address's failures on other accounts."""
        username = get_client_username(request, credentials)
        attempts = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        )
        deleted, _ = attempts.delete()
        return deleted
