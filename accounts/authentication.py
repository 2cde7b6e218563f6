"""DRF authentication by API token: `Authorization: Token <value>` or `Bearer <value>`.

The request then acts as the token's owner, with the owner's permissions (agency isolation
included); revoked and expired tokens, and tokens of inactive users, are refused.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from accounts.models import ApiToken, digest

SCHEMES = {b"token", b"bearer"}
# last_used_at is written at most this often per token: one UPDATE per minute, not per request.
TOUCH_EVERY = datetime.timedelta(minutes=1)


class ApiTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() not in SCHEMES:
            return None  # not ours: the session (or nothing) decides
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Send the header as: Token <value>.")
        try:
            value = parts[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        return self._owner(value)

    def _owner(self, value: str):
        now = timezone.now()
        token = (
            ApiToken.objects.active(now)
            .select_related("user")
            .filter(key_digest=digest(value), user__is_active=True)
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid, expired or revoked token.")
        if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return "Token"  # so an unauthenticated call answers 401 with WWW-Authenticate


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token from your account's API tokens page, sent as "
            "`Authorization: Bearer <value>` (or `Token <value>`).",
        }
