"""Freshness states on a frozen clock: fresh, due soon, stale (after the grace), unknown."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from publishing.models import Publication, PublicationRun, RunStatus
from tests.inventories.factories import DatasetFactory, InventoryFactory
from upkeep.freshness import Freshness, check, dataset_freshness, datasets_freshness
from upkeep.models import PortalAsset

UTC = datetime.UTC
MARCH_1 = datetime.datetime(2026, 3, 1, tzinfo=UTC)


def at(moment: datetime.datetime):
    return time_machine.travel(moment, tick=False)


def days(value: float) -> datetime.timedelta:
    return datetime.timedelta(days=value)


@pytest.mark.parametrize(
    ("elapsed", "state"),
    [
        (days(0), Freshness.FRESH),
        (days(24.79), Freshness.FRESH),  # monthly = 31 days; the last fifth starts at 24.8
        (days(24.8), Freshness.DUE_SOON),
        (days(31), Freshness.DUE_SOON),  # due now, inside the grace of 3.1 days
        (days(34.1), Freshness.DUE_SOON),  # the last moment of the grace
        (days(34.1) + datetime.timedelta(seconds=1), Freshness.STALE),
        (days(400), Freshness.STALE),
    ],
)
def test_a_monthly_dataset_by_days_since_its_last_update(elapsed, state):
    with at(MARCH_1 + elapsed):
        result = check("Monthly", MARCH_1)

    assert result.state == state
    assert result.due_at == MARCH_1 + days(31)
    assert result.stale_after == MARCH_1 + days(34.1)


def test_the_grace_is_at_least_one_day():
    """Daily: 10% of a day is less than the one-day minimum, so stale only after two days."""
    with at(MARCH_1 + days(2)):
        edge = check("Daily", MARCH_1)
    with at(MARCH_1 + days(2) + datetime.timedelta(seconds=1)):
        after = check("Daily", MARCH_1)
    with at(MARCH_1 + datetime.timedelta(hours=19)):
        early = check("Daily", MARCH_1)
    with at(MARCH_1 + datetime.timedelta(hours=20)):
        soon = check("Daily", MARCH_1)

    assert (edge.state, after.state) == (Freshness.DUE_SOON, Freshness.STALE)
    assert (early.state, soon.state) == (Freshness.FRESH, Freshness.DUE_SOON)


def test_the_grace_is_a_setting(settings):
    settings.CTODP_FRESHNESS_GRACE = 0.5  # half the interval

    with at(MARCH_1 + days(45)):
        assert check("Monthly", MARCH_1).state == Freshness.DUE_SOON
    with at(MARCH_1 + days(47)):
        assert check("Monthly", MARCH_1).state == Freshness.STALE


@pytest.mark.parametrize("frequency", ["As needed", "Other", "Not updated (historical only)", ""])
def test_irregular_frequencies_are_unknown(frequency):
    with at(MARCH_1 + days(1000)):
        result = check(frequency, MARCH_1)

    assert result.state == Freshness.UNKNOWN
    assert result.due_at is None


def test_without_any_update_date_it_is_unknown():
    assert check("Monthly", None).state == Freshness.UNKNOWN


# --- per dataset, from the portal and from runs ---------------------------------------------


def _asset(dataset, portal_id: str, updated: datetime.datetime) -> PortalAsset:
    return PortalAsset.objects.create(
        portal_id=portal_id,
        name=dataset.title,
        dataset=dataset,
        agency=dataset.agency,
        data_updated_at=updated,
        first_seen_at=updated,
        last_seen_at=updated,
    )


def _success(dataset, user, finished: datetime.datetime) -> None:
    publication = Publication.objects.create(
        dataset=dataset, agency=dataset.agency, created_by=user
    )
    run = PublicationRun.objects.create(publication=publication, status=RunStatus.SUCCEEDED)
    PublicationRun.objects.filter(pk=run.pk).update(finished_at=finished)


@pytest.mark.django_db
def test_a_dataset_is_as_fresh_as_the_latest_of_portal_update_and_successful_run(ado_a, agency_a):
    portal_only = DatasetFactory(inventory__agency=agency_a, title="Portal only")
    _asset(portal_only, "port-0001", MARCH_1)
    both = DatasetFactory(inventory=portal_only.inventory, title="Both")
    _asset(both, "both-0001", MARCH_1)
    _success(both, ado_a, MARCH_1 + days(20))  # the run is later than the portal's date
    neither = DatasetFactory(inventory=portal_only.inventory, title="Neither")

    with at(MARCH_1 + days(45)):  # 45 days after the portal's date, 25 after the run
        found = {e.dataset.title: e for e in datasets_freshness(agency_a.datasets.all())}

    assert found["Portal only"].check.state == Freshness.STALE
    assert found["Both"].check.state == Freshness.DUE_SOON
    assert found["Both"].check.last_updated == MARCH_1 + days(20)
    assert found["Both"].portal_updated_at == MARCH_1
    assert found["Neither"].check.state == Freshness.UNKNOWN
    assert neither.pk == found["Neither"].dataset.pk


@pytest.mark.django_db
def test_the_newest_inventory_year_declares_the_frequency(agency_a):
    old = DatasetFactory(
        inventory=InventoryFactory(agency=agency_a, year=2025), update_frequency="Monthly"
    )
    new = DatasetFactory(
        inventory=InventoryFactory(agency=agency_a, year=2026),
        uid=old.uid,
        title=old.title,
        update_frequency="Annually",
    )
    _asset(old, "year-0001", MARCH_1)

    with at(MARCH_1 + days(60)):
        result = dataset_freshness(old)

    assert result.dataset == new
    assert result.check.state == Freshness.FRESH


@pytest.mark.django_db
@pytest.mark.parametrize("size", [2, 8])
def test_freshness_of_many_datasets_takes_four_queries(
    size, agency_a, ado_a, django_assert_num_queries
):
    inventory = InventoryFactory(agency=agency_a)
    for number in range(size):
        dataset = DatasetFactory(inventory=inventory)
        _asset(dataset, f"many-{number:04d}", timezone.now())
        _success(dataset, ado_a, timezone.now())

    with django_assert_num_queries(4):  # datasets, portal assets, runs, Geo items
        found = datasets_freshness(agency_a.datasets.all())

    assert len(found) == size


@pytest.mark.django_db
def test_program_publication_states_count_the_portal_update(ado_a, agency_a):
    """The dashboard's stale figures use this module: a publication last run 40 days ago whose
    asset the portal says was updated 5 days ago (by hand, say) is not stale."""
    from program.freshness import publication_states

    dataset = DatasetFactory(inventory__agency=agency_a, update_frequency="Monthly")
    with at(MARCH_1):
        _success(dataset, ado_a, MARCH_1)
    Publication.objects.filter(dataset=dataset).update(portal_id="prog-0001")
    _asset(dataset, "prog-0001", MARCH_1 + days(35))

    with at(MARCH_1 + days(40)):
        (state,) = publication_states()
        now = timezone.now()
        assert state.last_updated == MARCH_1 + days(35)
        assert not state.is_stale(now)
        assert not state.is_going_stale(now)
    with at(MARCH_1 + days(70)):
        now = timezone.now()
        assert state.is_stale(now)
        assert state.is_going_stale(now)
