"""Who may open which program page: staff see everything; an agency only its own records."""

import datetime

import pytest
from django.urls import reverse

from program.models import DataRequest, RequesterType
from tests.program.conftest import WORLD_DAY

# One clock for the world and the test (tests/clock.py): the day its figures are known for.
pytestmark = pytest.mark.clock(WORLD_DAY)

STAFF = ["cdo", "dapa", "portal_admin"]
AGENCY_USERS = ["ado_a", "publisher_a", "viewer_a"]
STAFF_ONLY = [
    ("program:dashboard", {}),
    ("program:export-csv", {}),
    ("program:export-xlsx", {}),
    ("program:chart-csv", {"slug": "filings"}),
    ("program:chart-xlsx", {"slug": "freshness"}),
    ("program:queues", {}),
    ("program:requests-all", {}),
    ("program:compliance", {}),
    ("program:compliance-xlsx", {}),
]
AGENCY_PAGES = [
    ("program:scorecard", {"slug": "alpha"}),
    ("program:requests", {"slug": "alpha"}),
    ("program:compliance-agency", {"slug": "alpha"}),
    ("program:compliance-agency-xlsx", {"slug": "alpha"}),
]


@pytest.fixture
def request_a(agency_a):
    return DataRequest.objects.create(
        agency=agency_a,
        received_on=datetime.date(2026, 1, 5),
        requester_type=RequesterType.MEDIA,
        summary="Bridge ratings",
        due_date=datetime.date(2026, 1, 20),
    )


def _status(client, user, name, kwargs) -> int:
    client.force_login(user)
    return client.get(reverse(name, kwargs=kwargs)).status_code


@pytest.mark.parametrize("persona", STAFF)
@pytest.mark.parametrize(("name", "kwargs"), STAFF_ONLY + AGENCY_PAGES)
def test_staff_open_every_page(client, request, world, persona, name, kwargs):
    assert _status(client, request.getfixturevalue(persona), name, kwargs) == 200


@pytest.mark.parametrize("persona", [*AGENCY_USERS, "ado_b", "outsider"])
@pytest.mark.parametrize(("name", "kwargs"), STAFF_ONLY)
def test_agency_users_are_refused_staff_pages(client, request, persona, name, kwargs):
    assert _status(client, request.getfixturevalue(persona), name, kwargs) == 403


@pytest.mark.parametrize("persona", AGENCY_USERS)
@pytest.mark.parametrize(("name", "kwargs"), AGENCY_PAGES)
def test_members_open_their_agencys_pages(client, request, world, persona, name, kwargs):
    assert _status(client, request.getfixturevalue(persona), name, kwargs) == 200


@pytest.mark.parametrize("persona", ["ado_b", "outsider"])
@pytest.mark.parametrize(("name", "kwargs"), AGENCY_PAGES)
def test_other_agencies_get_404(client, request, agency_a, persona, name, kwargs):
    assert _status(client, request.getfixturevalue(persona), name, kwargs) == 404


def test_other_agency_cannot_edit_or_see_a_request(client, ado_b, request_a):
    url = reverse("program:request-edit", args=["alpha", request_a.pk])
    client.force_login(ado_b)
    assert client.get(url).status_code == 404
    assert client.get(reverse("program:requests", args=["beta"])).context["requests"] == []


def test_viewer_may_read_but_not_log_requests(client, viewer_a, request_a):
    client.force_login(viewer_a)
    assert client.get(reverse("program:request-create", args=["alpha"])).status_code == 403
    url = reverse("program:request-edit", args=["alpha", request_a.pk])
    assert client.get(url).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, world):
    response = client.get(reverse("program:dashboard"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_dashboard_link_only_for_staff(client, dapa, ado_a):
    client.force_login(dapa)
    assert "Dashboard" in [i["label"] for i in client.get("/").context["nav_items"]]
    client.force_login(ado_a)
    assert "Dashboard" not in [i["label"] for i in client.get("/").context["nav_items"]]


@pytest.mark.parametrize("model", ["datarequest", "remindersent"])
def test_admin_lists_for_staff_only(client, dapa, ado_a, request_a, model):
    url = reverse(f"admin:program_{model}_changelist")
    client.force_login(dapa)
    assert client.get(url).status_code == 200
    client.force_login(ado_a)
    assert client.get(url).status_code in (302, 403)
