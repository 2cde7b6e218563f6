"""What a publisher reads about a run whose worker died, and about a run that needed several
attempts and ended with a warning (issue #17, ADR 0023), at 375, 1024, 1280 and 1600 px: the
text is there, nothing runs off the side of the page, and axe finds nothing serious."""

import datetime

import pytest
from django.utils import timezone

from publishing.models import AttemptOutcome, PublicationRun, RunAttempt, RunStatus
from tests.browser.conftest import axe_violations, sign_in
from tests.publishing.helpers import ocme_dataset, ready_publication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [375, 1024, 1280, 1600]


@pytest.fixture
def publication(settings, agency_a, publisher_a):
    settings.CTODP_RUN_HEARTBEAT = 30  # lost after 60 s without a beat
    return ready_publication(ocme_dataset(agency_a), publisher_a)


def _latest(publication, run) -> None:
    publication.last_run = run  # what the publication page shows
    publication.save(update_fields=["last_run"])


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_run_whose_worker_died_says_so(page, publication, width):
    now = timezone.now()
    run = PublicationRun.objects.create(
        publication=publication,
        status=RunStatus.RUNNING,
        attempts=1,
        started_at=now - datetime.timedelta(minutes=5),
        enqueued_at=now - datetime.timedelta(minutes=5),
        heartbeat_at=now - datetime.timedelta(minutes=3),
        chunks_total=20,
        chunks_done=9,
    )
    _latest(publication, run)
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "bob")
    page.goto(f"/publishing/{publication.pk}/")

    lost = page.locator("#run-lost")
    assert lost.is_visible()
    assert "Worker lost, will retry at" in lost.inner_text()
    assert "no heartbeat since" in lost.inner_text()
    assert _overflow(page) <= 0
    assert axe_violations(page) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_the_attempts_and_the_warning_of_an_ended_run_are_readable(page, publication, width):
    now = timezone.now()
    run = PublicationRun.objects.create(
        publication=publication,
        status=RunStatus.SUCCEEDED,
        attempts=2,
        started_at=now - datetime.timedelta(minutes=5),
        finished_at=now - datetime.timedelta(minutes=1),
        rows_created=4000,
        rows_unknown=1000,
        warning="The portal holds 1,000 rows the source no longer has.",
    )
    RunAttempt.objects.create(
        run=run,
        number=1,
        outcome=AttemptOutcome.RETRY,
        started_at=run.started_at,
        rows_created=3000,
        rows_unknown=1000,
        error="The portal answered 500 Internal Server Error to chunk 4 of 5; tried again.",
    )
    RunAttempt.objects.create(
        run=run,
        number=2,
        outcome=AttemptOutcome.SUCCEEDED,
        started_at=now - datetime.timedelta(minutes=3),
        rows_created=1000,
    )
    _latest(publication, run)
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "bob")
    page.goto(f"/publishing/{publication.pk}/")

    assert (
        "Succeeded with a warning: The portal holds 1,000 rows"
        in page.locator("#run-warning").inner_text()
    )
    attempts = page.locator("#run-attempts")
    assert attempts.is_visible()
    assert "The portal answered 500" in attempts.inner_text()
    assert "Failed, retried" in attempts.inner_text()
    assert _overflow(page) <= 0
    assert axe_violations(page) == []
