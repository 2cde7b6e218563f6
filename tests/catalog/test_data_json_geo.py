"""data.json (ADR 0029): a dataset on the CT Geo Data Portal has its item page as landingPage."""

import pytest

from tests.catalog.test_data_json import _accepted, _entries, _validator
from tests.inventories.factories import DatasetFactory

pytestmark = pytest.mark.django_db

GEO_PAGE = "https://geodata.ct.gov/datasets/0a1b2c3d4e5f40718293a4b5c6d7e8f9"


def test_a_geo_portal_dataset_lands_on_its_geo_item_page(client, agency_a):
    inventory = _accepted(agency_a)
    DatasetFactory(inventory=inventory, title="Town boundaries", geo_portal_url=GEO_PAGE)
    DatasetFactory(
        inventory=inventory,
        title="Bridges",
        portal_id="abcd-1234",
        geo_portal_url=GEO_PAGE.replace("0a1b", "ffff"),
    )

    entries = _entries(client)

    assert entries["Town boundaries"]["landingPage"] == GEO_PAGE
    # On both portals, the Open Data Portal page stays the landing page (its data is there).
    assert entries["Bridges"]["landingPage"] == "https://data.ct.gov/d/abcd-1234"
    _validator().validate(client.get("/data.json").json())
