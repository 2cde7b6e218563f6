"""Aggregation with small-cell suppression of a publication's source (issue 7, ADR 0007):
preview in the browser, then save as a new source of a publication of the same agency."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from inventories import services as inventory_services
from publishing import services
from publishing.models import Publication
from publishing.privacy.sources import Source
from publishing.privacy.suppression import SuppressedTable, SuppressionError, suppress_source

PREVIEW_ROWS = 50


@contextlib.contextmanager
def _opened(publication: Publication) -> Iterator[Source]:
    if publication.source_kind == "file":
        with publication.source_file.open("rb") as handle:
            yield handle
    elif publication.source_kind == "url":
        yield publication.source_url
    else:
        raise ValidationError("Aggregation reads a file or URL source; this one is SQL or none.")


def suppressed_table(
    publication: Publication, *, by: list[str], value: str = "", threshold: int = 5
) -> SuppressedTable:
    """Counts (or sums of `value`) by the `by` columns, with primary and complementary
    suppression of the cells from 1 to `threshold`."""
    if not by:
        raise ValidationError({"by": "Choose at least one column to group by."})
    try:
        with _opened(publication) as source:
            return suppress_source(source, by, value=value or None, threshold=threshold)
    except (SuppressionError, ValueError, OSError) as error:
        raise ValidationError(f"The source cannot be aggregated: {error}") from error


def method_note(table: SuppressedTable, source: Publication) -> str:
    measure = f"the sum of {table.value}" if table.value != "count" else "the number of records"
    return (
        f"Method ({timezone.localdate():%Y-%m-%d}): aggregated from publication {source.pk} "
        f"to {measure} by {', '.join(table.by)}. Cells from 1 to {table.threshold} are "
        "suppressed (left empty, flagged in the `suppressed` column), with complementary "
        "suppression so they cannot be recovered from totals (CT small-cell rules)."
    )


def save_as_source(
    *,
    source: Publication,
    target: Publication,
    acting_user: User,
    by: list[str],
    value: str = "",
    threshold: int = 5,
) -> SuppressedTable:
    """Write the suppressed table as a CSV through Django storage, attach it to `target`, and
    note the method on the dataset description (or the publication when the inventory is
    locked)."""
    if target.agency_id != source.agency_id:
        raise ValidationError("The new source goes to a publication of the same agency.")
    table = suppressed_table(source, by=by, value=value, threshold=threshold)
    content = table.published().to_csv(index=False).encode()
    name = f"suppressed-publication-{source.pk}.csv"
    with transaction.atomic():
        services.publication_attach_source(
            publication=target, acting_user=acting_user, file=ContentFile(content, name=name)
        )
        _note(target, acting_user, method_note(table, source))
    return table


def _note(target: Publication, acting_user: User, note: str) -> None:
    dataset = target.current_dataset()
    if dataset.inventory.is_editable:
        description = "\n\n".join(filter(None, [dataset.description, note]))
        inventory_services.dataset_update(
            dataset=dataset, data={"description": description}, acting_user=acting_user
        )
    else:
        target.method_note = note
        target._history_user = acting_user
        target.save(update_fields=["method_note", "updated_at"])
