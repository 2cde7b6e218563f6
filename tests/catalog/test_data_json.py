"""/data.json: DCAT-US 1.1 (non-federal), validated against the schemas kept in ./schemas."""

import itertools
import json
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from agencies.models import Role
from inventories.choices import AccessLevel, GeographicUnit, InventoryStatus, UpdateFrequency
from tests.factories import MembershipFactory, UserFactory
from tests.inventories.factories import DatasetFactory, InventoryFactory

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parent / "schemas"
_SCHEMA = "https://project-open-data.cio.gov/v1.1/schema"
NON_PUBLIC_KEYS = {
    "@type",
    "title",
    "description",
    "keyword",
    "modified",
    "publisher",
    "contactPoint",
    "identifier",
    "accessLevel",
    "rights",
}


def _validator() -> Draft4Validator:
    resources = []
    for name in ("catalog.json", "dataset-non-federal.json"):
        contents = json.loads((SCHEMAS / name).read_text())
        resources.append(Resource.from_contents(contents, default_specification=DRAFT4))
    registry = Registry().with_resources((r.id(), r) for r in resources)
    catalog = resources[0].contents
    return Draft4Validator(
        catalog, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER
    )


def _accepted(agency, year=2025):
    return InventoryFactory(agency=agency, year=year, status=InventoryStatus.ACCEPTED)


