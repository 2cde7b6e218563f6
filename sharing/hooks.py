"""sharing's part in the dataset page of inventories (inventories/extensions.py, ADR 0013)."""

from __future__ import annotations

from django.http import HttpRequest

from inventories import extensions as inventory_extensions
from inventories.models import Dataset
from sharing import selectors


def dataset_page_context(request: HttpRequest, dataset: Dataset) -> dict:
    return {"sharing": selectors.dataset_standing(dataset)}


def register() -> None:
    inventory_extensions.dataset_page_context.append(dataset_page_context)
