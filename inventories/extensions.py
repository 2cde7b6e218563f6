"""Where the apps above inventories add to its dataset page (docs/adr/0013-apps-by-capability.md).

Dependencies run downward only, so the dataset page cannot import the freshness of upkeep or
the privacy screens of privacy; each registers its part here from its AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.http import HttpRequest

    from inventories.models import Dataset, Inventory

DatasetContext = Callable[["HttpRequest", "Dataset"], dict]
# Told when the CDO accepts an inventory, inside the acceptance's transaction (the catalog
# queues its portal publication's refresh for after the commit, ADR 0030).
InventoryAccepted = Callable[["Inventory"], None]

dataset_page_context: list[DatasetContext] = []
inventory_accepted: list[InventoryAccepted] = []


def dataset_page_extras(request: HttpRequest, dataset: Dataset) -> dict:
    extras: dict = {}
    for provider in dataset_page_context:
        extras.update(provider(request, dataset))
    return extras


def tell_inventory_accepted(inventory: Inventory) -> None:
    for listener in inventory_accepted:
        listener(inventory)
