"""Where the apps above publishing plug into it (docs/adr/0013-apps-by-capability.md).

Dependencies run downward only: privacy and upkeep know publishing, publishing knows neither.
Yet privacy decides whether a publication may go public, and upkeep whether it may be pushed
at all (a retirement under way or done). Each registers its rules here from its AppConfig.ready(),
and publishing asks the lists without importing them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

if TYPE_CHECKING:
    from django.http import HttpRequest

    from publishing.models import Publication

# Raises ValidationError (a message for the person) when the publication may not be public:
# run before "make public" and before any push to an asset that is already public.
PublicCheck = Callable[["Publication"], None]
# Why no push may run now ("" if none): the page hides the button, run_start refuses, the
# schedule records the skip with this reason.
PushBlocker = Callable[["Publication"], str]
# Raises ValidationError (on "portal_id", for the person) when the agency may not adopt the
# existing portal asset (upkeep: the portal sync knows each asset's owner). ADR 0016.
AdoptionCheck = Callable[..., None]  # (*, agency, portal_id, acting_user)
# More context for the publication page: the panels of the apps above (their templates are
# included by name in publishing/detail.html).
PageContext = Callable[["HttpRequest", "Publication"], dict]

# A built-in source (SourceKind.CATALOG, .RETIRED): the header and the rows, as the app that
# owns them exports them (catalog: /catalog.csv, /catalog/retired.csv). ADR 0030.
BuiltinSource = Callable[[], tuple[list[str], Iterable[list]]]

public_checks: list[PublicCheck] = []
push_blockers: list[PushBlocker] = []
page_context: list[PageContext] = []
adoption_checks: list[AdoptionCheck] = []
builtin_sources: dict[str, BuiltinSource] = {}


def check_public(publication: Publication) -> None:
    for check in public_checks:
        check(publication)


def public_refusal(publication: Publication) -> str:
    """Why the publication may not be public now, in words ("" if it may)."""
    try:
        check_public(publication)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


def push_blocked(publication: Publication) -> str:
    for blocker in push_blockers:
        reason = blocker(publication)
        if reason:
            return reason
    return ""


def page_extras(request: HttpRequest, publication: Publication) -> dict:
    extras: dict = {}
    for provider in page_context:
        extras.update(provider(request, publication))
    return extras
