"""Metadata quality of inventory datasets, by the Handbook checklist (inventories.metadata_lint)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from inventories.metadata_lint import DatasetMetadata, LintReport, lint_metadata

if TYPE_CHECKING:
    from inventories.models import Dataset

# An inventory entry has no data attached yet: its columns, its last-updated column and its
# license are judged on the publication, not here.
NOT_YET_KNOWN = ("columns", "last_updated", "license")


def dataset_metadata(dataset: Dataset) -> DatasetMetadata:
    return DatasetMetadata(
        title=dataset.title,
        description=dataset.description,
        owner=dataset.data_owner,
        contact_email=dataset.contact_email,
        update_frequency=dataset.update_frequency,
        row_label=dataset.row_label,
        source_link=dataset.source_link,
        temporal_coverage=dataset.temporal_coverage,
    )


def dataset_quality(dataset: Dataset) -> LintReport:
    return lint_metadata(dataset_metadata(dataset), skip=NOT_YET_KNOWN)
