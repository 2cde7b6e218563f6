"""Where the apps above inventories add to its dataset page (docs/adr/0013-apps-by-capability.md).

Dependencies run downward only, so the dataset page cannot import the freshness of upkeep or
the privacy screens of privacy; each registers its part here from its AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.http import HttpRequest

    from inventories.models import Dataset

DatasetContext = Callable[["HttpRequest", "Dataset"], dict]

dataset_page_context: list[DatasetContext] = []


def dataset_page_extras(request: HttpRequest, dataset: Dataset) -> dict:
    extras: dict = {}
    for provider in dataset_page_context:
        extras.update(provider(request, dataset))
    return extras
