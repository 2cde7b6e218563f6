"""The CT Data Catalog and the retired-assets list as portal datasets (ADR 0030): pushed by the
ordinary runner to the sandbox portal over real HTTP with sodapy, refreshed when an inventory is
accepted or a retirement advances, and checked against /catalog.csv and /catalog/retired.csv
parsed here with the csv module."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from catalog.portal import catalog_publications_setup
from inventories import services as inventory_services
from inventories.choices import AccessLevel, InventoryStatus
from privacy.services import check_privacy_gate
from publishing import builtin, services
from publishing.models import Mode, Publication, RunStatus, RunTrigger, SourceKind
from tests.factories import AgencyFactory
from tests.inventories.factories import DatasetFactory, InventoryFactory
from tests.publishing.helpers import ocme_dataset, ready_publication, record_screen
from tests.sandbox import PASSWORD, USERNAME
from upkeep import retirement as retire

pytestmark = pytest.mark.clock("2026-03-02T15:00:00Z")


@pytest.fixture
def opm(db, settings):
    settings.CTODP_CATALOG_AGENCY = "opm"
    return AgencyFactory(name="Office of Policy and Management", acronym="OPM", slug="opm")


@pytest.fixture
def catalog_publications(opm, cdo) -> dict[str, Publication]:
    return {p.source_kind: p for p in catalog_publications_setup(acting_user=cdo)}


@pytest.fixture
def submitted(agency_a, ado_a):
    """Agency A's inventory, submitted, with values a CSV must quote or neutralise."""
    inventory = InventoryFactory(agency=agency_a, year=2026, status=InventoryStatus.SUBMITTED)
    DatasetFactory(inventory=inventory, title='Bridges, culverts and "tunnels"', tags="a;b")
    DatasetFactory(inventory=inventory, title='=HYPERLINK("x")', description="Line one\nTwo")
    DatasetFactory(
        inventory=inventory,
        title="Case notes",
        access_level=AccessLevel.NON_PUBLIC,
        access_reason="CGS §17b-90: client records are confidential",
        description="Never shown to the public",
    )
    return inventory


def _field(header: str) -> str:
    """The portal's field name for a header, written out here rather than borrowed."""
    return re.sub(r"[^a-z0-9]+", "_", header.lower()).strip("_")


def _csv_rows(client, url: str) -> list[dict[str, str]]:
    """The export's rows as the portal keeps them: field names, empty cells absent."""
    body = b"".join(client.get(url).streaming_content).decode("utf-8-sig")
    reader = csv.reader(io.StringIO(body, newline=""))
    header = [_field(name) for name in next(reader)]
    return [{f: v for f, v in zip(header, row, strict=True) if v != ""} for row in reader]


def _portal_rows(sandbox, publication: Publication) -> list[dict[str, str]]:
    from tests.publishing.helpers import portal_rows

    publication.refresh_from_db()
    rows = portal_rows(sandbox.domain, publication.portal_id, USERNAME, PASSWORD)
    return [{k: v for k, v in row.items() if not k.startswith(":")} for row in rows]


def _accept(inventory, cdo, capture) -> None:
    with capture(execute=True):
        inventory_services.inventory_accept(inventory=inventory, comment="", acting_user=cdo)


