"""The CT Data Catalog and the retired-assets list as portal datasets (ADR 0030).

The rows are those of /catalog.csv and /catalog/retired.csv (same columns, same order, same
values), handed to publishing as built-in sources and pushed by its runner. The program owns the
two publications: they belong to the CTODP_CATALOG_AGENCY's inventory (OPM houses the CDO).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from agencies.models import Agency
from inventories import extensions as inventory_extensions
from inventories import services as inventory_services
from inventories.choices import Category, UpdateFrequency
from inventories.models import Dataset, Inventory
from publishing import builtin
from publishing import extensions as publishing_extensions
from publishing.models import Publication, SourceKind

OVERRIDE_REASON = (
    "The program's own publication of the public CT Data Catalog listing: public "
    "catalog metadata only, no access-plan item needed."
)
DATASETS = {
    SourceKind.CATALOG: {
        "title": "CT Data Catalog",
        "description": "Every dataset in the accepted annual high-value data inventories of "
        "Connecticut agencies (CGS §4-67p), as listed in the public CT Data Catalog. A "
        "dataset that is not public shows only its title, agency, access level and reason.",
        "tags": "catalog;inventory;open data",
    },
    SourceKind.RETIRED: {
        "title": "Retired assets of the CT Open Data Portal",
        "description": "Portal assets retired by the CT data retirement process: the "
        "inventory metadata, the date made private, the reason with a link to the superseding "
        "asset, and a link to an archived copy.",
        "tags": "archive;retired;open data",
    },
}


def catalog_rows() -> tuple[list[str], Iterator[list]]:
    from catalog import selectors, views  # here: openpyxl is not for start-up

    headers = [header for header, _, _ in views.CATALOG_COLUMNS]
    datasets = selectors.catalog_datasets().iterator(chunk_size=2000)
    return headers, (views.csv_row(dataset) for dataset in datasets)


def retired_rows() -> tuple[list[str], Iterator[list]]:
    from catalog import retired  # here: openpyxl is not for start-up

    headers = [header for header, _, _ in retired.RETIRED_COLUMNS]
    listed = retired.listed().iterator(chunk_size=2000)
    return headers, (retired.csv_row(retirement) for retirement in listed)


def _refresh_catalog(inventory: Inventory) -> None:
    builtin.builtin_refresh_later(SourceKind.CATALOG)


def register() -> None:
    """From CatalogConfig.ready()."""
    publishing_extensions.builtin_sources[SourceKind.CATALOG] = catalog_rows
    publishing_extensions.builtin_sources[SourceKind.RETIRED] = retired_rows
    if _refresh_catalog not in inventory_extensions.inventory_accepted:
        inventory_extensions.inventory_accepted.append(_refresh_catalog)


def _program_inventory(agency: Agency, acting_user: User) -> Inventory:
    newest = Inventory.objects.filter(agency=agency).order_by("-year").first()
    year = timezone.localdate().year
    return newest or inventory_services.inventory_start(
        agency=agency, year=year, acting_user=acting_user
    )


def _dataset(kind: str, inventory: Inventory, acting_user: User) -> Dataset:
    """The inventory's row for the publication: the one with its title, else a new one (in an
    inventory already submitted or accepted too: the program lists its own catalog, audited)."""
    facts = DATASETS[kind]
    found = inventory.datasets.filter(title=facts["title"]).first()
    if found is not None:
        return found
    data = {
        **facts,
        "category": Category.GOVERNMENT,
        "update_frequency": UpdateFrequency.AS_NEEDED,
        "criterion_b": True,
        "criterion_c": True,
        "criterion_h": True,
        "machine_readable": True,
        "data_format": "CSV",
    }
    if inventory.is_editable:
        return inventory_services.dataset_create(
            inventory=inventory, data=data, acting_user=acting_user
        )
    dataset = Dataset(inventory=inventory, agency=inventory.agency, **data)
    dataset._history_user = acting_user
    dataset._change_reason = "Added by setup_catalog_publications"
    dataset.save()
    return dataset


@transaction.atomic
def catalog_publications_setup(*, acting_user: User) -> list[Publication]:
    """The two publications, created once (idempotent): a dataset each in the catalog agency's
    newest inventory, a replace-mode publication with its columns confirmed."""
    agency = Agency.objects.filter(slug=settings.CTODP_CATALOG_AGENCY).first()
    if agency is None:
        raise ValidationError(
            f"No agency has the slug {settings.CTODP_CATALOG_AGENCY!r} (CTODP_CATALOG_AGENCY): "
            "load the agencies first, or set the setting to the agency that houses the CDO."
        )
    publications = []
    for kind in DATASETS:
        existing = Publication.objects.filter(source_kind=kind).first()
        if existing is None:
            dataset = _dataset(kind, _program_inventory(agency, acting_user), acting_user)
            existing = builtin.builtin_publication_create(
                kind=kind, dataset=dataset, override_reason=OVERRIDE_REASON, acting_user=acting_user
            )
        publications.append(existing)
    return publications
