"""Retirement through a real Celery worker: the notice task after commit, then the beat task
(the worker's clock cannot be frozen, so the due date is moved instead; ADR 0010)."""

import datetime
import time

import pytest
import requests
from django.utils import timezone

from publishing import services
from publishing.models import Publication
from sandbox_portal import DEFAULT_PASSWORD, DEFAULT_USERNAME, start_sandbox
from tests.integration.test_publishing_worker import _wait_for_end
from tests.publishing.helpers import ocme_dataset, ready_publication, record_screen
from tests.sandbox import connect
from upkeep import retirement as retirement_services
from upkeep import tasks as upkeep_tasks
from upkeep.models import Retirement, RetirementStatus

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def portal():
    running = start_sandbox()
    yield running
    running.stop()


@pytest.fixture
def worker_env(portal) -> dict[str, str]:
    return {"SOCRATA_DOMAIN": portal.domain, "SOCRATA_CHUNK_SIZE": "100"}


@pytest.fixture
def public(settings, portal, celery_worker, agency_a, publisher_a, cdo) -> Publication:
    portal.reset()
    settings.SOCRATA_DOMAIN = portal.domain
    publication = ready_publication(ocme_dataset(agency_a), publisher_a)
    run = _wait_for_end(services.run_start(publication=publication, acting_user=publisher_a))
    assert run.status == "succeeded", run.error
    publication.refresh_from_db()
    record_screen(publication)
    services.publication_make_public(publication=publication, acting_user=cdo)
    weeks_ago = timezone.now() - datetime.timedelta(days=20)
    Publication.objects.filter(pk=publication.pk).update(made_public_at=weeks_ago)
    publication.refresh_from_db()
    return publication


def _wait_for(retirement: Retirement, status: str, timeout: float = 60) -> Retirement:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        retirement.refresh_from_db()
        if retirement.status == status:
            return retirement
        time.sleep(0.05)
    raise AssertionError(f"retirement still {retirement.status}: {retirement.error}")


def test_the_worker_posts_the_notice_and_the_beat_task_makes_it_private(
    portal, public, publisher_a
):
    retirement = retirement_services.retirement_start(
        publication=public, acting_user=publisher_a, criterion="outdated", reason="Old."
    )
    retirement = _wait_for(retirement, RetirementStatus.NOTICE_POSTED)
    with connect(portal.domain, DEFAULT_USERNAME, DEFAULT_PASSWORD) as soda:
        view = soda.get_metadata(public.portal_id)
    assert view["name"].startswith("ARCHIVE: ")
    assert "archive" in view["tags"]

    Retirement.objects.filter(pk=retirement.pk).update(due_at=timezone.now())
    upkeep_tasks.retirements_tick.delay()

    assert _wait_for(retirement, RetirementStatus.RETIRED).made_private_at is not None
    anonymous = requests.get(f"{portal.url}/resource/{public.portal_id}.json", timeout=5)
    assert anonymous.status_code == 403
