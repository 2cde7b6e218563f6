"""What agreements say about agencies and datasets (ADR 0026): each agency's OPM agreement on the
scorecard and the compliance report, and core / multi-agency datasets on the dataset page and in
the API. Every figure is checked against a computation made here, row by row."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sharing import selectors
from sharing.models import Agreement, AgreementStatus
from tests.factories import AgencyFactory
from tests.inventories.factories import DatasetFactory, InventoryFactory
from tests.sharing.factories import AgreementFactory

MOMENT = datetime.datetime(2026, 6, 1, 14, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 6, 1)
pytestmark = [pytest.mark.django_db, pytest.mark.clock(MOMENT)]
DAY = datetime.timedelta(days=1)


def _expected_opm(agency) -> str:
    """Independently: the agency's OPM agreements, read one by one."""
    kinds = set()
    for agreement in Agreement.objects.filter(with_opm=True):
        if agency not in agreement.parties.all():
            continue
        ended = agreement.ends_on is not None and agreement.ends_on < TODAY
        if agreement.status == AgreementStatus.IN_FORCE and not ended:
            kinds.add("in force" if agreement.starts_on <= TODAY else "not yet")
        elif agreement.status == AgreementStatus.EXPIRED or (
            agreement.status == AgreementStatus.IN_FORCE and ended
        ):
            kinds.add("expired")
    return "in force" if "in force" in kinds else "expired" if "expired" in kinds else "none"


@pytest.fixture
def opm_world(agency_a, agency_b):
    gamma, delta = AgencyFactory(slug="gamma"), AgencyFactory(slug="delta")
    AgreementFactory(parties=[agency_a], with_opm=True, ends_on=TODAY)  # last day: in force
    AgreementFactory(parties=[agency_a], with_opm=True, ends_on=TODAY - DAY)
    AgreementFactory(parties=[agency_b], with_opm=True, ends_on=TODAY - DAY)  # lapsed
    AgreementFactory(parties=[gamma], with_opm=True, status=AgreementStatus.DRAFT)
    AgreementFactory(parties=[gamma, delta], with_opm=False)  # not with OPM
    AgreementFactory(parties=[delta], with_opm=True, status=AgreementStatus.TERMINATED)
    return [agency_a, agency_b, gamma, delta]


def test_each_agency_opm_status_on_the_compliance_report(client, dapa, opm_world):
    client.force_login(dapa)
    report = client.get("/api/v1/compliance/?year=2026").json()
    lines = {line["agency"]: line["opm_agreement"] for line in report["lines"]}
    expected = {agency.slug: _expected_opm(agency) for agency in opm_world}
    assert expected == {"alpha": "in force", "beta": "expired", "gamma": "none", "delta": "none"}
    assert {slug: lines[slug] for slug in expected} == expected
    in_force = sum(status == "in force" for status in expected.values())
    assert report["summary"]["opm_in_force"] == in_force
    page = client.get("/dashboard/compliance/?year=2026").content.decode()
    assert f"{in_force} have a data sharing agreement with OPM in force" in page


def test_the_scorecard_shows_the_agency_opm_agreement(client, ado_b, opm_world):
    client.force_login(ado_b)
    assert client.get("/api/v1/agencies/beta/scorecard/").json()["opm_agreement"] == "expired"
    page = client.get("/dashboard/agencies/beta/").content.decode()
    assert '<span id="opm-agreement">Expired</span>' in page


STATUSES = st.sampled_from(list(AgreementStatus))
OFFSETS = st.integers(min_value=-2, max_value=2)


@pytest.fixture
def three(agency_a, agency_b):
    return [agency_a, agency_b, AgencyFactory(slug="gamma")]


# The agencies are made once per test; each example starts from no agreements.
@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sets(st.integers(0, 2), min_size=1), STATUSES, OFFSETS, OFFSETS)))
def test_opm_status_at_the_edges_of_the_term(three, specs):
    Agreement.objects.all().delete()
    agencies = three
    for parties, status, start, end in specs:
        starts = TODAY + datetime.timedelta(days=start)
        ends = max(starts, TODAY + datetime.timedelta(days=end))
        AgreementFactory(
            parties=[agencies[i] for i in parties],
            with_opm=True,
            status=status,
            starts_on=starts,
            ends_on=ends,
        )
    statuses = selectors.opm_statuses(agencies, TODAY)
    assert statuses == {agency.pk: _expected_opm(agency) for agency in agencies}


@pytest.fixture
def shared(agency_a, agency_b):
    """Alpha's overdose data (2025 and 2026 rows), used by Beta and Gamma under agreements."""
    gamma, delta = AgencyFactory(slug="gamma"), AgencyFactory(slug="delta")
    inventory = InventoryFactory(agency=agency_a, year=2025, status="accepted")
    deaths = DatasetFactory(inventory=inventory, title="Overdose deaths")
    newer = DatasetFactory(inventory__agency=agency_a, inventory__year=2026, uid=deaths.uid)
    AgreementFactory(parties=[agency_a, agency_b], datasets=[deaths], contributors=[delta])
    AgreementFactory(parties=[agency_a, gamma], datasets=[deaths])
    AgreementFactory(
        parties=[agency_a, delta], datasets=[deaths], status=AgreementStatus.DRAFT
    )  # a draft: Delta does not use it yet
    return deaths, newer


def _independent_users(dataset) -> set:
    users = set()
    for agreement in Agreement.objects.in_force(TODAY):
        if dataset.uid in {d.uid for d in agreement.datasets.all()}:
            users |= set(agreement.parties.all())
    return users - {dataset.agency}


def test_a_dataset_used_by_two_other_agencies_is_core_in_every_year(client, ado_a, shared):
    deaths, newer = shared
    assert len(_independent_users(deaths)) == 2
    client.force_login(ado_a)
    for row in (deaths, newer):
        page = client.get(row.get_absolute_url()).content.decode()
        assert "Core dataset" in page
        assert "Several contributing agencies" in page
        assert "Department of Beta" in page
    core = client.get("/api/v1/core-datasets/").json()
    assert [(entry["uid"], entry["other_agencies"]) for entry in core] == [(str(deaths.uid), 2)]


def test_one_other_agency_does_not_make_a_dataset_core(client, ado_a, shared):
    deaths, _ = shared
    Agreement.objects.filter(parties__slug="gamma").update(status=AgreementStatus.TERMINATED)
    assert len(_independent_users(deaths)) == 1
    client.force_login(ado_a)
    page = client.get(deaths.get_absolute_url()).content.decode()
    assert "Core dataset" not in page
    assert client.get("/api/v1/core-datasets/").json() == []


def test_a_dataset_no_agreement_covers_has_one_contributor(client, ado_a, agency_a):
    lone = DatasetFactory(inventory__agency=agency_a)
    client.force_login(ado_a)
    page = client.get(lone.get_absolute_url()).content.decode()
    assert "Core dataset" not in page
    assert "Several contributing agencies" not in page
