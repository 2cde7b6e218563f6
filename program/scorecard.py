"""One agency's scorecard: the dashboard's figures, and the lists behind them."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from access_plans.choices import PUBLISHING_INTENTS, Intent
from access_plans.models import PlanItem
from access_plans.selectors import Actual, publication_actuals
from agencies.models import Agency
from program import data_requests
from program.freshness import PublicationState, publication_states
from program.models import DataRequest
from program.selectors import AgencyRow, dashboard_rows
from publishing.models import Publication
from sharing.selectors import OpmStatus, opm_statuses


@dataclass
class Scorecard:
    row: AgencyRow
    planned: list[tuple[PlanItem, Actual]] = field(default_factory=list)
    retiring: list[PlanItem] = field(default_factory=list)
    stale: list[PublicationState] = field(default_factory=list)
    failing: list[PublicationState] = field(default_factory=list)
    median_response_days: float | None = None
    overdue_requests: list[DataRequest] = field(default_factory=list)
    open_requests: int = 0
    frequently_requested: list[tuple[str, str, int, bool]] = field(default_factory=list)
    opm_agreement: str = OpmStatus.NONE  # ADR 0026


def _items(row: AgencyRow) -> tuple[list[tuple[PlanItem, Actual]], list[PlanItem]]:
    if row.plan is None:
        return [], []
    items = list(row.plan.items.select_related("dataset").order_by("target_date", "pk"))
    planned = [item for item in items if item.intent in PUBLISHING_INTENTS]
    actuals = publication_actuals(planned)
    retiring = [item for item in items if item.intent == Intent.RETIRE]
    return [(item, actuals[item.pk]) for item in planned], retiring


def _frequently_requested(agency: Agency, row: AgencyRow) -> list[tuple[str, str, int, bool]]:
    """(dataset title, link, requests in the last year, marked frequently requested)."""
    counts = data_requests.requests_by_asset(DataRequest.objects.filter(agency=agency))
    if row.inventory is None or not counts:
        return []
    datasets = row.inventory.datasets.filter(uid__in=list(counts)).select_related("agency")
    result = [
        (d.title, d.get_absolute_url(), counts[str(d.uid)], d.frequently_requested)
        for d in datasets.select_related("inventory")
    ]
    return sorted(result, key=lambda entry: -entry[2])


def scorecard(agency: Agency, year: int) -> Scorecard:
    states = publication_states(Publication.objects.filter(agency=agency))
    row = dashboard_rows(year, Agency.objects.filter(pk=agency.pk), states)[0]
    card = Scorecard(row)
    card.planned, card.retiring = _items(row)
    now = timezone.now()
    card.failing = [state for state in states if state.failing]
    card.stale = [state for state in states if state.is_stale(now)]
    requests = DataRequest.objects.filter(agency=agency)
    card.median_response_days = data_requests.median_response_days(requests)
    card.overdue_requests = list(data_requests.overdue_requests(requests))
    card.open_requests = requests.open().count()
    card.frequently_requested = _frequently_requested(agency, row)
    card.opm_agreement = opm_statuses([agency])[agency.pk]
    return card
