"""data.json: the DCAT-US 1.1 (non-federal) catalog of the latest accepted inventories.

Public and restricted-public datasets are described in full. Non-public datasets carry only the
fields the federal inventories publish for them (NON_PUBLIC_FIELDS) and the agency's contact, not
the dataset's own owner and mailbox: what is withheld stays withheld.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils import timezone

from agencies.models import Agency
from inventories.choices import AccessLevel, GeographicUnit, accrual_periodicity
from inventories.models import Dataset
from inventories.temporal import published_temporal

SCHEMA = "https://project-open-data.cio.gov/v1.1/schema"
CONTEXT = "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld"
# Used when no other license is recorded (public datasets only): public domain dedication.
DEFAULT_LICENSE = "https://creativecommons.org/publicdomain/zero/1.0/"
NO_DESCRIPTION = "No description was given in the agency's inventory."
NON_PUBLIC_FIELDS = {
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

# The schema's vcard hasEmail pattern, so an address it would refuse is left out, not published.
MAILTO = re.compile(r"^mailto:[\w\_\~\!\$\&\'\(\)\*\+\,\;\=\:.-]+@[\w.-]+\.[\w.-]+?$")


def catalog(datasets: Iterable[Dataset]) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "@type": "dcat:Catalog",
        "conformsTo": SCHEMA,
        "describedBy": f"{SCHEMA}/catalog.json",
        "dataset": [dataset_entry(dataset) for dataset in datasets],
    }


def _retired_rights(dataset: Dataset) -> str | None:
    """A retired dataset's portal asset is private now (ADR 0010): described as non-public."""
    retired_on = getattr(dataset, "retired_on", None)
    if retired_on is None:
        return None
    return f"Retired from the CT Open Data Portal on {timezone.localdate(retired_on).isoformat()}."


def dataset_entry(dataset: Dataset) -> dict[str, Any]:
    retired = _retired_rights(dataset)
    entry = {
        "@type": "dcat:Dataset",
        "title": dataset.title,
        "description": dataset.description.strip() or NO_DESCRIPTION,
        "keyword": dataset.tag_list or None,
        "modified": dataset.updated_at.date().isoformat(),
        "publisher": {"@type": "org:Organization", "name": dataset.agency.portal_attribution},
        "contactPoint": contact_point(dataset),
        "identifier": identifier(dataset),
        "accessLevel": AccessLevel.NON_PUBLIC if retired else dataset.access_level,
        "rights": retired or dataset.access_reason or None,
    }
    if dataset.access_level != AccessLevel.NON_PUBLIC and not retired:
        entry.update(_open_fields(dataset))
    return {name: value for name, value in entry.items() if value is not None}


def _open_fields(dataset: Dataset) -> dict[str, Any]:
    """What is published about a dataset that is, or may be, available to the public."""
    public = dataset.access_level == AccessLevel.PUBLIC
    return {
        "accrualPeriodicity": accrual_periodicity(dataset.update_frequency),
        "temporal": temporal(dataset.temporal_coverage),
        "spatial": spatial(dataset),
        "theme": [dataset.category] if dataset.category else None,
        "landingPage": dataset.portal_url or dataset.geo_portal_url or dataset.source_link or None,
        "distribution": distribution(dataset) if public else None,
        "license": DEFAULT_LICENSE if public else None,
    }


def identifier(dataset: Dataset) -> str:
    """The portal address when there is one; else a catalog address that stays put across years.
    A non-public dataset's portal id (a private asset) is not disclosed."""
    retired = getattr(dataset, "retired_on", None) is not None
    if dataset.portal_id and dataset.access_level != AccessLevel.NON_PUBLIC and not retired:
        return dataset.portal_url
    return f"{settings.CTODP_PUBLIC_BASE_URL.rstrip('/')}/catalog/?uid={dataset.uid}"


def contact_point(dataset: Dataset) -> dict[str, str]:
    agency = dataset.agency
    if dataset.access_level == AccessLevel.NON_PUBLIC:
        name, emails = agency.portal_attribution, _agency_emails(agency)
    else:
        name = dataset.data_owner.strip() or agency.portal_attribution
        emails = [dataset.contact_email, *_agency_emails(agency)]
    contact = {"@type": "vcard:Contact", "fn": name}
    mailto = next((f"mailto:{e}" for e in emails if e and MAILTO.match(f"mailto:{e}")), None)
    if mailto:
        contact["hasEmail"] = mailto
    return contact


def _agency_emails(agency: Agency) -> list[str]:
    ado = agency.current_ado()
    return [agency.contact_email, ado.user.email if ado else ""]


def temporal(coverage: str) -> str | None:
    return published_temporal(coverage)  # never an interval the dataset form would refuse


def spatial(dataset: Dataset) -> str | None:
    """Connecticut data cover Connecticut; only the geographic unit says it is geographic."""
    if dataset.geographic_unit in {"", GeographicUnit.NOT_APPLICABLE}:
        return None
    return "Connecticut"


def distribution(dataset: Dataset) -> list[dict[str, str]] | None:
    if not dataset.portal_id:
        return None
    views = f"https://{settings.CTODP_PORTAL_DOMAIN}/api/views/{dataset.portal_id}"
    return [
        {
            "@type": "dcat:Distribution",
            "downloadURL": f"{views}/rows.csv?accessType=DOWNLOAD",
            "mediaType": "text/csv",
        }
    ]