def _entries(client) -> dict[str, dict]:
    response = client.get("/data.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return {entry["title"]: entry for entry in response.json()["dataset"]}


def test_validator_resolves_the_dataset_schema_and_refuses_a_broken_catalog():
    """The copied schemas really are checked, the relative $ref to the dataset schema included."""
    broken = {"conformsTo": "x", "dataset": [{"title": "t", "accessLevel": "secret"}]}
    messages = {error.message for error in _validator().iter_errors(broken)}
    assert f"'x' is not one of ['{_SCHEMA}']" in messages
    assert "'description' is a required property" in messages
    assert "'secret' is not one of ['public', 'restricted public', 'non-public']" in messages
    with_type = {"@type": "dcat:Catalog", "conformsTo": _SCHEMA, "dataset": []}
    assert "'@context' is a dependency of '@type'" in {
        error.message for error in _validator().iter_errors(with_type)
    }


def test_catalog_validates_with_every_access_level_and_frequency(client, agency_a, ado_a):
    inventory = _accepted(agency_a)
    frequencies = ["", *UpdateFrequency.values]
    for n, (frequency, access) in enumerate(itertools.product(frequencies, AccessLevel.values)):
        DatasetFactory(
            inventory=inventory,
            update_frequency=frequency,
            access_level=access,
            access_reason="" if access == AccessLevel.PUBLIC else "Restricted by statute",
            portal_id=f"abcd-{n:04d}" if n % 2 else "",
            description="" if n % 5 == 1 else "Described",
            contact_email="" if n % 5 == 2 else "data@ct.example",
            tags="" if n % 5 == 3 else "schools; licensing",
            temporal_coverage=["2012-2018", "2015-01/2024-06", "since the 1990s", ""][n % 4],
            geographic_unit=GeographicUnit.MUNICIPALITY if n % 2 else "",
        )

    body = client.get("/data.json").json()

    _validator().validate(body)
    assert body["@type"] == "dcat:Catalog"
    assert body["describedBy"] == f"{_SCHEMA}/catalog.json"
    assert len(body["dataset"]) == len(frequencies) * 3
    periodicities = {entry.get("accrualPeriodicity") for entry in body["dataset"]}
    assert periodicities == {
        *("R/P1Y", "R/P6M", "R/P3M", "R/P2M", "R/P1M", "R/P2W", "R/P1W", "R/P1D"),
        *("irregular", None),
    }
    levels = {entry["accessLevel"] for entry in body["dataset"]}
    assert levels == {"public", "restricted public", "non-public"}


def test_public_dataset_in_full(client, agency_a, ado_a):
    DatasetFactory(
        inventory=_accepted(agency_a),
        title="Child care programs",
        description="",
        tags="child care; licensing",
        portal_id="abcd-1234",
        update_frequency=UpdateFrequency.QUARTERLY,
        temporal_coverage="2012-2018",
        geographic_unit=GeographicUnit.MUNICIPALITY,
        data_owner="Licensing Division",
        contact_email="licensing@ct.example",
    )

    entry = _entries(client)["Child care programs"]

    assert entry["description"] == "No description was given in the agency's inventory."
    assert entry["keyword"] == ["child care", "licensing"]
    assert entry["identifier"] == "https://data.ct.gov/d/abcd-1234"
    assert entry["landingPage"] == "https://data.ct.gov/d/abcd-1234"
    assert entry["distribution"] == [
        {
            "@type": "dcat:Distribution",
            "downloadURL": "https://data.ct.gov/api/views/abcd-1234/rows.csv?accessType=DOWNLOAD",
            "mediaType": "text/csv",
        }
    ]
    assert entry["accrualPeriodicity"] == "R/P3M"
    assert entry["temporal"] == "2012/2018"
    assert entry["spatial"] == "Connecticut"
    assert entry["theme"] == ["Education"]
    assert entry["publisher"] == {"@type": "org:Organization", "name": "Department of Alpha"}
    assert entry["contactPoint"] == {
        "@type": "vcard:Contact",
        "fn": "Licensing Division",
        "hasEmail": "mailto:licensing@ct.example",
    }
    assert "rights" not in entry
    assert entry["license"].startswith("https://")


def test_restricted_public_carries_its_reason_but_no_download(client, agency_a):
    DatasetFactory(
        inventory=_accepted(agency_a),
        title="Well permits",
        access_level=AccessLevel.RESTRICTED,
        access_reason="Available on request under a data use agreement.",
        portal_id="wxyz-9876",
    )

    entry = _entries(client)["Well permits"]

    assert entry["rights"] == "Available on request under a data use agreement."
    assert entry["landingPage"] == "https://data.ct.gov/d/wxyz-9876"
    assert "distribution" not in entry
    assert "license" not in entry


def test_non_public_entries_carry_no_sensitive_fields(client, agency_a, ado_a):
    agency_a.contact_email = "alpha-data@ct.example"
    agency_a.save()
    DatasetFactory(
        inventory=_accepted(agency_a),
        title="Probation case files",
        access_level=AccessLevel.NON_PUBLIC,
        access_reason="CGS §54-63d: confidential.",
        data_owner="Probation Unit",
        contact_email="probation-unit@ct.example",
        portal_id="priv-0001",
        source_link="https://internal.ct.example/probation",
        temporal_coverage="2012-2018",
        geographic_unit=GeographicUnit.ADDRESS,
        has_unique_identifiers=True,
        unique_identifiers_detail="Names and SSNs",
    )

    raw = client.get("/data.json").content.decode()
    entry = _entries(client)["Probation case files"]

    assert set(entry) <= NON_PUBLIC_KEYS
    assert entry["rights"] == "CGS §54-63d: confidential."
    assert entry["contactPoint"] == {
        "@type": "vcard:Contact",
        "fn": "Department of Alpha",
        "hasEmail": "mailto:alpha-data@ct.example",
    }
    for secret in ("Probation Unit", "probation-unit@", "internal.ct.example", "SSN", "priv-0001"):
        assert secret not in raw


def test_contact_falls_back_to_the_agency_then_its_ado(client, agency_a, ado_a):
    inventory = _accepted(agency_a)
    DatasetFactory(inventory=inventory, title="No mailbox", data_owner="", contact_email="")

    entry = _entries(client)["No mailbox"]

    assert entry["contactPoint"]["fn"] == "Department of Alpha"
    assert entry["contactPoint"]["hasEmail"] == "mailto:alice@ct.example"


def test_identifier_without_portal_id_is_stable_across_years(client, agency_a, settings):
    settings.CTODP_PUBLIC_BASE_URL = "https://ctodp.ct.example/"
    first = DatasetFactory(inventory=_accepted(agency_a, 2024), title="Kept")
    DatasetFactory(inventory=_accepted(agency_a, 2025), title="Kept", uid=first.uid)

    entry = _entries(client)["Kept"]

    assert entry["identifier"] == f"https://ctodp.ct.example/catalog/?uid={first.uid}"
    assert "landingPage" not in entry


def test_only_the_latest_accepted_inventory_of_each_agency(client, agency_a, agency_b):
    DatasetFactory(inventory=_accepted(agency_a, 2024), title="Alpha 2024")
    DatasetFactory(inventory=_accepted(agency_a, 2025), title="Alpha 2025")
    DatasetFactory(
        inventory=InventoryFactory(agency=agency_a, year=2026, status=InventoryStatus.SUBMITTED),
        title="Alpha 2026 under review",
    )
    DatasetFactory(inventory=_accepted(agency_b, 2023), title="Beta 2023")
    DatasetFactory(inventory=InventoryFactory(agency=agency_b, year=2024), title="Beta draft")

    assert set(_entries(client)) == {"Alpha 2025", "Beta 2023"}


def test_empty_catalog_is_still_valid(client, db):
    body = client.get("/data.json").json()
    _validator().validate(body)
    assert body["dataset"] == []


def test_query_count_is_the_same_for_3_and_30_datasets(client, agency_a, agency_b):
    for agency in (agency_a, agency_b):
        MembershipFactory(agency=agency, role=Role.ADO, user=UserFactory())
    accepted = [_accepted(agency_a), _accepted(agency_b)]
    counts = []
    for size in (3, 27):
        for n in range(size):
            access = [AccessLevel.PUBLIC, AccessLevel.RESTRICTED, AccessLevel.NON_PUBLIC][n % 3]
            DatasetFactory(
                inventory=accepted[n % 2],
                access_level=access,
                access_reason="" if access == AccessLevel.PUBLIC else "Statute",
                contact_email="",  # so the agency's ADO is looked up
            )
        with CaptureQueriesContext(connection) as captured:
            body = client.get("/data.json").json()
        assert all("hasEmail" in entry["contactPoint"] for entry in body["dataset"])
        counts.append(len(captured))
    assert len(body["dataset"]) == 30
    assert counts[0] == counts[1]
