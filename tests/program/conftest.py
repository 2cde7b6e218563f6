"""A small constructed world for the dashboard, with figures known in advance.

alpha (ADO Alice): 2026 inventory accepted; plan approved with two items to publish (one of them
published on the portal), one to retire; two publications: one failing, one stale (monthly,
last success 40 days ago).
beta (ADO Charlie): 2026 inventory submitted, no plan, no publications.
gamma: no ADO, nothing filed.
"""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from access_plans import services as plan_services
from access_plans.choices import Intent, PlanStatus
from access_plans.models import AccessPlan
from inventories.choices import Availability, InventoryStatus
from inventories.models import Dataset
from publishing.models import Publication, PublicationRun, RunStatus
from tests.access_plans.conftest import item_data
from tests.factories import AgencyFactory
from tests.inventories.factories import DatasetFactory, InventoryFactory
from upkeep.models import Retirement, RetirementStatus

# The day the world's figures are known for. Every test module here freezes the clock at it
# (`pytestmark = pytest.mark.clock(WORLD_DAY)`, tests/clock.py), so the world's records and the
# assertions share one "now" whatever the day the suite runs.
WORLD_DAY = datetime.datetime(2026, 11, 23, 12, tzinfo=datetime.UTC)


def add_publication(dataset, user, *, status: str, days_ago: float, portal_id: str):
    publication = Publication.objects.create(
        dataset=dataset, agency=dataset.agency, created_by=user, portal_id=portal_id
    )
    finished = timezone.now() - datetime.timedelta(days=days_ago)
    run = PublicationRun.objects.create(publication=publication, status=status)
    PublicationRun.objects.filter(pk=run.pk).update(created_at=finished, finished_at=finished)
    Publication.objects.filter(pk=publication.pk).update(last_run=run)
    return publication


def add_retirement(dataset, user, *, portal_id: str, due: datetime.date) -> Retirement:
    """A retirement whose ARCHIVE notice is on the portal, going private on `due` (no runs).
    Not part of the world: its publication would count in the freshness figures."""
    publication = Publication.objects.create(
        dataset=dataset, agency=dataset.agency, created_by=user, portal_id=portal_id
    )
    due_at = datetime.datetime.combine(due, datetime.time(15), tzinfo=datetime.UTC)
    return Retirement.objects.create(
        publication=publication,
        agency=dataset.agency,
        criterion="outdated",
        reason="Old ferry schedules.",
        status=RetirementStatus.NOTICE_POSTED,
        started_by=user,
        notice_posted_at=due_at - datetime.timedelta(days=30),
        due_at=due_at,
    )


def retire_ferries(user) -> Retirement:
    """The world's Ferries 1990 under retirement, going private on 2026-12-01."""
    ferries = Dataset.objects.get(title="Ferries 1990")
    return add_retirement(ferries, user, portal_id="ferr-1990", due=datetime.date(2026, 12, 1))


def add_plan(inventory, *, items: list[tuple], status: str = PlanStatus.APPROVED) -> AccessPlan:
    plan = plan_services.plan_start(agency=inventory.agency, year=inventory.year, acting_user=None)
    for dataset, overrides in items:
        data = item_data(**overrides)
        plan_services.item_create(plan=plan, dataset=dataset, data=data, acting_user=None)
    AccessPlan.objects.filter(pk=plan.pk).update(status=status)
    plan.refresh_from_db()
    return plan


RICH = {
    "row_label": "Structure",
    "temporal_coverage": "2010-2025",
    "source_link": "https://portal.ct.gov/dot",
    "description": "Every structure the agency maintains, with its condition rating and the date"
    " of its last inspection. Updated monthly from the inspection system; one row per structure.",
}


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The metadata scores are cached: no test sees another's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(agency_a, agency_b, ado_a, ado_b):
    return build_world(agency_a, agency_b, ado_a)


def build_world(agency_a, agency_b, ado_a) -> dict:
    gamma = AgencyFactory(name="Department of Gamma", acronym="DOG", slug="gamma")
    inv_a = InventoryFactory(agency=agency_a, year=2026, status=InventoryStatus.ACCEPTED)
    published = DatasetFactory(
        inventory=inv_a,
        title="Bridges",
        availability=Availability.PORTAL,
        portal_id="brid-0001",
        **RICH,
    )
    pending = DatasetFactory(inventory=inv_a, title="Tunnels", **RICH)
    old = DatasetFactory(inventory=inv_a, title="Ferries 1990", **RICH)
    add_plan(
        inv_a,
        items=[
            (published, {}),
            (pending, {"target_date": datetime.date(2026, 3, 31)}),
            (old, {"intent": Intent.RETIRE, "target_date": datetime.date(2026, 12, 1)}),
        ],
    )
    add_publication(published, ado_a, status=RunStatus.FAILED, days_ago=1, portal_id="brid-0001")
    add_publication(pending, ado_a, status=RunStatus.SUCCEEDED, days_ago=40, portal_id="tunn-0001")
    inv_b = InventoryFactory(agency=agency_b, year=2026, status=InventoryStatus.SUBMITTED)
    DatasetFactory(inventory=inv_b, title="Beta facts", description="", row_label="")
    return {"alpha": agency_a, "beta": agency_b, "gamma": gamma}
