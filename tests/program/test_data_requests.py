"""The data requests log: logging, median response time, the overdue list, and the count per
data asset that feeds the inventory's "frequently requested" figure."""

import datetime

import pytest
from django.urls import reverse

from program import data_requests, services
from program.models import DataRequest, RequestStatus
from tests.inventories.factories import DatasetFactory, InventoryFactory
from tests.program.conftest import WORLD_DAY

# One clock for the world and the test (tests/clock.py): the day its figures are known for.
pytestmark = pytest.mark.clock(WORLD_DAY)

D = datetime.date


def _log(agency, received, due, responded=None, dataset=None, status=None):
    return DataRequest.objects.create(
        agency=agency,
        received_on=received,
        due_date=due,
        responded_on=responded,
        dataset=dataset,
        requester_type="public",
        summary="Please send the data",
        status=status or (RequestStatus.FULFILLED if responded else RequestStatus.OPEN),
    )


@pytest.fixture
def log_a(agency_a, agency_b):
    _log(agency_a, D(2026, 1, 1), D(2026, 1, 15), responded=D(2026, 1, 3))  # 2 days
    _log(agency_a, D(2026, 1, 1), D(2026, 1, 15), responded=D(2026, 1, 11))  # 10 days
    _log(agency_a, D(2026, 1, 1), D(2026, 1, 15), responded=D(2026, 1, 5))  # 4 days
    _log(agency_a, D(2026, 2, 1), D(2026, 2, 10))  # open, overdue from Feb 11
    _log(agency_a, D(2026, 2, 1), D(2026, 3, 10))  # open, not yet due
    _log(agency_b, D(2026, 1, 1), D(2026, 1, 2), responded=D(2026, 1, 30))  # beta: 29 days


def test_median_response_days_per_agency(agency_a, log_a):
    assert data_requests.median_response_days(DataRequest.objects.filter(agency=agency_a)) == 4
    assert data_requests.median_response_days(DataRequest.objects.all()) == 7


@pytest.mark.clock(datetime.datetime(2026, 2, 20, 12, tzinfo=datetime.UTC))
def test_overdue_list_is_open_requests_past_due(agency_a, log_a):
    overdue = list(data_requests.overdue_requests(DataRequest.objects.filter(agency=agency_a)))
    assert [(r.received_on, r.due_date) for r in overdue] == [(D(2026, 2, 1), D(2026, 2, 10))]


@pytest.mark.clock(datetime.datetime(2026, 2, 20, 12, tzinfo=datetime.UTC))
def test_scorecard_shows_median_and_overdue(client, ado_a, log_a):
    client.force_login(ado_a)
    response = client.get(reverse("program:scorecard", args=["alpha"]), {"year": 2026})
    card = response.context["card"]
    assert card.median_response_days == 4
    assert len(card.overdue_requests) == 1
    assert card.open_requests == 2


@pytest.mark.clock(datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC))
def test_requests_count_per_data_asset_across_years(agency_a):
    old = DatasetFactory(inventory=InventoryFactory(agency=agency_a, year=2025), title="Roads")
    new = DatasetFactory(inventory=InventoryFactory(agency=agency_a, year=2026), uid=old.uid)
    _log(agency_a, D(2025, 9, 1), D(2025, 9, 20), dataset=old)
    _log(agency_a, D(2026, 3, 1), D(2026, 3, 20), dataset=new)
    _log(agency_a, D(2025, 1, 1), D(2025, 1, 20), dataset=old)  # more than a year ago
    counts = data_requests.requests_by_asset(DataRequest.objects.filter(agency=agency_a))
    assert counts == {str(old.uid): 2}


def test_ado_logs_a_request_and_records_the_answer(client, ado_a, agency_a):
    dataset = DatasetFactory(inventory=InventoryFactory(agency=agency_a, year=2026))
    client.force_login(ado_a)
    data = {
        "received_on": "2026-04-01",
        "requester_type": "media",
        "summary": "Bridge ratings by town",
        "dataset": dataset.pk,
        "due_date": "2026-04-15",
        "status": "open",
    }
    response = client.post(reverse("program:request-create", args=["alpha"]), data)
    assert response.status_code == 302
    entry = DataRequest.objects.get()
    assert (entry.agency, entry.dataset, entry.created_by) == (agency_a, dataset, ado_a)
    data.update(status="fulfilled", responded_on="2026-04-09")
    client.post(reverse("program:request-edit", args=["alpha", entry.pk]), data)
    entry.refresh_from_db()
    assert (entry.status, entry.response_days) == ("fulfilled", 8)


