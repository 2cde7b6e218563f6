"""SQLite storage for the sandbox portal: views as JSON documents, rows as JSON text.

One connection guarded by one lock: SQLite connections must not be used by two threads at once,
and the sandbox favours simple correctness over concurrent writes. Rows are keyed by a global
integer `sid` (Socrata's `:id`) and, when the view has a row identifier, by `row_key`, with a
unique index so that upserts of ~10k-row chunks resolve their keys with indexed look-ups.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS views (
    id TEXT PRIMARY KEY,
    doc TEXT NOT NULL,
    owner TEXT NOT NULL,
    created_at REAL NOT NULL,
    data_updated_at REAL NOT NULL,
    metadata_updated_at REAL NOT NULL,
    public INTEGER NOT NULL DEFAULT 0,
    published INTEGER NOT NULL DEFAULT 0,
    publication_date REAL,
    copy_of TEXT
);
CREATE TABLE IF NOT EXISTS rows (
    sid INTEGER PRIMARY KEY,
    view_id TEXT NOT NULL,
    row_key TEXT,
    data TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS rows_view_key ON rows (view_id, row_key);
CREATE INDEX IF NOT EXISTS rows_view_sid ON rows (view_id, sid);
CREATE TABLE IF NOT EXISTS blobs (
    id TEXT PRIMARY KEY,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    data BLOB NOT NULL,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS sequence (value INTEGER PRIMARY KEY AUTOINCREMENT, unused INTEGER);
"""

# SQLite caps bound parameters per statement; key look-ups go in batches below that cap.
KEY_BATCH = 500

VIEW_FIELDS = (
    "id, doc, owner, created_at, data_updated_at, metadata_updated_at, public, published, "
    "publication_date, copy_of"
)


@dataclass
class ViewRecord:
    id: str
    doc: dict[str, Any]
    owner: str
    created_at: float
    data_updated_at: float
    metadata_updated_at: float
    public: bool = False
    published: bool = False
    publication_date: float | None = None
    copy_of: str | None = None


@dataclass
class RowRecord:
    sid: int
    data: dict[str, Any]
    created_at: float
    updated_at: float


@dataclass
class Blob:
    id: str
    filename: str
    content_type: str
    data: bytes


