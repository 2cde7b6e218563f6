"""Where the apps above agencies add to an agency member's home page
(docs/adr/0013-apps-by-capability.md, docs/adr/0021-ado-workspace.md).

The home page lives here, at the bottom, yet what an agency has to do this year is the business
of inventories and access_plans. Each registers a panel provider from its AppConfig.ready(); the
home page asks the list without importing them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.http import HttpRequest

    from agencies.models import Agency

# A panel of the agency's card on the home page: a dict with the "template" to include and its
# context (the template reads it as `panel`), or None when the provider has nothing to say.
HomePanel = Callable[["HttpRequest", "Agency"], dict | None]

home_panels: list[HomePanel] = []


def home_extras(request: HttpRequest, agency: Agency) -> list[dict]:
    panels = (provider(request, agency) for provider in home_panels)
    return [panel for panel in panels if panel]
