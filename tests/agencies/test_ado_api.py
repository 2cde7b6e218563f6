"""POST /api/v1/agencies/{slug}/ado/: the CDO or a DAPA analyst designates an agency's ADO, as on
the designation page (agencies.services.membership_designate_ado)."""

import pytest
from django.core import mail
from rest_framework.test import APIClient

from agencies.models import Membership, Role
from tests.factories import UserFactory


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def dana(db):
    return UserFactory(username="dana", first_name="Dana", last_name="Diaz")


def _designate(api, user, body: dict, slug: str = "alpha"):
    api.force_authenticate(user)
    return api.post(f"/api/v1/agencies/{slug}/ado/", body, format="json")


def test_dapa_replaces_the_ado_and_keeps_the_history(
    api, ado_a, dapa, cdo, dana, django_capture_on_commit_callbacks
):
    body = {"user": "dana", "title": "Chief of Staff", "reason": "Alice retired."}
    with django_capture_on_commit_callbacks(execute=True):
        response = _designate(api, dapa, body)

    assert response.status_code == 201, response.content
    assert (response.json()["username"], response.json()["title"]) == ("dana", "Chief of Staff")
    current = Membership.objects.current().get(agency__slug="alpha", role=Role.ADO)
    assert (current.user, current.reason) == (dana, "Alice retired.")
    previous = Membership.objects.get(user=ado_a, role=Role.ADO)
    assert previous.end_date is not None
    assert previous.reason == "Replaced: Alice retired."
    assert current.history.latest().history_user == dapa
    told = sorted(address for message in mail.outbox for address in message.to)
    assert told == ["alice@ct.example", "cdo@ct.example", "dana@ct.example"]
    api.force_authenticate(dapa)
    assert api.get("/api/v1/agencies/alpha/").json()["ado"]["username"] == "dana"


def test_agency_users_cannot_designate(api, ado_a, publisher_a, ado_b, dana):
    body = {"user": "dana", "reason": "Because."}
    assert _designate(api, ado_a, body).status_code == 403
    assert _designate(api, publisher_a, body).status_code == 403
    assert _designate(api, ado_b, body).status_code == 404
    assert Membership.objects.current().get(role=Role.ADO, agency__slug="alpha").user == ado_a


def test_the_designation_is_validated_like_the_page(api, ado_a, cdo, dana):
    staff = _designate(api, cdo, {"user": "cdo", "reason": "x"})
    unknown = _designate(api, cdo, {"user": "nobody", "reason": "x"})
    no_reason = _designate(api, cdo, {"user": "dana", "reason": ""})
    again = _designate(api, cdo, {"user": "alice", "reason": "Still her."})

    assert staff.status_code == unknown.status_code == 400
    assert staff.json() == unknown.json()  # program staff cannot be ADOs; who exists is not told
    assert list(staff.json()) == ["user"]
    assert list(no_reason.json()) == ["reason"]
    assert again.json() == {"user": ["alice is already the ADO of Department of Alpha."]}
    assert Membership.objects.filter(role=Role.ADO).count() == 1
