"""/api/v1/dashboard/ and /api/v1/data-requests/: scoped like the pages, filterable."""

import datetime

import pytest
from django.core.management import call_command

from program.models import DataRequest
from tests.program.conftest import WORLD_DAY

# One clock for the world and the test (tests/clock.py): the day its figures are known for.
pytestmark = pytest.mark.clock(WORLD_DAY)

D = datetime.date


@pytest.fixture
def requests_ab(agency_a, agency_b):
    def log(agency, received, due, status="open"):
        return DataRequest.objects.create(
            agency=agency,
            received_on=received,
            due_date=due,
            status=status,
            requester_type="media",
            summary="Data",
            responded_on=None if status == "open" else due,
        )

    return [
        log(agency_a, D(2026, 1, 1), D(2026, 1, 10)),
        log(agency_a, D(2026, 1, 1), D(2026, 1, 10), status="fulfilled"),
        log(agency_b, D(2026, 1, 1), D(2026, 1, 10)),
    ]


def test_dashboard_api_is_for_staff(client, dapa, ado_a, world):
    client.force_login(ado_a)
    assert client.get("/api/v1/dashboard/").status_code == 403
    client.force_login(dapa)
    rows = client.get("/api/v1/dashboard/", {"year": 2026, "inventory": "not_accepted"}).json()
    slugs = [row["agency"] for row in rows]
    assert "beta" in slugs
    assert "alpha" not in slugs
    alpha = client.get("/api/v1/dashboard/", {"year": 2026, "q": "alpha"}).json()[0]
    assert alpha["ado"] == "alice"
    assert (alpha["planned"], alpha["published"], alpha["stale"], alpha["failing"]) == (2, 1, 1, 1)


def test_data_requests_api_is_agency_scoped(client, ado_b, dapa, requests_ab):
    client.force_login(ado_b)
    results = client.get("/api/v1/data-requests/").json()["results"]
    assert [row["agency"] for row in results] == ["beta"]
    client.force_login(dapa)
    assert client.get("/api/v1/data-requests/").json()["count"] == 3


@pytest.mark.clock(datetime.datetime(2026, 2, 1, 12, tzinfo=datetime.UTC))
def test_data_requests_api_filters(client, dapa, requests_ab):
    client.force_login(dapa)
    overdue = client.get("/api/v1/data-requests/", {"overdue": "true"}).json()["results"]
    assert sorted(row["agency"] for row in overdue) == ["alpha", "beta"]
    assert all(row["is_overdue"] for row in overdue)
    done = client.get("/api/v1/data-requests/", {"agency": "alpha", "status": "fulfilled"}).json()
    assert [row["response_days"] for row in done["results"]] == [9]


def test_schema_documents_the_program_endpoints(client, dapa, tmp_path):
    client.force_login(dapa)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    dashboard = {p["name"] for p in schema["paths"]["/api/v1/dashboard/"]["get"]["parameters"]}
    assert {"year", "inventory", "plan", "ado", "q", "sort"} <= dashboard
    requests = {p["name"] for p in schema["paths"]["/api/v1/data-requests/"]["get"]["parameters"]}
    assert {"agency", "status", "overdue", "received_after"} <= requests
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
