"""An import's writes: thousands of datasets and their history rows in a constant number of
statements (ADR 0022).

`bulk_create` builds a model instance per row and compiles every value through the ORM, which at
10,000 rows of 45 columns (twice, with the history rows) cost several seconds, most of it before
the database saw anything. Here each row is a tuple of database values and each table gets one
`executemany`: the same columns, the same history rows simple-history's bulk helpers write
(`+` for a new dataset, `~` for a change, the acting user, one timestamp), in the caller's
transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Field

from inventories.models import Dataset, Inventory

# Values of these types are already what the database driver takes; the rest (UUIDs, dates) go
# through the field's own conversion for this database.
_PLAIN = {
    "AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField", "ForeignKey",
    "IntegerField", "PositiveIntegerField", "PositiveSmallIntegerField", "TextField",
}  # fmt: skip


def _converter(field: Field) -> Callable[[Any], Any] | None:
    if field.get_internal_type() in _PLAIN:
        return None
    database = connections[DEFAULT_DB_ALIAS]  # the proxy's lookup costs more than a dict hit
    seen: dict[Any, Any] = {}  # one timestamp for every row: converted once

    def convert(value: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            seen[value] = result = field.get_db_prep_save(value, database)
            return result

    return convert


def _insert_sql(model, names: list[str]) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in names)
    marks = ", ".join(["%s"] * len(names))
    # Only the model's own table and column names are interpolated; values are parameters.
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608


def _db_rows(records: list[Mapping], fields: list[Field]) -> list[list]:
    plan = [(field.attname, _converter(field)) for field in fields]
    return [
        [record[name] if convert is None else convert(record[name]) for name, convert in plan]
        for record in records
    ]


# The history table repeats every dataset column (the dataset's id included) and adds these.
HISTORY_EXTRA = ["history_date", "history_change_reason", "history_type", "history_user"]


def _history(rows: list[list], names: list[str], kind: str, user_id: int | None, now) -> None:
    """History rows from the dataset rows already in database form (`names` their columns, the
    last one the dataset's id): as simple-history's bulk helpers write them."""
    history = Dataset.history.model
    date = _converter(history._meta.get_field("history_date"))(now)
    extra = [date, "", kind, user_id]
    with connection.cursor() as cursor:
        cursor.executemany(
            _insert_sql(history, [*names, *HISTORY_EXTRA]), [r + extra for r in rows]
        )


def insert_datasets(
    rows: list[dict[str, Any]], *, inventory: Inventory, user_id: int | None, now: datetime
) -> None:
    """New datasets from the import's cleaned values (with their metadata_score), and their
    creation history."""
    if not rows:
        return
    fields = [field for field in Dataset._meta.concrete_fields if not field.primary_key]
    names = [field.name for field in fields]
    common = {
        "inventory_id": inventory.pk,
        "agency_id": inventory.agency_id,
        "created_at": now,
        "updated_at": now,
    }
    db_rows = _db_rows([values | common | {"uid": uuid.uuid4()} for values in rows], fields)
    uid = names.index("uid")
    table, quote = connection.ops.quote_name(Dataset._meta.db_table), connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.executemany(_insert_sql(Dataset, names), db_rows)
        # The new rows' ids, by uid as the database holds it (no model instances: 10,000 of
        # them cost more than the insert).
        cursor.execute(
            f"SELECT {quote('uid')}, {quote('id')} FROM {table} "  # noqa: S608
            f"WHERE {quote('inventory_id')} = %s",
            [inventory.pk],
        )
        ids = dict(cursor.fetchall())
    for row in db_rows:
        row.append(ids[row[uid]])
    _history(db_rows, [*names, "id"], "+", user_id, now)


def update_datasets(
    datasets: list[Dataset], *, names: list[str], user_id: int | None, now: datetime
) -> None:
    """Write `names` (and updated_at) of datasets already changed in memory, and their change
    history."""
    if not datasets:
        return
    for dataset in datasets:
        dataset.updated_at = now
    fields = [Dataset._meta.get_field(name) for name in [*names, "updated_at"]]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    table = quote(Dataset._meta.db_table)
    sql = f"UPDATE {table} SET {assignments} WHERE {quote('id')} = %s"  # noqa: S608
    records = [vars(dataset) for dataset in datasets]
    with connection.cursor() as cursor:
        cursor.executemany(
            sql,
            [
                [*row, dataset.pk]
                for row, dataset in zip(_db_rows(records, fields), datasets, strict=True)
            ],
        )
    tracked = [field for field in Dataset._meta.concrete_fields if not field.primary_key]
    db_rows = _db_rows(records, tracked)
    for row, dataset in zip(db_rows, datasets, strict=True):
        row.append(dataset.pk)
    _history(db_rows, [*(field.name for field in tracked), "id"], "~", user_id, now)
