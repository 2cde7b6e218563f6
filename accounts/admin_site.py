from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.admin import AdminSite
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from accounts import second_factor
from agencies import permissions

# What the admin's home shows above the app list: each panel takes the request and returns
# template context. The apps above fill it in their AppConfig.ready() (program adds the CDO's
# workspace, docs/adr/0020-cdo-workspace.md), as publishing/extensions.py works for publishing.
index_panels: list[Callable[[HttpRequest], dict[str, Any]]] = []


class CtodpAdminSite(AdminSite):
    site_header = "ctodp administration"
    site_title = "ctodp admin"
    index_title = "Open data program administration"
    index_template = "admin/ctodp_index.html"

    def index(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        context: dict[str, Any] = {}
        for panel in index_panels:
            context.update(panel(request))
        return super().index(request, {**context, **(extra_context or {})})

    def has_permission(self, request: HttpRequest) -> bool:
        # The second factor too, should a request reach the admin around the middleware.
        return permissions.may_use_admin(request.user) and second_factor.satisfied(request)

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        """Without local passwords the admin's own form has nothing to check: one door."""
        if not settings.CTODP_LOCAL_LOGIN_ENABLED:
            next_url = request.GET.get("next") or reverse("admin:index")
            return redirect(f"{reverse('login')}?{urlencode({'next': next_url})}")
        return super().login(request, extra_context)
