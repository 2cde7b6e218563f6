"""access_plans' panel on an agency member's home page (agencies/extensions.py)."""

from __future__ import annotations

from django.http import HttpRequest

from access_plans.workspace import year_status
from agencies import extensions
from agencies.models import Agency


def home_panel(request: HttpRequest, agency: Agency) -> dict:
    status = year_status(request.user, agency)
    return {"template": "access_plans/_year_status.html", "status": status}


def register() -> None:
    extensions.home_panels.append(home_panel)
