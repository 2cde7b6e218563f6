"""Who must prove a second factor, whether this session has, and the middleware that holds
everyone else back until they do (docs/adr/0014-single-sign-on-and-second-factor.md).

A session has proved it by a django-otp device (an authenticator app or a backup code) verified
after sign-in, or by a single sign-on whose signed ID token says the provider checked one.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

from agencies import permissions

# Set by the single sign-on (accounts/oidc.py) when the provider's ID token says it checked a
# second factor. Kept here, not there, so that setting Django up (the admin site imports this
# module) does not load the sign-in backend: mozilla-django-oidc, PyJWT, cryptography, requests.
IDP_MFA_SESSION_KEY = "ctodp_idp_mfa"


def required(user) -> bool:
    return bool(settings.CTODP_OTP_REQUIRED and permissions.needs_second_factor(user))


def proved(request: HttpRequest) -> bool:
    user = request.user
    verified = getattr(user, "is_verified", None)  # installed by django-otp's middleware
    return bool(verified and verified()) or request.session.get(IDP_MFA_SESSION_KEY) is True


def satisfied(request: HttpRequest) -> bool:
    """False only for a signed-in person whose role needs a second factor not yet proved."""
    if not settings.CTODP_OTP_REQUIRED:
        return True  # before touching request.user: no queries when the requirement is off
    user = request.user
    return not (user.is_authenticated and required(user)) or proved(request)


class SecondFactorMiddleware:
    """Sends people who owe a second factor to enrolment (no device yet) or verification, from
    every page but those two and sign-out. Must come after django-otp's OTPMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if satisfied(request) or self._exempt(request.path):
            return self.get_response(request)
        name = "accounts:two_factor_verify"
        if not user_has_device(request.user):
            name = "accounts:two_factor_setup"
        return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")

    @staticmethod
    def _exempt(path: str) -> bool:
        open_paths = (reverse("accounts:two_factor_setup"), reverse("accounts:two_factor_verify"))
        return (
            path in open_paths or path == reverse("logout") or path.startswith(settings.STATIC_URL)
        )
