"""Discoverability (ADR 0028): schema.org JSON-LD on the catalog pages, /sitemap.xml and
/robots.txt, as a search engine's crawler reads them (anonymous, over plain HTTP GETs)."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from catalog.jsonld import script_body
from inventories.choices import AccessLevel, GeographicUnit, InventoryStatus
from inventories.models import Dataset
from publishing.models import Publication
from tests.inventories.factories import DatasetFactory, InventoryFactory
from tests.upkeep.test_retirement_pages import retired

pytestmark = pytest.mark.django_db

LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
BASE = settings.CTODP_PUBLIC_BASE_URL.rstrip("/")
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _json_ld(response) -> list[dict]:
    assert response.status_code == 200
    return [json.loads(block) for block in LD.findall(response.content.decode())]


def _accepted(agency, year=2025):
    return InventoryFactory(agency=agency, year=year, status=InventoryStatus.ACCEPTED)


@pytest.fixture
def bridges(agency_a):
    return DatasetFactory(
        inventory=_accepted(agency_a),
        title="Bridge inspections",
        description="Every state bridge's latest inspection rating.",
        tags="bridges; safety ;inspections",
        temporal_coverage="2012-2024",
        geographic_unit=GeographicUnit.TRACT,
        portal_id="brdg-2024",
    )


def test_the_dataset_page_describes_the_dataset_in_schema_org_terms(client, bridges):
    [ld] = _json_ld(client.get(f"/catalog/datasets/{bridges.uid}/"))

    page_url = f"{BASE}/catalog/datasets/{bridges.uid}/"
    csv_url = f"https://{settings.CTODP_PORTAL_DOMAIN}/api/views/brdg-2024/rows.csv"
    assert ld == {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": "Bridge inspections",
        "description": "Every state bridge's latest inspection rating.",
        "url": page_url,
        "identifier": str(bridges.uid),
        "keywords": ["bridges", "safety", "inspections"],
        "license": "https://creativecommons.org/publicdomain/zero/1.0/",
        "isAccessibleForFree": True,
        "publisher": {"@type": "GovernmentOrganization", "name": "Department of Alpha"},
        "temporalCoverage": "2012/2024",
        "spatialCoverage": {"@type": "Place", "name": "Connecticut"},
        "distribution": [
            {
                "@type": "DataDownload",
                "contentUrl": f"{csv_url}?accessType=DOWNLOAD",
                "encodingFormat": "text/csv",
            }
        ],
        "dateModified": bridges.updated_at.date().isoformat(),
        "includedInDataCatalog": {
            "@type": "DataCatalog",
            "name": "CT Data Catalog",
            "url": f"{BASE}/catalog/",
        },
    }


def test_a_restricted_dataset_offers_no_licence_and_no_download(client, agency_a):
    dataset = DatasetFactory(
        inventory=_accepted(agency_a),
        access_level=AccessLevel.RESTRICTED,
        access_reason="Available on request to researchers.",
        portal_id="rstr-0001",
    )
    [ld] = _json_ld(client.get(f"/catalog/datasets/{dataset.uid}/"))
    assert ld["name"] == dataset.title
    assert not {"license", "distribution", "isAccessibleForFree"} & set(ld)


def test_a_non_public_dataset_page_shows_title_and_reason_and_no_json_ld(client, agency_a):
    dataset = DatasetFactory(
        inventory=_accepted(agency_a),
        title="Probation case files",
        description="Names of every person on probation",
        access_level=AccessLevel.NON_PUBLIC,
        access_reason="CGS §54-63d: confidential.",
    )
    response = client.get(f"/catalog/datasets/{dataset.uid}/")
    html = response.content.decode()
    assert _json_ld(response) == []
    assert "Probation case files" in html
    assert "CGS §54-63d: confidential." in html
    assert "Names of every person" not in html


def test_a_dataset_in_no_accepted_inventory_has_no_page(client, agency_a):
    draft = DatasetFactory(inventory__agency=agency_a, inventory__status=InventoryStatus.DRAFT)
    assert client.get(f"/catalog/datasets/{draft.uid}/").status_code == 404
    assert client.get("/catalog/datasets/8a8f7b4e-0000-4000-8000-000000000000/").status_code == 404


def test_the_page_shows_the_newest_accepted_year_of_a_data_asset(client, agency_a, bridges):
    newer = DatasetFactory(inventory=_accepted(agency_a, 2026), uid=bridges.uid, title="Bridges v2")
    DatasetFactory(
        inventory=InventoryFactory(agency=agency_a, year=2027), uid=bridges.uid, title="Draft"
    )
    [ld] = _json_ld(client.get(f"/catalog/datasets/{bridges.uid}/"))
    assert ld["name"] == newer.title


def test_a_title_that_closes_the_script_tag_stays_inside_it(client, agency_a):
    title = 'Tolls </script><script>alert("x")</script> & <!-- fees'
    dataset = DatasetFactory(inventory=_accepted(agency_a), title=title)
    response = client.get(f"/catalog/datasets/{dataset.uid}/")
    html = response.content.decode()
    assert "<script>alert" not in html
    [ld] = _json_ld(response)
    assert ld["name"] == title
    [catalog] = _json_ld(client.get("/catalog/"))
    assert [entry["name"] for entry in catalog["dataset"]] == [title]


@given(st.dictionaries(st.text(), st.text(), max_size=4))
def test_the_script_body_never_holds_markup_and_reads_back_the_same(data):
    body = script_body(data)
    assert not {"<", ">", "&"} & set(body)
    assert json.loads(body) == data


def test_the_catalog_home_is_a_data_catalog_of_its_describable_datasets(client, agency_a, bridges):
    DatasetFactory(
        inventory=bridges.inventory,
        title="Sealed",
        access_level=AccessLevel.NON_PUBLIC,
        access_reason="Confidential.",
    )
    [ld] = _json_ld(client.get("/catalog/"))
    assert ld["@type"] == "DataCatalog"
    assert ld["url"] == f"{BASE}/catalog/"
    assert ld["dataset"] == [
        {
            "@type": "Dataset",
            "name": "Bridge inspections",
            "url": f"{BASE}/catalog/datasets/{bridges.uid}/",
        }
    ]


def _sitemap_locations(client) -> set[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 (our own response)
    return {loc.text for loc in root.findall("s:url/s:loc", SITEMAP_NS)}


def test_the_sitemap_lists_exactly_the_public_datasets_still_on_the_portal(
    client, agency_a, agency_b, publisher_a, bridges
):
    DatasetFactory(inventory=_accepted(agency_a, 2026), uid=bridges.uid)  # same asset, newer
    DatasetFactory(inventory=_accepted(agency_b), title="Beta public")
    DatasetFactory(
        inventory=bridges.inventory,
        access_level=AccessLevel.NON_PUBLIC,
        access_reason="Confidential.",
    )
    DatasetFactory(
        inventory=bridges.inventory,
        access_level=AccessLevel.RESTRICTED,
        access_reason="On request.",
    )
    DatasetFactory(inventory=InventoryFactory(agency=agency_b, year=2027))  # not accepted
    gone = DatasetFactory(inventory=bridges.inventory, title="Old tolls", portal_id="toll-0001")
    publication = Publication.objects.create(
        dataset=gone, agency=agency_a, portal_id="toll-0001", created_by=publisher_a
    )
    retired(publication, publisher_a)
    # Once public, then made non-public the next year: its page no longer describes it.
    later_closed = DatasetFactory(inventory=_accepted(agency_b, 2024))
    DatasetFactory(
        inventory=_accepted(agency_b, 2026),
        uid=later_closed.uid,
        access_level=AccessLevel.NON_PUBLIC,
        access_reason="Now confidential.",
    )

    # Independently: the newest accepted row of each asset, public, its portal id not retired.
    newest: dict = {}
    for row in Dataset.objects.filter(inventory__status=InventoryStatus.ACCEPTED):
        if row.uid not in newest or row.inventory.year > newest[row.uid].inventory.year:
            newest[row.uid] = row
    expected = {
        f"{BASE}/catalog/datasets/{row.uid}/"
        for row in newest.values()
        if row.access_level == AccessLevel.PUBLIC and row.portal_id != "toll-0001"
    }
    assert len(expected) == 2
    assert _sitemap_locations(client) == expected | {f"{BASE}/catalog/", f"{BASE}/catalog/retired/"}


def test_robots_txt_points_crawlers_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert f"Sitemap: {BASE}/sitemap.xml" in lines
    assert "Allow: /catalog/" in lines
    assert "Disallow: /dashboard/" in lines
    assert "Disallow: /catalog/requests/" in lines  # private status links (ADR 0027)
