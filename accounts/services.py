"""Creating and revoking API tokens. The plain token exists only in create's return value."""

from __future__ import annotations

import datetime
import secrets

from django.contrib.auth.models import User
from django.utils import timezone

from accounts.models import SHOWN_LENGTH, TOKEN_PREFIX, ApiToken, digest


def token_create(
    *, user: User, name: str, expires_at: datetime.datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token for `user`: the stored record and the plain value, to be shown once."""
    value = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=value[:SHOWN_LENGTH],
        key_digest=digest(value),
        expires_at=expires_at,
    )
    return token, value


def token_revoke(*, token: ApiToken, acting_user: User) -> ApiToken:
    """Revoke for good (a revoked token is never accepted again); revoking twice is harmless."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
