"""Single sign-on with the state's identity provider (OpenID Connect, mozilla-django-oidc).

The backend matches people by e-mail (or creates them), maps the provider's group claims to the
staff groups on every sign-in, and notes whether the provider vouched for a second factor (an
`amr` claim in the signed ID token). Agency memberships stay managed in ctodp.
docs/adr/0014-single-sign-on-and-second-factor.md
"""

from __future__ import annotations

import logging
from typing import Any

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import Group, User
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from accounts.second_factor import IDP_MFA_SESSION_KEY
from agencies import permissions

logger = logging.getLogger(__name__)


def sso_enabled() -> bool:
    return bool(settings.CTODP_OIDC_ENABLED)


def mapped_staff_groups(claims: dict[str, Any]) -> set[str]:
    """The staff groups the provider's group claim grants, by CTODP_OIDC_GROUP_MAP."""
    values = claims.get(settings.CTODP_OIDC_GROUPS_CLAIM) or []
    if isinstance(values, str):
        values = [values]
    group_map = settings.CTODP_OIDC_GROUP_MAP
    return {group_map[value] for value in values if value in group_map}


def staff_groups_apply(*, user: User, granted: set[str]) -> None:
    """Make the user's mapped staff groups exactly `granted`. Groups the map never mentions are
    left alone: those are managed in ctodp (the admin), not by the provider."""
    managed = set(settings.CTODP_OIDC_GROUP_MAP.values())
    held = set(user.groups.filter(name__in=managed).values_list("name", flat=True))
    for name in sorted(granted - held):
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    if held - granted:
        user.groups.remove(*Group.objects.filter(name__in=held - granted))
    if granted != held:
        logger.info("sso: %s staff groups now %s", user.username, sorted(granted))
        permissions.forget(user)


def provider_vouched_mfa(payload: dict[str, Any]) -> bool:
    """True when the signed ID token says the provider checked a second factor."""
    amr = payload.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    return bool(set(amr) & set(settings.CTODP_OIDC_MFA_AMR))


class StateIdentityBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        if not sso_enabled():
            return None
        try:
            return super().authenticate(request, **kwargs)
        except (SuspiciousOperation, requests.RequestException) as error:
            # A bad token or an unreachable provider: the sign-in fails with a message, not a 500.
            logger.warning("sso: sign-in refused: %s", error)
            return None

    def verify_token(self, token, **kwargs):
        """mozilla-django-oidc checks the signature, expiry and nonce; add issuer and audience,
        so a token the provider minted for another application is refused."""
        payload = super().verify_token(token, **kwargs)
        if kwargs.get("nonce") is None:
            return payload  # a signed userinfo answer, not an ID token
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if payload.get("iss") != settings.CTODP_OIDC_ISSUER:
            raise SuspiciousOperation("ID token from another issuer")
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token for another audience")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        """Entra ID puts groups in the ID token and not in userinfo: read both."""
        userinfo = super().get_userinfo(access_token, id_token, payload)
        return {**payload, **userinfo}

    def verify_claims(self, claims) -> bool:
        # Matching by an address the provider says it did not verify would hand over accounts.
        return bool(claims.get("email")) and claims.get("email_verified") is not False

    def get_username(self, claims) -> str:
        return claims["email"].lower()

    def create_user(self, claims):
        user = self.UserModel.objects.create_user(
            self.get_username(claims), email=claims["email"].lower()
        )  # no usable password: this person signs in through the provider only
        return self.update_user(user, claims)

    def update_user(self, user, claims):
        names = {
            "first_name": (claims.get("given_name") or "")[:150],
            "last_name": (claims.get("family_name") or "")[:150],
        }
        changed = [f for f, value in names.items() if value and getattr(user, f) != value]
        for field in changed:
            setattr(user, field, names[field])
        if changed:
            user.save(update_fields=changed)
        staff_groups_apply(user=user, granted=mapped_staff_groups(claims))
        return user

    def get_or_create_user(self, access_token, id_token, payload):
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is not None:
            user.ctodp_idp_mfa = provider_vouched_mfa(payload)
        return user


def _require_sso(view):
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not sso_enabled():
            raise Http404("Single sign-on is off.")
        return view(request, *args, **kwargs)

    return wrapped


@method_decorator(_require_sso, name="dispatch")
class SignInStart(OIDCAuthenticationRequestView):
    """Sends the browser to the provider (state, nonce and PKCE kept in the session)."""


@method_decorator(_require_sso, name="dispatch")
class SignInCallback(OIDCAuthenticationCallbackView):
    def login_success(self) -> HttpResponse:
        response = super().login_success()
        # Set after login(): a flushed session would otherwise lose it (and only ask for more).
        self.request.session[IDP_MFA_SESSION_KEY] = bool(getattr(self.user, "ctodp_idp_mfa", False))
        return response

    def login_failure(self) -> HttpResponse:
        messages.error(
            self.request,
            "Single sign-on did not complete. Try again, or ask a portal administrator.",
        )
        return redirect("login")
