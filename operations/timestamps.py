"""Timestamps read from PostgreSQL without Django's slow parse.

Django's psycopg 3 backend reads every `timestamptz` through a loader derived from psycopg's
pure-Python one (Django ticket 36960; psycopg's compiled loader cannot be subclassed). That
parse costs about 3 µs a value: 20 ms of a dashboard request that reads 6,000 of them. Here
each new PostgreSQL connection gets a loader that parses the ISO text PostgreSQL sends with
`datetime.fromisoformat` (compiled code) and gives back exactly what Django's loader gives: the
wall clock PostgreSQL wrote (in the session's time zone), labelled with the connection's time
zone. Anything else (another DateStyle, BC dates, years past 9999, infinity) goes to Django's
loader, which answers or refuses as before. tests/core/test_timestamps.py checks both agree
over generated moments.
"""

from __future__ import annotations

import datetime
from typing import Any


def fast_timestamps(sender: Any, connection: Any, **kwargs: Any) -> None:
    """`connection_created`: register the loader on a new psycopg 3 connection."""
    if connection.vendor != "postgresql":
        return
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    if not is_psycopg3:
        return
    connection.connection.adapters.register_loader("timestamptz", loader_for(connection.timezone))


def loader_for(timezone: datetime.tzinfo | None) -> type:
    from django.db.backends.postgresql.psycopg_any import BaseTzLoader

    class FastTzLoader(BaseTzLoader):
        def __init__(self, oid: int, context: Any = None) -> None:
            super().__init__(oid, context)
            # psycopg parses only the ISO DateStyle (the one Django's connections use).
            self._iso = self._load_method == type(self)._load_iso

        def load(self, data: Any) -> datetime.datetime:
            if self._iso:
                try:
                    moment = datetime.datetime.fromisoformat(bytes(data).decode())
                    if moment.tzinfo is not None:
                        return moment.replace(tzinfo=self.timezone)
                except (ValueError, OverflowError):
                    pass
            return super().load(data)

    FastTzLoader.timezone = timezone  # what Django's cursors compare (base.create_cursor)
    return FastTzLoader