def test_accepting_an_inventory_puts_exactly_the_catalog_csv_rows_on_the_portal(
    portal_settings, sandbox, catalog_publications, submitted, cdo, client,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    publication = catalog_publications[SourceKind.CATALOG]
    assert not publication.runs.exists()

    _accept(submitted, cdo, django_capture_on_commit_callbacks)

    run = publication.runs.get()
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert run.trigger == RunTrigger.CHANGE
    expected = _csv_rows(client, "/catalog.csv")
    assert [row["title"] for row in expected] == [
        '\'=HYPERLINK("x")',
        'Bridges, culverts and "tunnels"',
        "Case notes",
    ]
    assert _portal_rows(sandbox, publication) == expected
    assert (run.rows_read, run.rows_created) == (3, 3)
    withheld = next(
        row for row in _portal_rows(sandbox, publication) if row["title"] == "Case notes"
    )
    assert "description" not in withheld


def test_a_second_acceptance_replaces_the_rows_with_the_new_catalog(
    portal_settings, sandbox, catalog_publications, submitted, agency_b, cdo, client,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    _accept(submitted, cdo, django_capture_on_commit_callbacks)
    other = InventoryFactory(agency=agency_b, year=2026, status=InventoryStatus.SUBMITTED)
    DatasetFactory(inventory=other, title="Beta road counts")

    _accept(other, cdo, django_capture_on_commit_callbacks)

    publication = catalog_publications[SourceKind.CATALOG]
    latest = publication.runs.first()
    assert latest.status == RunStatus.SUCCEEDED, latest.error
    assert (latest.rows_created, latest.rows_deleted) == (4, 3)
    assert _portal_rows(sandbox, publication) == _csv_rows(client, "/catalog.csv")
    assert len(_csv_rows(client, "/catalog.csv")) == 4


def test_retiring_an_asset_updates_the_retired_list_on_the_portal(
    portal_settings, sandbox, catalog_publications, agency_a, publisher_a, cdo, client,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    capture = django_capture_on_commit_callbacks
    listing = catalog_publications[SourceKind.RETIRED]
    with capture(execute=True):
        builtin.builtin_refresh(SourceKind.RETIRED)
    assert _portal_rows(sandbox, listing) == []  # the list starts empty
    ocme = ready_publication(ocme_dataset(agency_a), publisher_a)
    with capture(execute=True):
        services.run_start(publication=ocme, acting_user=publisher_a)
    ocme.refresh_from_db()
    record_screen(ocme)
    services.publication_make_public(publication=ocme, acting_user=cdo)

    with capture(execute=True):
        retire.retirement_start(
            publication=ocme,
            acting_user=cdo,
            criterion="replaced",
            reason="Replaced by the 2012-2024 edition.",
            superseded_by="https://data.ct.gov/d/abcd-1234",
        )

    latest = listing.runs.first()
    assert latest.status == RunStatus.SUCCEEDED, latest.error
    rows = _portal_rows(sandbox, listing)
    assert rows == _csv_rows(client, "/catalog/retired.csv")
    assert [(r["portal_id"], r["reason"]) for r in rows] == [
        (ocme.portal_id, "Replaced by the 2012-2024 edition.")
    ]
    assert rows[0]["status"] == "Retired"  # public for under 7 days: made private at once


def test_a_change_while_a_run_is_queued_adds_no_second_run(catalog_publications):
    first = builtin.builtin_refresh(SourceKind.CATALOG)  # its commit never comes: stays queued
    second = builtin.builtin_refresh(SourceKind.CATALOG)

    assert len(first) == 1
    assert second == []
    assert catalog_publications[SourceKind.CATALOG].runs.count() == 1


def test_setup_is_idempotent_and_makes_replace_publications_of_the_export_columns(opm, cdo, client):
    call_command("setup_catalog_publications", "--as", "cdo")
    call_command("setup_catalog_publications", "--as", "cdo")

    publications = Publication.objects.filter(source_kind__in=[SourceKind.CATALOG, "retired"])
    assert publications.count() == 2
    for kind, url in [(SourceKind.CATALOG, "/catalog.csv"), ("retired", "/catalog/retired.csv")]:
        publication = publications.get(source_kind=kind)
        assert (publication.agency, publication.mode) == (opm, Mode.REPLACE)
        assert publication.row_identifier == ""
        assert publication.columns_confirmed
        assert publication.access_override_at is not None
        body = b"".join(client.get(url).streaming_content).decode("utf-8-sig")
        header = next(csv.reader(io.StringIO(body, newline="")))
        assert [c["name"] for c in publication.columns] == header
        assert [c["field_name"] for c in publication.columns] == [_field(h) for h in header]
    assert publications.get(source_kind=SourceKind.CATALOG).dataset.title == "CT Data Catalog"


def test_setup_names_the_missing_agency(db, cdo, settings):
    settings.CTODP_CATALOG_AGENCY = "nowhere"
    with pytest.raises(CommandError, match="nowhere"):
        call_command("setup_catalog_publications", "--as", "cdo")
    assert not Publication.objects.exists()


def test_the_privacy_gate_passes_the_catalog_but_still_holds_an_ordinary_publication(
    catalog_publications, agency_a, publisher_a
):
    check_privacy_gate(catalog_publications[SourceKind.CATALOG])  # no screen needed
    check_privacy_gate(catalog_publications[SourceKind.RETIRED])
    ordinary = ready_publication(ocme_dataset(agency_a), publisher_a)
    with pytest.raises(ValidationError, match="not been screened"):
        check_privacy_gate(ordinary)


def test_the_cdo_makes_the_catalog_public_after_its_first_run(
    portal_settings, sandbox, catalog_publications, cdo, django_capture_on_commit_callbacks
):
    publication = catalog_publications[SourceKind.CATALOG]
    with django_capture_on_commit_callbacks(execute=True):
        services.run_start(publication=publication, acting_user=cdo)

    made = services.publication_make_public(publication=publication, acting_user=cdo)

    assert made.visibility == "public"
