"""Writes of the program app: the data requests log, and the inventory figures it feeds."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from agencies.models import Agency
from inventories.models import Dataset, Inventory
from inventories.services import require_editable
from program import data_requests
from program.models import DataRequest

LOG_REASON = "Request figures from the data requests log"


@transaction.atomic
def data_request_create(*, agency: Agency, data: dict[str, Any], acting_user: User) -> DataRequest:
    request = DataRequest(agency=agency, created_by=acting_user, **data)
    request.full_clean()
    request._history_user = acting_user
    request.save()
    _feed_inventories(agency, request.dataset, acting_user)
    return request


@transaction.atomic
def data_request_update(
    *, request: DataRequest, data: dict[str, Any], acting_user: User
) -> DataRequest:
    before = request.dataset
    for name, value in data.items():
        setattr(request, name, value)
    request.full_clean()
    request._history_user = acting_user
    request.save()
    for dataset in {before, request.dataset} - {None}:
        _feed_inventories(request.agency, dataset, acting_user)
    return request


def _feed_inventories(agency: Agency, dataset: Dataset | None, acting_user: User) -> None:
    """A request logged against a data asset updates the asset's row in the agency's editable
    inventories (draft or returned); submitted and accepted inventories are left as filed."""
    if dataset is None:
        return
    for inventory in Inventory.objects.filter(agency=agency, datasets__uid=dataset.uid):
        if inventory.is_editable:
            apply_request_figures(inventory=inventory, acting_user=acting_user, uids=[dataset.uid])


@transaction.atomic
def apply_request_figures(
    *,
    inventory: Inventory,
    acting_user: User | None,
    uids: list | None = None,
    today: datetime.date | None = None,
) -> list[Dataset]:
    """Write the log's last-12-month request counts into an editable inventory.

    `requests_per_year` becomes the logged count when that is higher (the log may miss requests
    made by telephone, so an agency's own larger estimate is kept), and a dataset asked for
    FREQUENT_THRESHOLD times or more is marked frequently requested. Nothing is ever unmarked:
    the department head may know of demand the log does not show. Returns the changed datasets.
    """
    inventory = require_editable(inventory)
    counts = data_requests.requests_by_asset(
        DataRequest.objects.filter(agency=inventory.agency), today=today
    )
    datasets = inventory.datasets.filter(uid__in=list(counts))
    if uids is not None:
        datasets = datasets.filter(uid__in=uids)
    changed = []
    for dataset in datasets.select_related("inventory", "agency"):
        logged = counts[str(dataset.uid)]
        per_year = max(dataset.requests_per_year or 0, logged)
        frequent = dataset.frequently_requested or logged >= data_requests.FREQUENT_THRESHOLD
        if (per_year, frequent) == (dataset.requests_per_year, dataset.frequently_requested):
            continue
        dataset.requests_per_year = per_year
        dataset.frequently_requested = frequent
        dataset._history_user = acting_user
        dataset._change_reason = LOG_REASON
        dataset.save(update_fields=["requests_per_year", "frequently_requested", "updated_at"])
        changed.append(dataset)
    return changed
