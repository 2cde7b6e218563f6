"""Metadata quality of inventory datasets, by the Handbook checklist (inventories.metadata_lint)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from inventories.metadata_lint import DatasetMetadata, LintReport, lint_metadata

if TYPE_CHECKING:
    from inventories.models import Dataset

# An inventory entry has no data attached yet: its columns, its last-updated column and its
# license are judged on the publication, not here.
NOT_YET_KNOWN = ("columns", "last_updated", "license")


# DatasetMetadata's names for the Dataset fields the checklist reads.
METADATA_FIELDS = {
    "title": "title",
    "description": "description",
    "owner": "data_owner",
    "contact_email": "contact_email",
    "update_frequency": "update_frequency",
    "row_label": "row_label",
    "source_link": "source_link",
    "temporal_coverage": "temporal_coverage",
}


def values_metadata(values: Mapping[str, Any]) -> DatasetMetadata:
    """From Dataset field values (an import's rows, before they are models)."""
    return DatasetMetadata(**{item: values[name] for item, name in METADATA_FIELDS.items()})


def dataset_metadata(dataset: Dataset) -> DatasetMetadata:
    return values_metadata({name: getattr(dataset, name) for name in METADATA_FIELDS.values()})


def values_score(values: Mapping[str, Any]) -> int:
    return lint_metadata(values_metadata(values), skip=NOT_YET_KNOWN).score


def dataset_quality(dataset: Dataset) -> LintReport:
    return lint_metadata(dataset_metadata(dataset), skip=NOT_YET_KNOWN)
