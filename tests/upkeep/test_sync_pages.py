"""Unclaimed portal assets and their assignment; an agency's stale list; freshness badges."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from publishing.models import Publication
from tests.inventories.factories import DatasetFactory, InventoryFactory
from upkeep.models import AssetLink, GeoItem, PortalAsset, PortalSync

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
MARCH_1 = datetime.datetime(2026, 3, 1, 12, tzinfo=UTC)  # noon: the same day in Connecticut
APRIL_15 = datetime.datetime(2026, 4, 15, 9, tzinfo=UTC)  # 45 days on: a monthly update is stale


def asset(
    portal_id: str, *, name: str = "", dataset=None, updated=MARCH_1, **fields
) -> PortalAsset:
    return PortalAsset.objects.create(
        portal_id=portal_id,
        name=name or f"Asset {portal_id}",
        dataset=dataset,
        agency=dataset.agency if dataset else None,
        link=AssetLink.INVENTORY if dataset else AssetLink.NONE,
        data_updated_at=updated,
        first_seen_at=updated,
        last_seen_at=updated,
        **fields,
    )


# --- unclaimed assets ---------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["dapa", "cdo", "portal_admin"])
def test_program_staff_see_unclaimed_assets(client, request, persona, agency_a):
    claimed = DatasetFactory(inventory__agency=agency_a)
    asset("unc1-aaaa", name="Nobody's", page_views=321, downloads=9)
    asset("clm1-aaaa", name="Alpha's", dataset=claimed)
    asset("gone-aaaa", name="Gone", missing_since=MARCH_1)
    PortalSync.objects.create(status="succeeded", assets_read=3, linked=1, unclaimed=1)
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("upkeep:unclaimed"))

    assert response.status_code == 200
    assert [a.portal_id for a in response.context["assets"]] == ["unc1-aaaa"]
    assert [a.portal_id for a in response.context["missing"]] == ["gone-aaaa"]
    page = response.content.decode()
    assert "Nobody&#x27;s" in page
    assert "321" in page
    assert "3 assets read" in page


@pytest.mark.parametrize("persona", ["ado_a", "publisher_a", "viewer_a", "outsider"])
def test_agency_people_may_not_see_or_assign_unclaimed_assets(client, request, persona):
    target = asset("unc1-aaaa")
    client.force_login(request.getfixturevalue(persona))

    listing = client.get(reverse("upkeep:unclaimed"))
    assign = client.post(reverse("upkeep:asset_assign", args=[target.pk]), {"agency": "alpha"})

    assert (listing.status_code, assign.status_code) == (403, 403)
    assert PortalAsset.objects.get().agency is None


def test_dapa_assigns_an_asset_to_an_agency_and_one_of_its_datasets(client, dapa, agency_a):
    roads = DatasetFactory(inventory__agency=agency_a, title="Roads")
    DatasetFactory(inventory=roads.inventory, title="Bridges")
    DatasetFactory(title="Someone else's")
    target = asset("unc1-aaaa")
    client.force_login(dapa)
    url = reverse("upkeep:asset_assign", args=[target.pk])

    first = client.get(url)
    second = client.get(url, {"agency": "alpha"})
    response = client.post(url, {"agency": "alpha", "dataset": roads.pk})

    assert "agency" in first.context["form"].fields
    assert "dataset" not in first.context["form"]
    choices = [label for _, label in second.context["form"].fields["dataset"].choices]
    assert choices == [
        "No particular dataset",
        "Bridges (2026 inventory)",
        "Roads (2026 inventory)",
    ]
    assert response.status_code == 302
    assert response.url == reverse("upkeep:unclaimed")
    target.refresh_from_db()
    assert (target.agency, target.dataset, target.link) == (agency_a, roads, "assigned")
    record = target.history.first()
    assert record.history_user == dapa
    assert "Assigned to" in record.history_change_reason


def test_a_dataset_of_another_agency_is_refused_with_a_message(client, dapa, agency_a, agency_b):
    theirs = DatasetFactory(inventory__agency=agency_b)
    target = asset("unc1-aaaa")
    client.force_login(dapa)

    response = client.post(
        reverse("upkeep:asset_assign", args=[target.pk]),
        {"agency": "alpha", "dataset": theirs.pk},
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert PortalAsset.objects.get().agency is None


def test_an_asset_an_inventory_claims_cannot_be_reassigned(client, dapa, agency_a, agency_b):
    claimed = asset("clm1-aaaa", dataset=DatasetFactory(inventory__agency=agency_a))
    client.force_login(dapa)

    response = client.post(reverse("upkeep:asset_assign", args=[claimed.pk]), {"agency": "beta"})

    assert response.status_code == 200
    assert "already claimed by" in response.content.decode()
    claimed.refresh_from_db()
    assert claimed.agency == agency_a


def test_an_unknown_agency_or_asset_is_a_message_or_404(client, dapa):
    target = asset("unc1-aaaa")
    client.force_login(dapa)

    bad_agency = client.get(reverse("upkeep:asset_assign", args=[target.pk]), {"agency": "zz"})
    no_asset = client.get(reverse("upkeep:asset_assign", args=[9999]))

    assert bad_agency.status_code == 200
    assert "Select a valid choice" in bad_agency.content.decode()
    assert no_asset.status_code == 404


# session, user, groups, memberships (menu), last sync, 2 lists, last Geo sync, Geo items
UNCLAIMED_PAGE_QUERIES = 9


@pytest.mark.parametrize("size", [2, 6])
def test_unclaimed_page_queries_do_not_grow(client, dapa, size, django_assert_num_queries):
    for number in range(size):
        asset(f"u{number:03d}-aaaa")
        asset(f"g{number:03d}-aaaa", missing_since=MARCH_1)
        GeoItem.objects.create(
            item_id=f"{number:032x}",
            title=f"Geo {number}",
            first_seen_at=MARCH_1,
            last_seen_at=MARCH_1,
        )
    client.force_login(dapa)

    with django_assert_num_queries(UNCLAIMED_PAGE_QUERIES):
        response = client.get(reverse("upkeep:unclaimed"))

    assert len(response.context["assets"]) == len(response.context["missing"]) == size
    assert len(response.context["geo_items"]) == size


# --- stale lists and badges -----------------------------------------------------------------


@pytest.fixture
def alpha_datasets(agency_a):
    inventory = InventoryFactory(agency=agency_a, year=2026)
    stale = DatasetFactory(inventory=inventory, title="Roads", update_frequency="Monthly")
    asset("road-0001", dataset=stale, updated=MARCH_1)
    soon = DatasetFactory(inventory=inventory, title="Tunnels", update_frequency="Monthly")
    asset("tunl-0001", dataset=soon, updated=MARCH_1 + datetime.timedelta(days=20))
    fresh = DatasetFactory(inventory=inventory, title="Ferries", update_frequency="Annually")
    asset("ferr-0001", dataset=fresh, updated=MARCH_1)
    DatasetFactory(inventory=inventory, title="Notes", update_frequency="As needed")
    return {"stale": stale, "soon": soon, "fresh": fresh}


@pytest.mark.parametrize("persona", ["ado_a", "viewer_a", "dapa", "cdo"])
def test_agency_members_and_staff_see_the_stale_list(client, request, persona, alpha_datasets):
    client.force_login(request.getfixturevalue(persona))

    with time_machine.travel(APRIL_15, tick=False):
        response = client.get(reverse("upkeep:stale", args=["alpha"]))

    assert response.status_code == 200
    assert [e.dataset.title for e in response.context["stale"]] == ["Roads"]
    assert [e.dataset.title for e in response.context["due"]] == ["Tunnels"]
    page = response.content.decode()
    assert "Ferries" not in page
    assert "Notes" not in page
    assert "2026-04-01" in page  # Roads was due April 1


def test_another_agencys_stale_list_is_404(client, ado_b, alpha_datasets):
    client.force_login(ado_b)

    assert client.get(reverse("upkeep:stale", args=["alpha"])).status_code == 404


@pytest.mark.parametrize("size", [2, 6])
def test_stale_list_queries_do_not_grow(client, ado_a, agency_a, size, django_assert_num_queries):
    inventory = InventoryFactory(agency=agency_a)
    for number in range(size):
        dataset = DatasetFactory(inventory=inventory, update_frequency="Daily")
        asset(f"stal-{number:04d}", dataset=dataset, updated=MARCH_1)
    client.force_login(ado_a)

    with (
        time_machine.travel(APRIL_15, tick=False),
        django_assert_num_queries(STALE_PAGE_QUERIES),
    ):
        response = client.get(reverse("upkeep:stale", args=["alpha"]))

    assert len(response.context["stale"]) == size


STALE_PAGE_QUERIES = 11  # session, user, agency, groups, memberships, 4 for freshness, 2 perms


def test_the_dataset_page_shows_its_freshness_in_words(client, ado_a, alpha_datasets):
    roads = alpha_datasets["stale"]
    client.force_login(ado_a)

    with time_machine.travel(APRIL_15, tick=False):
        page = client.get(roads.get_absolute_url()).content.decode()

    assert 'data-freshness="stale">Stale</span>' in page
    assert "Last updated March 1, 2026, expected every 31 days (monthly), due April 1, 2026" in page


def test_the_publication_page_shows_its_datasets_freshness(client, ado_a, alpha_datasets):
    tunnels = alpha_datasets["soon"]
    publication = Publication.objects.create(
        dataset=tunnels, agency=tunnels.agency, created_by=ado_a, portal_id="tunl-0001"
    )
    client.force_login(ado_a)

    with time_machine.travel(APRIL_15, tick=False):
        page = client.get(publication.get_absolute_url()).content.decode()

    assert 'data-freshness="due_soon">Due soon</span>' in page
    assert "due April 21, 2026" in page


def test_an_irregular_dataset_says_why_it_has_no_due_date(client, ado_a, agency_a):
    notes = DatasetFactory(inventory__agency=agency_a, update_frequency="As needed")
    asset("note-0001", dataset=notes, updated=timezone.now())
    client.force_login(ado_a)

    page = client.get(notes.get_absolute_url()).content.decode()

    assert 'data-freshness="unknown">Unknown</span>' in page
    assert 'declared "as needed", so nothing is expected by a date' in page
