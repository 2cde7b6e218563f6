"""Reads over the data requests log: response times, overdue requests, and how often each
data asset was asked for (the inventory's "frequently requested" figure)."""

from __future__ import annotations

import datetime
from statistics import median

from django.db.models import Count, QuerySet
from django.utils import timezone

from program.models import DataRequest

FREQUENT_THRESHOLD = 3  # requests in a year that make a dataset "frequently requested"


def median_response_days(requests: QuerySet[DataRequest]) -> float | None:
    """The median of days from receipt to response, over answered requests (one query)."""
    pairs = requests.answered().values_list("received_on", "responded_on")
    days = [(responded - received).days for received, responded in pairs]
    return median(days) if days else None


def overdue_requests(requests: QuerySet[DataRequest]) -> QuerySet[DataRequest]:
    return requests.overdue().select_related("agency", "dataset").order_by("due_date", "pk")


def requests_by_asset(
    requests: QuerySet[DataRequest], *, days: int = 365, today: datetime.date | None = None
) -> dict[str, int]:
    """{dataset uid: requests received in the last `days` days}. Rows of any inventory year
    count for the same data asset, since a uid follows the asset across years."""
    since = (today or timezone.localdate()) - datetime.timedelta(days=days)
    rows = (
        requests.filter(received_on__gt=since, dataset__isnull=False)
        .values("dataset__uid")
        .annotate(n=Count("pk"))
    )
    return {str(row["dataset__uid"]): row["n"] for row in rows}


def log_rows(requests: QuerySet[DataRequest]) -> QuerySet[DataRequest]:
    return requests.select_related("agency", "dataset").order_by("-received_on", "-pk")
