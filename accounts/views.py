"""Sign-in (local and single sign-on), password reset, the second factor, and API tokens."""

from __future__ import annotations

import datetime
import logging
from base64 import b32encode
from binascii import unhexlify

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import user_has_device

from accounts import second_factor, services
from accounts.forms import (
    EnrolForm,
    ResetPasswordForm,
    ResetRequestForm,
    SecondFactorForm,
    TokenCreateForm,
)
from accounts.oidc import sso_enabled
from agencies import permissions

logger = logging.getLogger(__name__)

# --- Sign-in and password reset --------------------------------------------------------------


def local_only(view):
    """Password pages exist only while local passwords do."""

    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not settings.CTODP_LOCAL_LOGIN_ENABLED:
            raise Http404("Local passwords are off: sign in with single sign-on.")
        return view(request, *args, **kwargs)

    return wrapped


class SignInView(auth_views.LoginView):
    """The one door: the SSO button when single sign-on is on, the password form unless off."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            sso_enabled=sso_enabled(),
            sso_label=settings.CTODP_OIDC_BUTTON_LABEL,
            local_enabled=settings.CTODP_LOCAL_LOGIN_ENABLED,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not settings.CTODP_LOCAL_LOGIN_ENABLED:
            raise PermissionDenied("Local passwords are off.")
        return super().post(request, *args, **kwargs)


def _over_limit(request: HttpRequest) -> bool:
    """At most CTODP_PASSWORD_RESET_LIMIT requests an hour per client address and per e-mail."""
    keys = [
        f"pwreset:ip:{request.META.get('REMOTE_ADDR', '')}",
        f"pwreset:email:{request.POST.get('email', '').strip().lower()}",
    ]
    over = False
    for key in keys:
        cache.add(key, 0, timeout=3600)
        over = cache.incr(key) > settings.CTODP_PASSWORD_RESET_LIMIT or over
    return over


@method_decorator(local_only, name="dispatch")
class ResetRequestView(auth_views.PasswordResetView):
    form_class = ResetRequestForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        if _over_limit(self.request):
            # The same answer as a sent mail: neither the limit nor the account is revealed.
            logger.warning("password reset throttled for %s", self.request.META.get("REMOTE_ADDR"))
            return redirect(self.success_url)
        return super().form_valid(form)


@method_decorator(local_only, name="dispatch")
class ResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = ResetPasswordForm
    success_url = reverse_lazy("password_reset_complete")


reset_done = local_only(auth_views.PasswordResetDoneView.as_view())
reset_complete = local_only(auth_views.PasswordResetCompleteView.as_view())

# --- Second factor ---------------------------------------------------------------------------

PENDING_KEY = "ctodp_totp_pending_key"


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if safe else resolve_url(settings.LOGIN_REDIRECT_URL)


def _to(name: str, request: HttpRequest) -> HttpResponse:
    return redirect(f"{reverse(name)}?{urlencode({'next': _next_url(request)})}")


def _qr_data_uri(config_url: str) -> str:
    # An <img> with a data: URI: no inline script or style for the CSP to refuse.
    return segno.make(config_url, error="m").svg_data_uri(scale=5, border=2)


@never_cache  # the page carries the secret
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: QR code and secret, then a code to prove the app has it.
    A second enrolment (a new phone) needs this session to have proved the current one."""
    if not permissions.needs_second_factor(request.user):
        raise Http404("A second factor is for the CDO, portal administrators and superusers.")
    if user_has_device(request.user) and not second_factor.proved(request):
        return _to("accounts:two_factor_verify", request)
    key = request.session.get(PENDING_KEY) or services.totp_key_new()
    request.session[PENDING_KEY] = key
    form = EnrolForm(request.POST or None)
    if form.is_valid():
        device = services.totp_device_confirm(
            user=request.user, key=key, code=form.cleaned_data["code"]
        )
        if device is not None:
            del request.session[PENDING_KEY]
            otp_login(request, device)
            codes = services.backup_codes_replace(user=request.user)
            context = {"codes": codes, "next": _next_url(request), "enrolled": True}
            return render(request, "accounts/backup_codes.html", context)
        form.add_error("code", "That code did not match. Check the app and try the newest code.")
    context = {
        "form": form,
        "qr": _qr_data_uri(services.totp_config_url(user=request.user, key=key)),
        "secret": b32encode(unhexlify(key)).decode(),
        "next": _next_url(request),
        "required": second_factor.required(request.user),
        "replacing": user_has_device(request.user),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    if not user_has_device(request.user):
        return _to("accounts:two_factor_setup", request)
    form = SecondFactorForm(request.POST or None)
    if form.is_valid():
        device = services.second_factor_verify(user=request.user, code=form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            if device.name == services.BACKUP_DEVICE_NAME:
                left = device.token_set.count()
                messages.warning(request, f"You used a backup code; {left} left.")
            return redirect(_next_url(request))
        form.add_error("code", "That code did not work. Wait a moment and try the newest code.")
    context = {"form": form, "next": _next_url(request)}
    return render(request, "accounts/two_factor_verify.html", context)


@never_cache  # the answer carries the codes' only copy
@login_required
@require_POST
def backup_codes_renew(request: HttpRequest) -> HttpResponse:
    if not second_factor.proved(request) or not user_has_device(request.user):
        raise PermissionDenied("Prove your second factor first.")
    codes = services.backup_codes_replace(user=request.user)
    return render(request, "accounts/backup_codes.html", {"codes": codes, "next": "/"})


# --- API tokens ------------------------------------------------------------------------------


def _page(request: HttpRequest, form: TokenCreateForm, **extra) -> HttpResponse:
    tokens = request.user.api_tokens.all()
    return render(request, "accounts/tokens.html", {"form": form, "tokens": tokens, **extra})


@login_required
@require_GET
def token_list(request: HttpRequest) -> HttpResponse:
    return _page(request, TokenCreateForm())


@never_cache  # the answer carries the token's only copy: no cache may keep it
@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenCreateForm(request.POST)
    if not form.is_valid():
        return _page(request, form)
    days = form.cleaned_data["expires"]
    expires_at = timezone.now() + datetime.timedelta(days=int(days)) if days else None
    token, value = services.token_create(
        user=request.user, name=form.cleaned_data["name"], expires_at=expires_at
    )
    return _page(request, TokenCreateForm(), created=token, value=value)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = permissions.get_api_token_for_user(request.user, pk)
    services.token_revoke(token=token, acting_user=request.user)
    messages.success(request, f"The token “{token.name}” is revoked.")
    return redirect("accounts:tokens")
