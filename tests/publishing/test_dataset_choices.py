"""The new-publication form offers each data asset once — its newest inventory row — labelled with
the inventory year and the agency, and only the publisher's own agency's."""

import re

import pytest

from tests.inventories.factories import DatasetFactory, InventoryFactory


@pytest.fixture
def two_years(agency_a, agency_b):
    """2025 and 2026 inventories of Alpha; 2026 carries "Autopsies" forward (same uid), and
    "Old toxicology" was listed in 2025 only."""
    old, new = InventoryFactory(agency=agency_a, year=2025), InventoryFactory(agency=agency_a)
    autopsies_2025 = DatasetFactory(inventory=old, title="Autopsies")
    autopsies_2026 = DatasetFactory(inventory=new, title="Autopsies", uid=autopsies_2025.uid)
    DatasetFactory(inventory=old, title="Old toxicology")
    DatasetFactory(inventory=InventoryFactory(agency=agency_b), title="Beta bridges")
    return autopsies_2025, autopsies_2026


def _options(html: str) -> list[str]:
    select = re.search(r'<select name="dataset".*?</select>', html, re.S).group()
    return re.findall(r"<option value=\"\d+\"[^>]*>([^<]*)</option>", select)


def test_each_dataset_is_offered_once_with_its_year_and_agency(client, publisher_a, two_years):
    client.force_login(publisher_a)
    options = _options(client.get("/publishing/new/").content.decode())
    assert options == [
        "Autopsies — 2026 inventory, DOA",
        "Old toxicology — 2025 inventory, DOA",
    ]


def test_a_link_from_an_older_year_preselects_the_newest_row(client, publisher_a, two_years):
    autopsies_2025, autopsies_2026 = two_years
    client.force_login(publisher_a)
    response = client.get("/publishing/new/", {"dataset": autopsies_2025.pk})
    assert response.context["form"]["dataset"].value() == autopsies_2026.pk


def test_an_older_row_of_a_carried_dataset_is_refused(client, publisher_a, two_years):
    autopsies_2025, _ = two_years
    client.force_login(publisher_a)
    response = client.post(
        "/publishing/new/", {"dataset": autopsies_2025.pk, "kind": "rows", "mode": "upsert"}
    )
    assert response.status_code == 200
    assert "dataset" in response.context["form"].errors
