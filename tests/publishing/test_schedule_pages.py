"""The schedule section of the publication page and the schedule API, per person."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.services import token_create
from inventories.choices import UpdateFrequency
from publishing.models import PublicationRun, PublicationSchedule, RunTrigger
from publishing.schedules import services as schedule_services
from tests.publishing.helpers import ocme_dataset, ready_publication

UTC = datetime.UTC
MONDAY_NOON = datetime.datetime(2026, 5, 4, 16, tzinfo=UTC)  # 12:00 EDT


@pytest.fixture
def publication(agency_a, publisher_a):
    dataset = ocme_dataset(agency_a)
    dataset.update_frequency = UpdateFrequency.WEEKLY
    dataset.save()
    return ready_publication(dataset, publisher_a)


@pytest.fixture
def frozen():
    with time_machine.travel(MONDAY_NOON, tick=False):
        yield


def _page(client, publication) -> str:
    return client.get(f"/publishing/{publication.pk}/").content.decode()


def _set(client, publication, **fields):
    body = {"kind": "daily", "time_of_day": "15:00", "time_zone": "America/New_York", **fields}
    return client.post(f"/publishing/{publication.pk}/schedule/", body)


def test_the_form_is_prefilled_with_the_suggestion_and_its_reason(
    client, frozen, publication, publisher_a
):
    client.force_login(publisher_a)
    page = _page(client, publication)

    assert "No schedule: a run starts only when someone publishes." in page
    assert "updated weekly, and the Handbook asks to automate anything" in page
    assert re.search(r'<input type="radio" name="kind" value="weekly"[^>]* checked>', page)
    assert re.search(r'<option value="0" selected>Monday</option>', page)
    assert 'value="America/New_York"' in page


def test_a_publisher_sets_a_schedule_and_sees_the_next_run_in_its_zone(
    client, frozen, publication, publisher_a
):
    client.force_login(publisher_a)
    response = _set(client, publication)

    assert response.status_code == 302
    schedule = PublicationSchedule.objects.get(publication=publication)
    assert schedule.next_run_at == datetime.datetime(2026, 5, 4, 19, tzinfo=UTC)
    page = _page(client, publication)
    assert "Daily at 15:00 (America/New_York)" in page
    assert "Monday, May 4, 2026, 3:00 PM EDT" in page
    assert "(in 3 hours)" in page
    assert "Pause the schedule" in page


def test_the_ado_may_set_a_schedule_in_another_zone(client, frozen, publication, ado_a):
    client.force_login(ado_a)
    _set(client, publication, kind="weekly", weekday="4", time_zone="Europe/Paris")

    page = _page(client, publication)
    assert "Friday, May 8, 2026, 3:00 PM CEST" in page
    assert "(in 4 days)" in page


def test_pause_and_resume_through_the_buttons(client, frozen, publication, publisher_a):
    client.force_login(publisher_a)
    _set(client, publication)
    base = f"/publishing/{publication.pk}/schedule"

    assert client.get(f"{base}/pause/").status_code == 405
    client.post(f"{base}/pause/")
    page = _page(client, publication)
    assert 'id="schedule-paused"' in page
    assert "Paused by Bob Baker" in page
    assert "Resume the schedule" in page

    client.post(f"{base}/resume/")
    schedule = PublicationSchedule.objects.get()
    assert (schedule.paused_at, schedule.next_run_at.hour) == (None, 19)


def test_pausing_without_a_schedule_says_so(client, publication, publisher_a):
    client.force_login(publisher_a)
    response = client.post(f"/publishing/{publication.pk}/schedule/pause/", follow=True)
    assert "The publication has no schedule." in response.content.decode()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"kind": "cron", "cron": "every morning"}, "cron", "A cron expression has five fields"),
        ({"kind": "cron", "cron": "*/10 * * * *"}, "cron", "at most once an hour"),
        ({"kind": "cron", "cron": "0 6 31 2 *"}, "cron", "never runs"),
        ({"time_zone": "Eastern Time"}, "time_zone", "is not a time zone"),
        ({"kind": "weekly"}, "weekday", "needs its day of the week"),
        ({"kind": "monthly", "day_of_month": "32"}, "day_of_month", "less than or equal to 31"),
        ({"time_of_day": "25:99"}, "time_of_day", "Enter a valid time"),
    ],
)
def test_bad_input_is_explained_on_its_field_without_saving(
    client, publication, publisher_a, fields, field, message
):
    client.force_login(publisher_a)
    response = _set(client, publication, **fields)

    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page
    assert message in page
    assert not PublicationSchedule.objects.exists()


def test_a_viewer_reads_the_schedule_but_cannot_change_it(
    client, frozen, publication, publisher_a, viewer_a
):
    schedule_services.schedule_set(publication=publication, acting_user=publisher_a, kind="daily")
    client.force_login(viewer_a)

    page = _page(client, publication)
    assert "Daily at 06:00 (America/New_York)" in page
    assert 'id="schedule-form"' not in page
    assert "Pause the schedule" not in page
    assert _set(client, publication).status_code == 403
    assert client.post(f"/publishing/{publication.pk}/schedule/pause/").status_code == 403
    assert PublicationSchedule.objects.get().paused_at is None


def test_another_agency_gets_404_everywhere(client, publication, publisher_a, ado_b):
    schedule_services.schedule_set(publication=publication, acting_user=publisher_a, kind="daily")
    client.force_login(ado_b)
    base = f"/publishing/{publication.pk}/schedule"

    assert _set(client, publication).status_code == 404
    assert client.post(f"{base}/pause/").status_code == 404
    assert client.post(f"{base}/resume/").status_code == 404
    api = _api(ado_b)
    assert api.get(f"/api/v1/publications/{publication.pk}/schedule/").status_code == 404
    assert PublicationSchedule.objects.get().paused_at is None


def test_the_run_history_says_how_each_run_was_started(client, publication, publisher_a):
    PublicationRun.objects.create(publication=publication, trigger=RunTrigger.SCHEDULED)
    client.force_login(publisher_a)
    assert "<td>Scheduled</td>" in _page(client, publication)


def test_a_skipped_run_is_explained_on_the_page(client, publication, publisher_a):
    schedule = schedule_services.schedule_set(
        publication=publication, acting_user=publisher_a, kind="daily"
    )
    PublicationSchedule.objects.filter(pk=schedule.pk).update(
        last_skipped_at=MONDAY_NOON, last_skip_reason="A run is already queued or running."
    )
    client.force_login(publisher_a)
    page = _page(client, publication)
    assert 'id="schedule-skipped"' in page
    assert "was skipped: A run is already queued or running." in page


# --- the API ---------------------------------------------------------------------------------


def _api(user) -> APIClient:
    api = APIClient()
    _, value = token_create(user=user, name="schedule tests")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {value}")
    return api


def test_the_api_sets_reads_pauses_and_resumes_a_schedule(frozen, publication, publisher_a):
    api = _api(publisher_a)
    url = f"/api/v1/publications/{publication.pk}/schedule/"
    assert api.get(url).status_code == 404

    body = {"kind": "cron", "cron": "30 6 * * 1-5", "time_zone": "America/New_York"}
    saved = api.put(url, body, format="json")

    assert saved.status_code == 200, saved.json()
    assert saved.json()["next_run_at"] == "2026-05-05T06:30:00-04:00"
    assert saved.json()["description"].startswith("Cron “30 6 * * 1-5” (At 06:30 AM")
    assert api.post(url + "pause/").json()["paused"] is True
    assert api.post(url + "pause/").status_code == 400
    assert api.post(url + "resume/").json()["paused"] is False
    detail = api.get(f"/api/v1/publications/{publication.pk}/").json()
    assert detail["schedule"]["cron"] == "30 6 * * 1-5"


def test_the_api_refuses_bad_schedules_with_the_field_named(publication, publisher_a):
    api = _api(publisher_a)
    url = f"/api/v1/publications/{publication.pk}/schedule/"
    refused = api.put(url, {"kind": "cron", "cron": "61 * * * *", "time_zone": "Nowhere"})

    assert refused.status_code == 400
    assert set(refused.json()) == {"cron", "time_zone"}


def test_a_viewer_reads_the_schedule_through_the_api_but_cannot_write(
    publication, publisher_a, viewer_a
):
    schedule_services.schedule_set(publication=publication, acting_user=publisher_a, kind="daily")
    api = _api(viewer_a)
    url = f"/api/v1/publications/{publication.pk}/schedule/"

    assert api.get(url).json()["kind"] == "daily"
    assert api.put(url, {"kind": "weekly", "weekday": 0}, format="json").status_code == 403
    assert api.post(url + "pause/").status_code == 403


def test_runs_started_through_the_api_are_marked_api(
    portal_settings, sandbox, publication, publisher_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = _api(publisher_a).post(f"/api/v1/publications/{publication.pk}/runs/")
    assert answer.json()["trigger"] == "api"


def test_the_lists_cost_the_same_queries_at_two_sizes_with_schedules(client, agency_a, publisher_a):
    def add(count: int) -> None:
        for _ in range(count):
            publication = ready_publication(ocme_dataset(agency_a), publisher_a)
            schedule = schedule_services.schedule_set(
                publication=publication, acting_user=publisher_a, kind="daily"
            )
            schedule_services.schedule_pause(schedule=schedule, acting_user=publisher_a)

    def queries(path: str, get) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert get(path).status_code == 200
        return len(captured)

    client.force_login(publisher_a)
    api = _api(publisher_a)
    api.get("/api/v1/")  # the token's last-used time is written once a minute: not counted here
    add(1)
    small = (queries("/publishing/", client.get), queries("/api/v1/publications/", api.get))
    add(3)
    large = (queries("/publishing/", client.get), queries("/api/v1/publications/", api.get))

    assert small == large
    assert client.get("/publishing/").content.decode().count("<td>Paused</td>") == 4


def test_program_staff_read_schedules_in_the_admin_but_do_not_edit_them(
    client, publication, publisher_a, cdo
):
    schedule = schedule_services.schedule_set(
        publication=publication, acting_user=publisher_a, kind="daily"
    )
    client.force_login(cdo)

    listing = client.get("/admin/publishing/publicationschedule/")
    assert listing.status_code == 200
    assert "Daily" in listing.content.decode()
    page = client.get(f"/admin/publishing/publicationschedule/{schedule.pk}/change/")
    assert page.status_code == 200
    assert 'type="submit"' not in page.content.decode().split('id="content-main"')[1]
    assert client.get("/admin/publishing/publicationschedule/add/").status_code == 403
    history = client.get(f"/admin/publishing/publicationschedule/{schedule.pk}/history/")
    assert "bob" in history.content.decode()