def test_form_refuses_bad_dates_and_other_agencies_datasets(client, ado_a, agency_b):
    foreign = DatasetFactory(inventory=InventoryFactory(agency=agency_b, year=2026))
    client.force_login(ado_a)
    data = {
        "received_on": "2026-04-10",
        "requester_type": "public",
        "summary": "x",
        "dataset": foreign.pk,
        "due_date": "2026-04-01",
        "status": "fulfilled",
    }
    response = client.post(reverse("program:request-create", args=["alpha"]), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"dataset", "due_date", "responded_on"} <= set(errors)
    assert not DataRequest.objects.exists()


def _request_data(dataset, received="2026-04-01"):
    return {
        "received_on": received,
        "requester_type": "public",
        "summary": "Bridge ratings by town",
        "dataset": dataset.pk,
        "due_date": "2026-04-15",
        "status": "open",
    }


@pytest.mark.clock(datetime.datetime(2026, 4, 20, 12, tzinfo=datetime.UTC))
def test_logged_requests_feed_the_editable_inventory(client, ado_a, agency_a):
    """Each request logged against a dataset raises its requests-a-year figure; the third marks
    it frequently requested; a submitted inventory is left as filed."""
    draft = DatasetFactory(
        inventory=InventoryFactory(agency=agency_a, year=2026),
        frequently_requested=False,
        requests_per_year=None,
    )
    filed = DatasetFactory(
        inventory=InventoryFactory(agency=agency_a, year=2025, status="submitted"),
        uid=draft.uid,
        frequently_requested=False,
        requests_per_year=None,
    )
    client.force_login(ado_a)
    url = reverse("program:request-create", args=["alpha"])
    for n in range(3):
        client.post(url, _request_data(draft, received=f"2026-04-0{n + 1}"))
        draft.refresh_from_db()
        assert draft.requests_per_year == n + 1
        assert draft.frequently_requested == (n + 1 >= data_requests.FREQUENT_THRESHOLD)
    assert draft.history.latest().history_change_reason.startswith("Request figures")
    assert draft.history.latest().history_user == ado_a
    filed.refresh_from_db()
    assert (filed.requests_per_year, filed.frequently_requested) == (None, False)


@pytest.mark.clock(datetime.datetime(2026, 4, 20, 12, tzinfo=datetime.UTC))
def test_the_log_never_lowers_an_agencys_own_estimate(agency_a, ado_a):
    dataset = DatasetFactory(
        inventory=InventoryFactory(agency=agency_a, year=2026),
        frequently_requested=True,
        requests_per_year=40,
    )
    services.data_request_create(
        agency=agency_a,
        data={
            **_request_data(dataset),
            "dataset": dataset,
            "received_on": D(2026, 4, 1),
            "due_date": D(2026, 4, 15),
        },
        acting_user=ado_a,
    )
    dataset.refresh_from_db()
    assert (dataset.requests_per_year, dataset.frequently_requested) == (40, True)


@pytest.mark.clock(datetime.datetime(2026, 4, 20, 12, tzinfo=datetime.UTC))
def test_scorecard_button_applies_the_log_to_a_draft_inventory(client, ado_a, viewer_a, agency_a):
    inventory = InventoryFactory(agency=agency_a, year=2026)
    dataset = DatasetFactory(inventory=inventory, frequently_requested=False, requests_per_year=1)
    for day in (1, 2, 3, 4):  # logged straight into the table, as an import of old records would
        _log(agency_a, D(2026, 4, day), D(2026, 4, 20), dataset=dataset)
    scorecard = reverse("program:scorecard", args=["alpha"])
    apply = reverse("program:requests-apply", args=["alpha", 2026])

    client.force_login(viewer_a)
    assert "Update the 2026 inventory" not in client.get(scorecard, {"year": 2026}).text
    assert client.post(apply).status_code == 403

    client.force_login(ado_a)
    assert "Update the 2026 inventory from the log" in client.get(scorecard, {"year": 2026}).text
    response = client.post(apply, follow=True)
    assert "Request figures updated for 1" in response.text
    dataset.refresh_from_db()
    assert (dataset.requests_per_year, dataset.frequently_requested) == (4, True)

    inventory.status = "submitted"
    inventory.save()
    response = client.post(apply, follow=True)
    assert "can be changed again only if the reviewer returns it" in response.text


def test_applying_the_log_to_another_agencys_inventory_is_404(client, ado_b, agency_a):
    InventoryFactory(agency=agency_a, year=2026)
    client.force_login(ado_b)
    assert client.post(reverse("program:requests-apply", args=["alpha", 2026])).status_code == 404
