"""upkeep's part in publishing (publishing/extensions.py): no push while an asset is retired
or being retired, and the freshness and retirement panels of the publication page."""

from __future__ import annotations

from django.http import HttpRequest

from publishing import extensions
from publishing.models import Publication
from upkeep import retirement
from upkeep.freshness import dataset_freshness
from upkeep.views import retirement_context


def page_context(request: HttpRequest, publication: Publication) -> dict:
    return {
        "freshness": dataset_freshness(publication.dataset),
        **retirement_context(request, publication),
    }


def register() -> None:
    extensions.push_blockers.append(retirement.push_blocker)
    extensions.page_context.append(page_context)
