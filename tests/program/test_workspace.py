"""The admin's home is the CDO's workspace (issue #16, docs/adr/0020-cdo-workspace.md): what
awaits review, oldest first, with counts and links, above the apps, in a fixed number of
queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from access_plans.choices import PlanStatus
from access_plans.models import AccessPlan, PlanRecommendation
from inventories.choices import InventoryStatus
from inventories.models import Inventory
from privacy.models import PrivacyException
from publishing.models import Kind, Publication, RunStatus, Visibility
from tests.factories import AgencyFactory
from tests.inventories.factories import DatasetFactory, InventoryFactory
from tests.program.conftest import WORLD_DAY, add_plan, add_publication
from tests.publishing.helpers import record_screen
from upkeep.models import Retirement, RetirementStatus

pytestmark = pytest.mark.clock(WORLD_DAY)
SEQUENCE = iter(range(1000, 9999))


def _ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def submitted_inventory(agency, *, days: float) -> Inventory:
    inventory = InventoryFactory(agency=agency, year=2026, status=InventoryStatus.SUBMITTED)
    Inventory.objects.filter(pk=inventory.pk).update(submitted_at=_ago(days))
    return inventory


def submitted_plan(inventory, *, days: float, status=PlanStatus.SUBMITTED) -> AccessPlan:
    plan = add_plan(inventory, items=[(DatasetFactory(inventory=inventory), {})], status=status)
    AccessPlan.objects.filter(pk=plan.pk).update(submitted_at=_ago(days), version=1)
    plan.refresh_from_db()
    return plan


def exception_requested(publication, user, *, days: float) -> PrivacyException:
    screen = record_screen(publication, verdict="high")
    exception = PrivacyException.objects.create(
        publication=publication, screen=screen, justification="A public good.", requested_by=user
    )
    PrivacyException.objects.filter(pk=exception.pk).update(requested_at=_ago(days))
    return exception


def private_success(dataset, user, *, days: float) -> Publication:
    n = next(SEQUENCE)
    return add_publication(
        dataset, user, status=RunStatus.SUCCEEDED, days_ago=days, portal_id=f"{n}-c001"
    )


def _queues(client) -> dict:
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return {queue.key: queue for queue in response.context["workspace"]}, response


@pytest.fixture
def waiting(cdo, agency_a, agency_b):
    """Two of each kind waiting (beta's older than alpha's), and one of each not waiting."""
    gamma = AgencyFactory(name="Department of Gamma", slug="gamma")
    inv_a = submitted_inventory(agency_a, days=2)
    inv_b = submitted_inventory(agency_b, days=9)
    InventoryFactory(agency=gamma, year=2026, status=InventoryStatus.ACCEPTED)
    submitted_plan(inv_a, days=1)
    submitted_plan(inv_b, days=5, status=PlanStatus.IN_REVIEW)
    add_plan(InventoryFactory(agency=gamma, year=2025), items=[], status=PlanStatus.APPROVED)
    data_a, data_b = DatasetFactory(inventory=inv_a), DatasetFactory(inventory=inv_b)
    pub_a = private_success(data_a, cdo, days=3)
    pub_b = private_success(data_b, cdo, days=6)
    exception_requested(pub_a, cdo, days=4)
    exception_requested(pub_b, cdo, days=8)
    approved = exception_requested(pub_b, cdo, days=20)
    PrivacyException.objects.filter(pk=approved.pk).update(approved_by=cdo, approved_at=_ago(19))
    return {"alpha": (inv_a, pub_a), "beta": (inv_b, pub_b)}


def test_the_cdo_sees_each_queue_oldest_first_with_counts_and_links(client, cdo, waiting):
    client.force_login(cdo)
    queues, response = _queues(client)
    assert list(queues) == ["inventories", "plans", "privacy_exceptions", "publications"]
    for queue in queues.values():
        assert queue.count == 2
        assert [e.agency for e in queue.entries] == ["Department of Beta", "Department of Alpha"]
    assert [e.url for e in queues["inventories"].entries] == [
        reverse("inventories:review", args=["beta", 2026]),
        reverse("inventories:review", args=["alpha", 2026]),
    ]
    assert queues["plans"].entries[1].url == reverse("access_plans:review", args=["alpha", 2026])
    _inv_b, pub_b = waiting["beta"]
    assert queues["publications"].entries[0].url == pub_b.get_absolute_url()
    screen = pub_b.privacy_screens.order_by("pk").first()
    assert queues["privacy_exceptions"].entries[0].url == reverse(
        "privacy:screen", args=[screen.pk]
    )
    page = response.content.decode()
    assert 'Inventories submitted <span class="ctodp-queue__count">(2)</span>' in page
    # The queues come first, the apps below them.
    assert page.index('id="workspace"') < page.index('class="app-access_plans')
    for queue in queues.values():
        assert f'href="{queue.all_url}"' in page
        assert client.get(queue.all_url).status_code == 200
        for entry in queue.entries:  # where the CDO acts on it
            assert f'href="{entry.url}"' in page
            assert client.get(entry.url).status_code == 200


def test_the_all_links_list_what_the_queue_counts(client, cdo, waiting):
    client.force_login(cdo)
    queues, _ = _queues(client)
    plans = client.get(queues["plans"].all_url).context["cl"]
    assert plans.result_count == queues["plans"].count
    inventories = client.get(queues["inventories"].all_url).context["cl"]
    assert inventories.result_count == queues["inventories"].count
    exceptions = client.get(queues["privacy_exceptions"].all_url).context["cl"]
    assert exceptions.result_count == queues["privacy_exceptions"].count


def test_only_publications_that_can_be_made_public_wait(client, cdo, agency_a):
    """Private with a succeeded last run: not public ones, failed or running ones, external
    links, or assets being retired (private on purpose)."""
    inventory = InventoryFactory(agency=agency_a, year=2026)

    def pub(**fields):
        publication = private_success(DatasetFactory(inventory=inventory), cdo, days=1)
        Publication.objects.filter(pk=publication.pk).update(**fields)
        return publication

    waiting = pub()
    pub(visibility=Visibility.PUBLIC)
    pub(kind=Kind.EXTERNAL)
    failed = add_publication(
        DatasetFactory(inventory=inventory), cdo, status=RunStatus.FAILED, days_ago=1,
        portal_id="fail-0001",
    )  # fmt: skip
    for status in (RetirementStatus.NOTICE_POSTED, RetirementStatus.RETIRED):
        Retirement.objects.create(
            publication=pub(), agency=agency_a, criterion="outdated", reason="Old.",
            status=status, started_by=cdo,
        )  # fmt: skip
    cancelled = pub()
    Retirement.objects.create(
        publication=cancelled, agency=agency_a, criterion="outdated", reason="Old.",
        status=RetirementStatus.CANCELLED, started_by=cdo,
    )  # fmt: skip
    client.force_login(cdo)
    queues, _ = _queues(client)
    shown = [e.url for e in queues["publications"].entries]
    assert sorted(shown) == sorted([waiting.get_absolute_url(), cancelled.get_absolute_url()])
    assert failed.get_absolute_url() not in {e.url for e in queues["publications"].entries}


def test_a_plan_in_the_queue_shows_dapas_latest_recommendation(client, cdo, dapa, agency_a):
    plan = submitted_plan(submitted_inventory(agency_a, days=3), days=2)
    version = plan.versions.create(
        number=1, snapshot={}, submitted_by=cdo, submitted_at=plan.submitted_at
    )
    PlanRecommendation.objects.create(
        plan=plan, version=version, author=dapa, recommendation="approve", text="Complete."
    )
    client.force_login(cdo)
    queues, _ = _queues(client)
    assert queues["plans"].entries[0].note == "Submitted; DAPA: Approve"


def _count(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("admin:index")).status_code == 200
    return len(queries)


def _grow(user, agencies: int) -> None:
    for _ in range(agencies):
        agency = AgencyFactory()
        inventory = submitted_inventory(agency, days=next(SEQUENCE) % 30)
        plan = submitted_plan(inventory, days=3)
        version = plan.versions.create(
            number=1, snapshot={}, submitted_by=user, submitted_at=plan.submitted_at
        )
        PlanRecommendation.objects.create(plan=plan, version=version, author=user, text="Ok.")
        publication = private_success(DatasetFactory(inventory=inventory), user, days=2)
        exception_requested(publication, user, days=1)


def test_the_workspace_costs_the_same_queries_whatever_is_waiting(client, cdo):
    client.force_login(cdo)
    _grow(cdo, agencies=1)
    small = _count(client)
    _grow(cdo, agencies=14)  # past the number of entries shown per queue
    assert _count(client) == small
    queues, response = _queues(client)
    assert [q.count for q in queues.values()] == [15, 15, 15, 15]
    assert "and 5 more." in response.content.decode()


def test_dapa_reads_the_workspace_and_is_told_the_cdo_decides(client, dapa, waiting):
    client.force_login(dapa)
    queues, response = _queues(client)
    assert queues["plans"].count == 2
    assert "the Chief Data Officer decides" in response.content.decode()


def test_the_portal_administrator_home_has_no_review_queues(client, portal_admin, waiting):
    client.force_login(portal_admin)
    response = client.get(reverse("admin:index"))
    assert "workspace" not in response.context
    assert 'id="workspace"' not in response.content.decode()


def test_agency_users_never_reach_the_workspace(client, ado_a, waiting):
    client.force_login(ado_a)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
