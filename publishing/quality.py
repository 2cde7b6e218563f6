"""Metadata quality of a publication (issue 7): the dataset's metadata, plus what only the
publication knows: its confirmed columns, its license, and whether it has a last-updated column."""

from __future__ import annotations

import re

from inventories.metadata_lint import LintReport, lint_metadata
from inventories.quality import dataset_metadata
from publishing.models import Publication

_LAST_UPDATED = re.compile(r"(last|date).*(updated|modified|changed)|updated.*(at|on|date)")


def has_last_updated_column(columns: list[dict]) -> bool:
    """A date column whose name says it holds when the row last changed."""
    for column in columns:
        name = f"{column.get('name', '')} {column.get('field_name', '')}".lower()
        if column.get("type") == "calendar_date" and _LAST_UPDATED.search(name):
            return True
    return False


def publication_quality(publication: Publication) -> LintReport | None:
    """The lint of the publication's metadata; None until its columns are confirmed."""
    if publication.is_external or not publication.columns_confirmed:
        return None
    metadata = dataset_metadata(publication.current_dataset())
    metadata.license = publication.get_license_display() if publication.license else ""
    metadata.columns = [
        {"name": column["name"], "description": column.get("description", "")}
        for column in publication.columns
    ]
    metadata.has_last_updated_column = has_last_updated_column(publication.columns)
    return lint_metadata(metadata)
