"""privacy's part in publishing (publishing/extensions.py): the make-public gate and the
privacy panel of the publication page."""

from __future__ import annotations

from django.http import HttpRequest

from privacy import services
from privacy.forms import ScreenForm
from publishing import extensions
from publishing.models import Publication


def page_context(request: HttpRequest, publication: Publication) -> dict:
    return {"screen": publication.privacy_screens.first(), "screen_form": ScreenForm()}


def register() -> None:
    extensions.public_checks.append(services.check_privacy_gate)
    extensions.page_context.append(page_context)
