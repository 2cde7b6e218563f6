"""Each person's API tokens: list, create (the value is shown once), revoke."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts import services
from accounts.forms import TokenCreateForm
from agencies import permissions


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
