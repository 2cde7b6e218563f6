"""The public CT Data Catalog: /catalog/ and /catalog.csv, as an anonymous visitor sees them."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inventories.choices import AccessLevel, Category, InventoryStatus
from inventories.models import Dataset
from tests.factories import AgencyFactory
from tests.inventories.factories import DatasetFactory, InventoryFactory

pytestmark = pytest.mark.django_db

SECRET_DESCRIPTION = "Case notes of every person on probation, by name"
SECRET_CONTACT = "probation-unit@ct.example"


@pytest.fixture
def accepted_a(agency_a):
    return InventoryFactory(agency=agency_a, year=2025, status=InventoryStatus.ACCEPTED)


@pytest.fixture
def non_public(accepted_a):
    return DatasetFactory(
        inventory=accepted_a,
        title="Probation case files",
        description=SECRET_DESCRIPTION,
        contact_email=SECRET_CONTACT,
        data_owner="Probation Unit",
        category=Category.PUBLIC_SAFETY,
        tags="probation;casework",
        access_level=AccessLevel.NON_PUBLIC,
        access_reason="CGS §54-63d: probation records are confidential.",
    )


def _csv(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_anonymous_sees_accepted_inventories_only(client, agency_a, agency_b, accepted_a):
    DatasetFactory(inventory=accepted_a, title="Licensed child care programs")
    for year, status in [
        (2026, InventoryStatus.DRAFT),
        (2024, InventoryStatus.SUBMITTED),
        (2023, InventoryStatus.RETURNED),
    ]:
        inventory = InventoryFactory(agency=agency_a, year=year, status=status)
        DatasetFactory(inventory=inventory, title=f"Unreviewed dataset {status}")
    DatasetFactory(inventory__agency=agency_b, title="Beta draft dataset")

    response = client.get("/catalog/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Licensed child care programs" in html
    assert "Department of Alpha — 2025 inventory" in html
    assert "Unreviewed dataset" not in html
    assert "Beta draft dataset" not in html
    rows = _csv(client.get("/catalog.csv"))
    assert [row["Title"] for row in rows] == ["Licensed child care programs"]


def test_non_public_rows_show_only_title_agency_access_level_and_reason(client, non_public):
    html = client.get("/catalog/").content.decode()

    assert "Probation case files" in html
    assert "Non-public" in html
    assert "probation records are confidential" in html
    assert SECRET_DESCRIPTION not in html
    assert SECRET_CONTACT not in html
    assert "Probation Unit" not in html
    assert "Public Safety</td>" not in html


def test_catalog_csv_lists_every_column_and_blanks_non_public_details(
    client, accepted_a, non_public
):
    DatasetFactory(
        inventory=accepted_a,
        title="=HYPERLINK(evil)",
        portal_id="abcd-1234",
        tags="child care; licensing",
        temporal_coverage="2012-2018",
    )

    response = client.get("/catalog.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    formula, secret = _csv(response)
    assert formula["Title"] == "'=HYPERLINK(evil)"  # neutralised for spreadsheet programs
    assert formula["Agency"] == "Department of Alpha"
    assert formula["Inventory year"] == "2025"
    assert formula["Portal URL"] == "https://data.ct.gov/d/abcd-1234"
    assert formula["Tags"] == "child care; licensing"
    assert formula["Category"] == "Education"
    assert secret["Title"] == "Probation case files"
    assert secret["Access level"] == "Non-public"
    assert secret["Reason not public"].startswith("CGS §54-63d")
    withheld = set(secret) - {"Agency", "Inventory year", "Title", "Access level"}
    assert all(secret[column] == "" for column in withheld - {"Reason not public"})


def test_filters_by_agency_year_category_and_search(client, agency_a, agency_b, accepted_a):
    DatasetFactory(inventory=accepted_a, title="Alpha schools", category=Category.EDUCATION)
    DatasetFactory(inventory=accepted_a, title="Alpha roads", category=Category.TRANSPORTATION)
    older = InventoryFactory(agency=agency_a, year=2024, status=InventoryStatus.ACCEPTED)
    DatasetFactory(inventory=older, title="Alpha schools 2024")
    beta = InventoryFactory(agency=agency_b, year=2025, status=InventoryStatus.ACCEPTED)
    DatasetFactory(inventory=beta, title="Beta bridges", description="Bridge inspections")

    def titles(**params) -> set[str]:
        return {row["Title"] for row in _csv(client.get("/catalog.csv", params))}

    assert titles(agency="beta") == {"Beta bridges"}
    assert titles(agency="alpha", year=2024) == {"Alpha schools 2024"}
    assert titles(category="Transportation") == {"Alpha roads"}
    assert titles(search="inspections") == {"Beta bridges"}
    html = client.get("/catalog/", {"agency": "alpha"}).content.decode()
    assert "Alpha roads" in html
    assert "Beta bridges" not in html
    assert 'href="/catalog/?agency=alpha&amp;year=2024"' in html
    assert '<label class="usa-label" for="id_agency">Agency</label>' in html
    assert '<option value="Environment and Natural Resources">Environment and Natural' in html


def test_an_unknown_filter_value_lists_nothing_and_says_why(client, accepted_a):
    DatasetFactory(inventory=accepted_a, title="Alpha schools")

    assert _csv(client.get("/catalog.csv", {"agency": "gamma"})) == []
    html = client.get("/catalog/", {"agency": "gamma"}).content.decode()
    assert "Alpha schools" not in html
    assert "Select a valid choice. gamma is not one of the available choices." in html
    assert "That dataset identifier is not valid." in client.get("/catalog/?uid=x").content.decode()


def test_search_and_category_do_not_reveal_what_non_public_rows_hide(client, non_public):
    assert _csv(client.get("/catalog.csv", {"search": "Probation"}))  # the title is public
    assert _csv(client.get("/catalog.csv", {"search": "by name"})) == []
    assert _csv(client.get("/catalog.csv", {"category": Category.PUBLIC_SAFETY})) == []


def test_identifier_link_finds_the_dataset_across_years(client, agency_a, accepted_a):
    dataset = DatasetFactory(inventory=accepted_a, title="Kept every year")
    later = InventoryFactory(agency=agency_a, year=2026, status=InventoryStatus.ACCEPTED)
    DatasetFactory(inventory=later, uid=dataset.uid, title="Kept every year")
    DatasetFactory(inventory=later, title="Another one")

    rows = _csv(client.get("/catalog.csv", {"uid": str(dataset.uid)}))

    assert [(r["Title"], r["Inventory year"]) for r in rows] == [
        ("Kept every year", "2026"),
        ("Kept every year", "2025"),
    ]


def test_catalog_is_paginated(client, accepted_a, monkeypatch):
    monkeypatch.setattr("catalog.views.PAGE_SIZE", 2)
    for n in range(5):
        DatasetFactory(inventory=accepted_a, title=f"Dataset {n}")

    response = client.get("/catalog/", {"page": 3})

    assert "Page 3 of 3 (5 datasets)" in response.content.decode()
    assert [d.title for d in response.context["page"]] == ["Dataset 4"]


def _accepted(agency, year: int = 2025):
    return InventoryFactory(agency=agency, year=year, status=InventoryStatus.ACCEPTED)


def _catalog(accepted: list, size: int) -> None:
    for n in range(size):
        access = [AccessLevel.PUBLIC, AccessLevel.RESTRICTED, AccessLevel.NON_PUBLIC][n % 3]
        DatasetFactory(
            inventory=accepted[n % len(accepted)],
            access_level=access,
            access_reason="" if access == AccessLevel.PUBLIC else "Statute",
            portal_id=f"abcd-{n:04d}",
        )


@pytest.mark.parametrize("path", ["/catalog/", "/catalog.csv"])
def test_query_count_is_the_same_for_3_and_30_datasets(client, agency_a, agency_b, path):
    accepted = [_accepted(agency_a), _accepted(agency_b)]
    counts = []
    for size in (3, 27):
        _catalog(accepted, size)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
            body = b"".join(response.streaming_content) if response.streaming else response.content
        counts.append(len(captured))
        shown = Dataset.objects.exclude(access_level=AccessLevel.NON_PUBLIC).count()
        assert body.count(b"data.ct.gov/d/abcd-") == shown  # every row was rendered
        if size == 3:  # more agencies and years (page sections) next time
            accepted += [_accepted(AgencyFactory()), _accepted(agency_a, 2024)]
    assert counts[0] == counts[1]
