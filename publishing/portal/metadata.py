"""CT portal metadata (DOMAIN.md) mapped onto Socrata view fields and custom fields."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from inventories.models import Dataset
from publishing.models import Publication

FIELDSET = "Dataset Information"
CONTACT_FIELDSET = "Contact Information"


def custom_fields(publication: Publication, dataset: Dataset) -> dict[str, dict[str, str]]:
    info = {
        "Row Label": dataset.row_label,
        "Geographic Unit": dataset.geographic_unit,
        "Update Frequency": dataset.update_frequency,
        "Temporal Coverage": dataset.temporal_coverage,
        "Agency": dataset.agency.name,
    }
    contact = {"Contact Email": dataset.contact_email or dataset.agency.contact_email}
    fields = {FIELDSET: _filled(info), CONTACT_FIELDSET: _filled(contact)}
    return {name: values for name, values in fields.items() if values}


def _filled(values: dict[str, str]) -> dict[str, str]:
    return {key: value for key, value in values.items() if value}


def view_fields(publication: Publication) -> dict[str, Any]:
    """The fields of a view that ctodp owns, as `update_metadata` takes them."""
    dataset = publication.current_dataset()
    fields: dict[str, Any] = {
        "name": dataset.title,
        "description": "\n\n".join(filter(None, [dataset.description, publication.method_note])),
        "category": dataset.category or None,
        "tags": dataset.tag_list,
        "attribution": dataset.agency.portal_attribution,
        "attributionLink": dataset.source_link or None,
        "licenseId": publication.license or None,
        "metadata": {"custom_fields": custom_fields(publication, dataset)},
    }
    if publication.is_external:
        fields["metadata"]["accessPoints"] = {"URL": publication.external_url}
    return {key: value for key, value in fields.items() if value is not None}


def portal_columns(publication: Publication) -> list[dict[str, str]]:
    return [
        {
            "fieldName": c["field_name"],
            "name": c["name"],
            "dataTypeName": c["type"],
            "description": c.get("description", ""),
        }
        for c in publication.columns
    ]


def column_descriptions(publication: Publication) -> dict[str, str]:
    return {c["field_name"]: c.get("description", "") for c in publication.columns}


def digest(fields: dict[str, Any], descriptions: dict[str, str] | None = None) -> str:
    """A hash of the metadata pushed (view fields and column descriptions), so an unchanged
    run can still carry a metadata edit."""
    state = {**fields, "columnDescriptions": descriptions or {}}
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()


def is_public(view: dict[str, Any]) -> bool:
    """Whether the public can read the asset: a viewer grant flagged "public" (SODA views)."""
    return any("public" in (grant.get("flags") or []) for grant in view.get("grants") or [])