@dataclass
class RowChanges:
    """What one upsert or replace writes, resolved before the transaction starts."""

    deletes: list[int] = field(default_factory=list)
    updates: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    inserts: list[tuple[str | None, dict[str, Any]]] = field(default_factory=list)


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _batches(items: Sequence[Any], size: int = KEY_BATCH) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Storage:
    """All reads and writes of the sandbox, each under the storage lock."""

    def __init__(self, path: str | Path | None = None) -> None:
        target = str(path) if path else ":memory:"
        # isolation_level=None: transactions are opened explicitly in `_transaction`.
        self._db = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
        self.lock = threading.RLock()
        if path:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        with self.lock:
            self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self.lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def reset(self) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM rows")
            db.execute("DELETE FROM views")
            db.execute("DELETE FROM blobs")

    def next_id(self) -> int:
        """A process-wide increasing number, used for column ids like Socrata's."""
        with self._transaction() as db:
            cursor = db.execute("INSERT INTO sequence (unused) VALUES (NULL)")
            return int(cursor.lastrowid or 0)

    # --- views ---------------------------------------------------------------------------

    def save_view(self, view: ViewRecord) -> None:
        with self._transaction() as db:
            db.execute(
                f"INSERT OR REPLACE INTO views ({VIEW_FIELDS}) VALUES (?,?,?,?,?,?,?,?,?,?)",  # noqa: S608
                (
                    view.id,
                    _dumps(view.doc),
                    view.owner,
                    view.created_at,
                    view.data_updated_at,
                    view.metadata_updated_at,
                    int(view.public),
                    int(view.published),
                    view.publication_date,
                    view.copy_of,
                ),
            )

    def get_view(self, view_id: str) -> ViewRecord | None:
        with self.lock:
            row = self._db.execute(
                f"SELECT {VIEW_FIELDS} FROM views WHERE id = ?",  # noqa: S608
                (view_id,),
            ).fetchone()
        return self._view(row) if row else None

    def list_views(self) -> list[ViewRecord]:
        with self.lock:
            rows = self._db.execute(f"SELECT {VIEW_FIELDS} FROM views ORDER BY created_at, id")  # noqa: S608
            return [self._view(row) for row in rows.fetchall()]

    @staticmethod
    def _view(row: tuple[Any, ...]) -> ViewRecord:
        return ViewRecord(
            id=row[0],
            doc=json.loads(row[1]),
            owner=row[2],
            created_at=row[3],
            data_updated_at=row[4],
            metadata_updated_at=row[5],
            public=bool(row[6]),
            published=bool(row[7]),
            publication_date=row[8],
            copy_of=row[9],
        )

    def delete_view(self, view_id: str) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM rows WHERE view_id = ?", (view_id,))
            db.execute("DELETE FROM views WHERE id = ?", (view_id,))

    def touch_data(self, view_id: str, when: float) -> None:
        with self._transaction() as db:
            db.execute("UPDATE views SET data_updated_at = ? WHERE id = ?", (when, view_id))

    # --- rows ----------------------------------------------------------------------------

    def rows_by_keys(self, view_id: str, keys: Iterable[str]) -> dict[str, RowRecord]:
        found: dict[str, RowRecord] = {}
        unique = list(dict.fromkeys(keys))
        with self.lock:
            for batch in _batches(unique):
                marks = ",".join("?" * len(batch))
                cursor = self._db.execute(
                    "SELECT row_key, sid, data, created_at, updated_at FROM rows "  # noqa: S608
                    f"WHERE view_id = ? AND row_key IN ({marks})",
                    (view_id, *batch),
                )
                for key, sid, data, created, updated in cursor:
                    found[key] = RowRecord(sid, json.loads(data), created, updated)
        return found

    def rows_by_sids(self, view_id: str, sids: Iterable[int]) -> dict[int, RowRecord]:
        found: dict[int, RowRecord] = {}
        unique = list(dict.fromkeys(sids))
        with self.lock:
            for batch in _batches(unique):
                marks = ",".join("?" * len(batch))
                cursor = self._db.execute(
                    "SELECT sid, data, created_at, updated_at FROM rows "  # noqa: S608
                    f"WHERE view_id = ? AND sid IN ({marks})",
                    (view_id, *batch),
                )
                for sid, data, created, updated in cursor:
                    found[sid] = RowRecord(sid, json.loads(data), created, updated)
        return found

    def apply(self, view_id: str, changes: RowChanges, now: float, *, truncate: bool) -> None:
        """Write one request's changes atomically: all of them or none."""
        with self._transaction() as db:
            if truncate:
                db.execute("DELETE FROM rows WHERE view_id = ?", (view_id,))
            # Deletes first: a row deleted and re-created in one payload reuses its key.
            db.executemany("DELETE FROM rows WHERE sid = ?", [(sid,) for sid in changes.deletes])
            db.executemany(
                "UPDATE rows SET data = ?, updated_at = ? WHERE sid = ?",
                [(_dumps(data), now, sid) for sid, data in changes.updates],
            )
            db.executemany(
                "INSERT INTO rows (view_id, row_key, data, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [(view_id, key, _dumps(data), now, now) for key, data in changes.inserts],
            )
            db.execute("UPDATE views SET data_updated_at = ? WHERE id = ?", (now, view_id))

    def query(
        self, view_id: str, where: str, params: Sequence[Any], order: str, limit: int, offset: int
    ) -> list[RowRecord]:
        """Rows of one view; `where` and `order` come from soql.py, which binds every value."""
        sql = "SELECT sid, data, created_at, updated_at FROM rows WHERE view_id = ?"
        if where:
            sql += f" AND ({where})"
        sql += f" ORDER BY {order} LIMIT ? OFFSET ?"
        with self.lock:
            cursor = self._db.execute(sql, (view_id, *params, limit, offset))
            return [RowRecord(sid, json.loads(data), c, u) for sid, data, c, u in cursor]

    def count_where(self, view_id: str, where: str, params: Sequence[Any]) -> int:
        """Rows of one view matching `where` (from soql.py, every value bound)."""
        sql = "SELECT COUNT(*) FROM rows WHERE view_id = ?"
        if where:
            sql += f" AND ({where})"
        with self.lock:
            return int(self._db.execute(sql, (view_id, *params)).fetchone()[0])

    def count_rows(self, view_id: str) -> int:
        with self.lock:
            row = self._db.execute("SELECT COUNT(*) FROM rows WHERE view_id = ?", (view_id,))
            return int(row.fetchone()[0])

    def copy_rows(self, source: str, target: str) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO rows (view_id, row_key, data, created_at, updated_at) "
                "SELECT ?, row_key, data, created_at, updated_at FROM rows "
                "WHERE view_id = ? ORDER BY sid",
                (target, source),
            )

    def replace_rows(self, source: str, target: str) -> None:
        """Make `target` hold the rows of `source` (publishing a working copy)."""
        with self._transaction() as db:
            db.execute("DELETE FROM rows WHERE view_id = ?", (target,))
            db.execute("UPDATE rows SET view_id = ? WHERE view_id = ?", (target, source))

    # --- files (non-data assets and attachments) ---------------------------------------------

    def save_blob(self, blob: Blob, now: float) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO blobs (id, filename, content_type, data, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (blob.id, blob.filename, blob.content_type, blob.data, now),
            )

    def get_blob(self, blob_id: str) -> Blob | None:
        with self.lock:
            row = self._db.execute(
                "SELECT id, filename, content_type, data FROM blobs WHERE id = ?", (blob_id,)
            ).fetchone()
        return Blob(row[0], row[1], row[2], bytes(row[3])) if row else None
