"""upkeep's part in the apps below it (publishing/extensions.py, inventories/extensions.py): no
push while an asset is retired or being retired, freshness and retirement on the pages."""

from __future__ import annotations

from django.http import HttpRequest

from inventories import extensions as inventory_extensions
from inventories.models import Dataset
from publishing import extensions
from publishing.models import Publication
from upkeep import retirement, sync
from upkeep.freshness import dataset_freshness


def page_context(request: HttpRequest, publication: Publication) -> dict:
    # Imported here, not at start-up: the views pull in DRF and the filters (about 0.3 s), which
    # a command or a worker setting Django up never needs.
    from upkeep.views import retirement_context

    return {
        "freshness": dataset_freshness(publication.dataset),
        **retirement_context(request, publication),
    }


def dataset_page_context(request: HttpRequest, dataset: Dataset) -> dict:
    return {"freshness": dataset_freshness(dataset)}


def register() -> None:
    inventory_extensions.dataset_page_context.append(dataset_page_context)
    extensions.push_blockers.append(retirement.push_blocker)
    extensions.page_context.append(page_context)
    extensions.adoption_checks.append(sync.adoption_check)
