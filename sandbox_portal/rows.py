"""Row writes (upsert, replace, single-row delete) and the shape rows are read back in.

Values are normalised on the way in, so reads are cheap: numbers and text are stored as
strings (SODA2 JSON returns them as strings), checkboxes as booleans, timestamps as
`YYYY-MM-DDTHH:MM:SS.000`; a null (or an empty CSV cell) removes the field, as on the portal.
A payload is checked completely before anything is written: a bad value rejects the whole
request with a message naming the row and column, and never leaves half a payload applied.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import bad_request
from .storage import RowChanges, RowRecord, Storage, ViewRecord
from .views import column_types, row_identifier

TIMESTAMP_TYPES = {"calendar_date", "floating_timestamp", "fixed_timestamp", "date"}
TRUE_WORDS = {"true", "1", "yes", "y", "t"}
FALSE_WORDS = {"false", "0", "no", "n", "f"}
DELETED = ":deleted"
SID_PREFIX = "row-"


@dataclass
class UpsertReport:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    errors: int = 0
    by_row_identifier: int = 0
    by_sid: int = 0
    deletes: list[int] = field(default_factory=list)
    updates: dict[int, dict[str, Any]] = field(default_factory=dict)
    changes: RowChanges = field(default_factory=RowChanges)

    def body(self) -> dict[str, int]:
        # The legacy six-key response (SODA.md §2).
        return {
            "Rows Created": self.created,
            "Rows Updated": self.updated,
            "Rows Deleted": self.deleted,
            "Errors": self.errors,
            "By RowIdentifier": self.by_row_identifier,
            "By SID": self.by_sid,
        }


def _number(value: Any) -> str:
    """Canonical decimal text, so that 1, 1.0 and "1.00" are the same row identifier."""
    if isinstance(value, bool):
        raise ValueError("a checkbox value is not a number")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError("not a number") from None
    if not number.is_finite():
        raise ValueError("not a finite number")
    return format(number.normalize(), "f")


def _checkbox(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS | FALSE_WORDS:
        return word in TRUE_WORDS
    raise ValueError("not a checkbox value")


def _timestamp(value: Any) -> str:
    parsed = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    return parsed.strftime("%Y-%m-%dT%H:%M:%S.") + f"{parsed.microsecond // 1000:03d}"


def normalise(value: Any, data_type: str) -> Any:
    if data_type == "number" or data_type in ("money", "percent", "stars"):
        return _number(value)
    if data_type == "checkbox":
        return _checkbox(value)
    if data_type in TIMESTAMP_TYPES:
        return _timestamp(value)
    if data_type in ("text", "url", "email", "phone", "html") and not isinstance(value, dict):
        if isinstance(value, bool):
            return "true" if value else "false"
        return value if isinstance(value, str) else _number(value)
    return value


def _clean_row(index: int, row: Any, types: dict[str, str]) -> dict[str, Any]:
    if not isinstance(row, dict):
        raise bad_request(f"Row {index}: each row must be a JSON object")
    clean: dict[str, Any] = {}
    for name, value in row.items():
        if name in (DELETED, ":id"):
            clean[name] = value
        elif name not in types:
            raise bad_request(f"Row {index}: no column named {name!r}", code="illegal_argument")
        elif value is None or value == "":
            clean[name] = None
        else:
            try:
                clean[name] = normalise(value, types[name])
            except (TypeError, ValueError) as exc:
                raise bad_request(
                    f"Row {index}, column {name!r}: cannot store {value!r} as "
                    f"{types[name]} ({exc})",
                    code="illegal_argument",
                ) from None
    return clean


def parse_csv(text: str) -> list[dict[str, Any]]:
    """CSV bodies: RFC 4180 with a header row of field names; an empty cell means null."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        raise bad_request("The CSV body has no header row")
    header = [name.strip() for name in header]
    rows = []
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise bad_request(f"CSV line {number}: {len(cells)} cells for {len(header)} columns")
        row: dict[str, Any] = dict(zip(header, cells, strict=True))
        if DELETED in row:
            row[DELETED] = row[DELETED].strip().lower() in TRUE_WORDS
        rows.append(row)
    return rows


