"""Rows the portal holds that the source no longer has (issue #17.4, ADR 0023).

An upsert writes the source's rows by their identifier and never removes any: a source with
fewer rows leaves the others on the portal. After the push the portal's row count tells how
many there are (the source's identifiers are unique, the survey made sure). A publication with
"delete rows missing from the source" then deletes them (Socrata's `:deleted` rows, keyed by
the row identifier); one without ends "succeeded with a warning" that says how many there are.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation

from django.conf import settings

from publishing import attempts, sources
from publishing.models import Mode, Publication, PublicationRun
from publishing.portal import PortalClient

DELETED = ":deleted"


def missing_rows(
    portal: PortalClient,
    run: PublicationRun,
    publication: Publication,
    source_rows: int,
    record: Callable[[PublicationRun, dict], None],
) -> str:
    """Delete (or count) the portal's rows missing from the source; returns the warning."""
    if publication.mode != Mode.UPSERT or not publication.row_identifier:
        return ""
    extra = portal.count_rows(publication.portal_id) - source_rows
    if extra <= 0:
        return ""
    if not publication.delete_missing:
        return (
            f"The portal holds {extra} rows the source no longer has. Upsert never deletes "
            'them: choose "delete rows missing from the source" on the publication, or replace.'
        )
    field = publication.row_identifier
    keep = set(_source_keys(publication))
    stale = [value for value in portal.iter_values(publication.portal_id, field)
             if _key(value, _is_number(publication)) not in keep]  # fmt: skip
    for number, start in enumerate(range(0, len(stale), _chunk_size()), start=1):
        batch = stale[start : start + _chunk_size()]
        body = json.dumps([{field: value, DELETED: True} for value in batch]).encode()
        attempts.in_flight(run.attempt, len(batch))
        result = portal.write_json("upsert", publication.portal_id, body, number)
        record(run, attempts.counted(len(batch), result))
    return ""


def _chunk_size() -> int:
    return settings.SOCRATA_CHUNK_SIZE


def _is_number(publication: Publication) -> bool:
    column = next(c for c in publication.columns if c["field_name"] == publication.row_identifier)
    return column["type"] == "number"


def _key(value: object, number: bool) -> str:
    """A row identifier as the portal compares it: numbers by value (1, 1.0 and "1.00")."""
    text = str(value).strip()
    if not number:
        return str(value)
    try:
        return format(Decimal(text).normalize(), "f")
    except InvalidOperation:
        return text


def _source_keys(publication: Publication) -> Iterator[str]:
    number = _is_number(publication)
    names = [c["field_name"] for c in publication.columns]
    position = names.index(publication.row_identifier)
    for chunk in sources.read_chunks(publication, _chunk_size()):
        for value in chunk[chunk.columns[position]].tolist():
            yield _key(value, number)
