"""SQL sources (ADR 0017): one SELECT, read-only, timed, capped, on a database granted to the
publication's agency.

An administrator configures each database in CTODP_SOURCE_DATABASES with the agencies that may
query it (`name=URL|agency-slug,agency-slug`). A query must be exactly one statement and a SELECT
(sqlparse); it then runs in a read-only transaction (PostgreSQL: SET TRANSACTION READ ONLY and a
statement_timeout; SQLite: opened read-only, PRAGMA query_only, an authorizer that allows only
reads, a progress-handler deadline), and stops with a clear error past CTODP_SOURCE_SQL_MAX_ROWS.
The parse is a courtesy that explains the refusal; the read-only transaction is the guarantee,
and the database account should be read-only too (OPERATIONS.md).
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import sqlparse
from django.conf import settings
from sqlparse import tokens

WRITE_KEYWORDS = (tokens.Keyword.DML, tokens.Keyword.DDL)
SQLITE_READS = {
    sqlite3.SQLITE_SELECT,
    sqlite3.SQLITE_READ,
    sqlite3.SQLITE_FUNCTION,
    sqlite3.SQLITE_RECURSIVE,
}


class QueryRefusedError(Exception):
    """The query or the database is not allowed; the message says why."""


def databases() -> dict[str, dict[str, Any]]:
    """Every configured database as {"url", "agencies"}; a bare URL (the old format, or a test)
    is granted to no agency."""
    found = {}
    for name, value in settings.CTODP_SOURCE_DATABASES.items():
        if isinstance(value, str):
            value = {"url": value, "agencies": []}
        found[name] = {"url": value["url"], "agencies": [a.lower() for a in value["agencies"]]}
    return found


def databases_for(agency: Any) -> list[str]:
    """The names of the databases the agency's publishers may query."""
    slug = agency.slug.lower()
    return sorted(name for name, db in databases().items() if slug in db["agencies"])


def check_database(name: str, agency: Any) -> str:
    """The database's URL, if it is configured and granted to the agency."""
    database = databases().get(name)
    if database is None:
        raise QueryRefusedError(f"No database named {name!r} is configured.")
    if agency.slug.lower() not in database["agencies"]:
        raise QueryRefusedError(f"The database {name!r} is not available to {agency}.")
    return database["url"]


def check_query(query: str) -> str:
    """The one SELECT statement of `query`, without its final semicolon."""
    statements = [s for s in sqlparse.split(query) if s.strip().rstrip(";").strip()]
    if len(statements) != 1:
        raise QueryRefusedError("Give exactly one SELECT statement (no ';' between statements).")
    statement = sqlparse.parse(statements[0])[0]
    written = [
        t.value.upper()
        for t in statement.flatten()
        if t.ttype in WRITE_KEYWORDS and t.value.upper() != "SELECT"
    ]
    if statement.get_type() != "SELECT" or written:
        found = f" (found {written[0]})" if written else ""
        raise QueryRefusedError(f"Only a SELECT query can be a source{found}; it is run read-only.")
    return statements[0].strip().rstrip(";").strip()


def read(url: str, query: str, chunk_size: int) -> Iterator[tuple[list[str], list[tuple]]]:
    """(column names, rows) chunk by chunk, read-only, each fetch within the statement timeout,
    at most CTODP_SOURCE_SQL_MAX_ROWS rows in all."""
    query = check_query(query)
    backend = url.split(":", 1)[0].split("+", 1)[0]
    if backend == "sqlite":
        yield from _capped(_sqlite(url, query, chunk_size))
    elif backend in ("postgresql", "postgres"):
        yield from _capped(_postgres(url, query, chunk_size))
    else:
        raise QueryRefusedError(
            "SQL sources read PostgreSQL or SQLite databases only: ctodp enforces read-only "
            "transactions and timeouts on those."
        )


def _capped(chunks: Iterator[tuple[list[str], list[tuple]]]) -> Iterator:
    limit, seen = settings.CTODP_SOURCE_SQL_MAX_ROWS, 0
    for names, rows in chunks:
        seen += len(rows)
        if seen > limit:
            raise QueryRefusedError(
                f"The query returns more than {limit:,} rows, the limit for SQL sources "
                "(CTODP_SOURCE_SQL_MAX_ROWS). Narrow it, or ask an administrator."
            )
        yield names, rows


def _timeout_message() -> str:
    return (
        f"The query ran longer than {settings.CTODP_SOURCE_SQL_TIMEOUT:g} seconds "
        "(CTODP_SOURCE_SQL_TIMEOUT) and was stopped."
    )


def _sqlite(url: str, query: str, chunk_size: int) -> Iterator[tuple[list[str], list[tuple]]]:
    path = url.split("///", 1)[-1].split("?", 1)[0]
    if not path or path == ":memory:":
        raise QueryRefusedError("A SQLite source needs a database file.")
    deadline = [0.0]
    with contextlib.closing(_sqlite_read_only(path, deadline)) as connection:
        try:
            _restart(deadline)
            cursor = connection.execute(query)
            names = [d[0] for d in cursor.description or ()]
            while True:
                _restart(deadline)
                rows = cursor.fetchmany(chunk_size)
                if not rows:
                    return
                yield names, rows
        except sqlite3.OperationalError as error:
            if "interrupted" in str(error):
                raise QueryRefusedError(_timeout_message()) from error
            raise
        except sqlite3.DatabaseError as error:
            if "not authorized" in str(error) or "readonly" in str(error).replace("-", ""):
                raise QueryRefusedError(
                    "Only a SELECT query can be a source; it is run read-only."
                ) from error
            raise


def _restart(deadline: list[float]) -> None:
    deadline[0] = time.monotonic() + settings.CTODP_SOURCE_SQL_TIMEOUT


def _sqlite_read_only(path: str, deadline: list[float]) -> sqlite3.Connection:
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    connection = sqlite3.connect(uri, uri=True)
    connection.execute("PRAGMA query_only = ON")
    connection.set_authorizer(_reads_only)
    connection.set_progress_handler(_past(deadline), 10_000)
    return connection


def _reads_only(action: int, *args: Any) -> int:
    return sqlite3.SQLITE_OK if action in SQLITE_READS else sqlite3.SQLITE_DENY


def _past(deadline: list[float]) -> Callable[[], int]:
    return lambda: int(time.monotonic() > deadline[0])  # non-zero interrupts the statement


def _postgres(url: str, query: str, chunk_size: int) -> Iterator[tuple[list[str], list[tuple]]]:
    from sqlalchemy import create_engine, exc, text
    from sqlalchemy.pool import NullPool

    engine = create_engine(url, poolclass=NullPool)
    milliseconds = int(settings.CTODP_SOURCE_SQL_TIMEOUT * 1000)
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SET TRANSACTION READ ONLY")
            connection.exec_driver_sql(f"SET LOCAL statement_timeout = {milliseconds}")
            streaming = connection.execution_options(stream_results=True)
            result = streaming.execute(text(query))
            names = list(result.keys())
            while rows := result.fetchmany(chunk_size):
                yield names, [tuple(row) for row in rows]
            connection.rollback()  # nothing to keep: a read-only transaction
    except exc.DBAPIError as error:
        code = getattr(error.orig, "sqlstate", "")
        if code == "57014":  # query_canceled: the statement timeout
            raise QueryRefusedError(_timeout_message()) from error
        if code == "25006":  # read_only_sql_transaction
            raise QueryRefusedError(
                "Only a SELECT query can be a source; it is run read-only."
            ) from error
        raise
    finally:
        engine.dispose()
