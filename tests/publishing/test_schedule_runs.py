"""Scheduled runs end to end against the sandbox portal (eager tasks): a due schedule completes a
run; a failing one is retried by the normal policy, then shown on the page and e-mailed."""

import datetime

import pytest
import time_machine
from django.core import mail

from program.reminders import send_due_reminders
from publishing.models import PublicationRun, RunStatus, RunTrigger
from publishing.schedules import services as schedule_services
from publishing.tasks import run_due_schedules
from tests.publishing.helpers import ocme_dataset, portal_rows, ready_publication
from tests.sandbox import PASSWORD, USERNAME, inject

# A clock that starts at the schedule's time and moves on (the sandbox's requests take time).
DUE = datetime.datetime(2026, 5, 4, 10, 0, 30, tzinfo=datetime.UTC)


@pytest.fixture
def scheduled(portal_settings, agency_a, publisher_a):
    portal_settings.SOCRATA_CHUNK_SIZE = 100
    publication = ready_publication(ocme_dataset(agency_a), publisher_a)
    with time_machine.travel(DUE - datetime.timedelta(hours=6), tick=False):
        schedule_services.schedule_set(
            publication=publication, acting_user=publisher_a, kind="daily"
        )
    return publication


def _fire(capture) -> list[int]:
    with time_machine.travel(DUE, tick=True), capture(execute=True):
        return run_due_schedules()


def test_a_due_schedule_completes_a_run_on_the_portal(
    sandbox, scheduled, django_capture_on_commit_callbacks
):
    fired = _fire(django_capture_on_commit_callbacks)

    run = PublicationRun.objects.get(pk__in=fired)
    assert (run.status, run.trigger, run.attempts) == (RunStatus.SUCCEEDED, "scheduled", 1)
    scheduled.refresh_from_db()
    assert len(portal_rows(sandbox.domain, scheduled.portal_id, USERNAME, PASSWORD)) == 300


def test_a_failing_scheduled_run_is_retried_then_reported_on_the_page_and_by_email(
    client,
    sandbox,
    scheduled,
    portal_settings,
    ado_a,
    publisher_a,
    django_capture_on_commit_callbacks,
):
    portal_settings.SOCRATA_RETRIES = 0  # the adapter gives up at once; the run policy retries
    portal_settings.CTODP_RUN_MAX_ATTEMPTS = 2
    inject(sandbox, status=503, count=10, path_prefix="/resource/", method="POST")

    fired = _fire(django_capture_on_commit_callbacks)

    run = PublicationRun.objects.get(pk__in=fired)
    assert (run.status, run.trigger, run.attempts) == (RunStatus.FAILED, RunTrigger.SCHEDULED, 2)
    client.force_login(publisher_a)
    page = client.get(f"/publishing/{scheduled.pk}/").content.decode()
    assert 'id="schedule-failed"' in page
    assert f"The last scheduled run (run {run.pk}," in page
    assert "failed after 2 attempts" in page

    send_due_reminders()

    failed = [m for m in mail.outbox if m.subject.startswith("Publication failed")]
    assert sorted(address for m in failed for address in m.to) == [
        ado_a.email,
        publisher_a.email,
    ]
