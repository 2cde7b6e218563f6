"""/api/v1/agreements/ (ADR 0026) with an API token, as an agency's scripts read it."""

import datetime

import pytest

from accounts.services import token_create
from tests.sharing.factories import AgreementFactory

MOMENT = datetime.datetime(2026, 6, 1, 14, tzinfo=datetime.UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.clock(MOMENT)]


def _auth(user) -> dict:
    _, secret = token_create(user=user, name="script")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_an_agency_reads_only_its_agreements(client, agency_a, agency_b, ado_b, dapa):
    ours = AgreementFactory(
        parties=[agency_a, agency_b], with_opm=True, outside_parties="UConn Health"
    )
    theirs = AgreementFactory(parties=[agency_a], title="Alpha alone")

    body = client.get("/api/v1/agreements/", **_auth(ado_b)).json()
    assert [row["id"] for row in body["results"]] == [ours.pk]
    row = body["results"][0]
    assert sorted(party["slug"] for party in row["parties"]) == ["alpha", "beta"]
    assert row["outside_parties"] == ["UConn Health"]
    assert row["with_opm"] is True
    assert row["effective_status"] == "in_force"
    assert row["document_url"] is None
    assert client.get(f"/api/v1/agreements/{theirs.pk}/", **_auth(ado_b)).status_code == 404

    staff = client.get("/api/v1/agreements/?agency=alpha", **_auth(dapa)).json()
    assert {row["id"] for row in staff["results"]} == {ours.pk, theirs.pk}
    staff = client.get("/api/v1/agreements/?with_opm=true", **_auth(dapa)).json()
    assert [row["id"] for row in staff["results"]] == [ours.pk]


def test_anonymous_calls_are_refused(client):
    assert client.get("/api/v1/agreements/").status_code == 401
    assert client.get("/api/v1/core-datasets/").status_code == 401