def _merge(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    # Fields absent from the payload keep their value; explicit nulls remove them.
    merged = {**old, **new}
    return {k: v for k, v in merged.items() if v is not None and not k.startswith(":")}


def sid_of(value: Any) -> int | None:
    text = str(value)
    text = text[len(SID_PREFIX) :] if text.startswith(SID_PREFIX) else text
    return int(text) if text.isdigit() else None


def plan_upsert(storage: Storage, view: ViewRecord, payload: Any, *, empty: bool) -> UpsertReport:
    """Resolve a payload into creates, updates and deletes, applied later in one transaction."""
    if isinstance(payload, dict):
        payload = [payload]
    if not isinstance(payload, list):
        raise bad_request("The request body must be a JSON array of rows")
    types = column_types(view)
    rows = [_clean_row(index, row, types) for index, row in enumerate(payload, start=1)]
    rowid = row_identifier(view)
    if rowid:
        keys = [str(row[rowid]) for row in rows if row.get(rowid) is not None]
        existing: dict[Any, RowRecord | None] = (
            {} if empty else dict(storage.rows_by_keys(view.id, keys))
        )
    else:
        sids = [s for s in (sid_of(row.get(":id")) for row in rows) if s is not None]
        existing = {} if empty else dict(storage.rows_by_sids(view.id, sids))
    report = UpsertReport()
    pending: dict[Any, dict[str, Any]] = {}  # rows created by this payload, by key
    for row in rows:
        _apply_row(report, row, rowid, existing, pending)
    inserts = [(key if rowid else None, data) for key, data in pending.items()]
    report.changes = RowChanges(report.deletes, list(report.updates.items()), inserts)
    return report


def _apply_row(
    report: UpsertReport,
    row: dict[str, Any],
    rowid: str | None,
    existing: dict[Any, RowRecord | None],
    pending: dict[Any, dict[str, Any]],
) -> None:
    deleted = bool(row.pop(DELETED, False))
    if rowid:
        if row.get(rowid) is None:
            report.errors += 1  # a row without its identifier cannot be placed
            return
        key: Any = str(row[rowid])
    else:
        key = sid_of(row.get(":id"))
        if key is None:
            if not deleted:  # no row identifier: every row is appended
                pending[("append", len(pending))] = _merge({}, row)
                report.created += 1
            else:
                report.errors += 1
            return
    _apply_keyed(report, key, row, deleted, existing, pending, by_sid=not rowid)


def _apply_keyed(
    report: UpsertReport,
    key: Any,
    row: dict[str, Any],
    deleted: bool,
    existing: dict[Any, RowRecord | None],
    pending: dict[Any, dict[str, Any]],
    *,
    by_sid: bool,
) -> None:
    stored = existing.get(key)
    if key in pending:
        if deleted:
            del pending[key]
            report.deleted += 1
        else:
            pending[key] = _merge(pending[key], row)
            report.updated += 1
    elif stored is not None:
        if deleted:
            report.deletes.append(stored.sid)
            report.updates.pop(stored.sid, None)
            existing[key] = None
            report.deleted += 1
        else:
            stored.data = _merge(stored.data, row)
            report.updates[stored.sid] = stored.data
            report.updated += 1
        report.by_sid += int(by_sid)
        report.by_row_identifier += int(not by_sid)
    elif deleted or by_sid:
        report.errors += 1  # deleting (or addressing by :id) a row that does not exist
    else:
        pending[key] = _merge({}, row)
        report.created += 1


def render_row(record: RowRecord, select: list[str] | None, system: bool) -> dict[str, Any]:
    row = dict(record.data)
    if system or select:
        row[":id"] = f"{SID_PREFIX}{record.sid}"
        row[":created_at"] = _iso(record.created_at)
        row[":updated_at"] = _iso(record.updated_at)
    if select is not None:
        return {name: row[name] for name in select if name in row}
    return row


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]
