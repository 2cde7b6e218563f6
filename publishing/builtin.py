"""Publications whose source is built in: the CT Data Catalog and the retired-assets list on the
portal (ADR 0030).

Their rows come from a provider the catalog app registers (extensions.builtin_sources), so they
go through the same runner, runs, counters and gates as any publication. They replace every row
on each run: a data asset's uid repeats across inventory years, so no column identifies a row,
and a full replace leaves the portal holding exactly the export.
"""

from __future__ import annotations

import logging

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from inventories.models import Dataset
from publishing import extensions, outbox, services, sources
from publishing.models import (
    BUILTIN_SOURCES,
    Mode,
    Publication,
    RunStatus,
    RunTrigger,
    column_shapes,
)

logger = logging.getLogger(__name__)


def builtin_columns(kind: str) -> list[sources.Column]:
    """Every column as text: the values go to the portal exactly as the export writes them."""
    header, _rows = extensions.builtin_sources[kind]()
    return [
        {"name": name, "field_name": sources.field_name_for(name), "type": "text", "format": ""}
        for name in header
    ]


@transaction.atomic
def builtin_publication_create(
    *, kind: str, dataset: Dataset, override_reason: str, acting_user: User
) -> Publication:
    """A replace-mode publication of a built-in source, its columns confirmed. The program owns
    it: the CDO's access override (with its reason) stands in for an access-plan item."""
    if kind not in BUILTIN_SOURCES or kind not in extensions.builtin_sources:
        raise ValidationError(f"No built-in source is named {kind!r}.")
    publication = services.publication_create(
        dataset=dataset, acting_user=acting_user, mode=Mode.REPLACE
    )
    columns = builtin_columns(kind)
    publication.source_kind = kind
    publication.detected_columns = column_shapes(columns)
    publication.columns = columns
    publication.columns_confirmed_at = timezone.now()
    publication.source_version += 1
    publication.access_override_reason = override_reason
    publication.access_override_by = acting_user
    publication.access_override_at = timezone.now()
    publication._history_user = acting_user
    publication.save()
    publication.refresh_from_db()
    return publication


def builtin_refresh_later(kind: str) -> None:
    """After the caller's transaction commits, queue a run of every publication of `kind`."""
    transaction.on_commit(lambda: outbox.send("publishing.refresh_builtin", kind))


def builtin_refresh(kind: str) -> list[int]:
    """Queue a run of each publication of `kind`, unless one is already queued (it will read
    the rows as they are when it runs). Returns the ids of the runs queued. A publication that
    may not be pushed now (a gate, a run in progress) is logged and left to the next change or
    a person: a catalog change never fails because of its publication."""
    queued = []
    for publication in Publication.objects.filter(source_kind=kind):
        if publication.runs.filter(status=RunStatus.QUEUED).exists():
            continue
        try:
            run = services.run_start(
                publication=publication, acting_user=None, trigger=RunTrigger.CHANGE
            )
        except ValidationError as error:
            logger.warning("no refresh of publication %s: %s", publication.pk, error.messages)
            continue
        queued.append(run.pk)
    return queued
