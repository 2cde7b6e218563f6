"""SQL sources (ADR 0017): one SELECT, read-only, timed, capped, per agency. SQLite always;
PostgreSQL when DATABASE_URL points at one."""

from __future__ import annotations

import os
import sqlite3
import time

import pytest
from django.core.exceptions import ValidationError

from publishing import services, sources, sql
from publishing.forms import SourceForm
from publishing.models import RunStatus
from tests.publishing.helpers import attach, ocme_dataset

WRITES = [
    "delete from deaths",
    "insert into deaths values ('x', 1)",
    "update deaths set age = 0",
    "with gone as (delete from deaths returning *) select * from gone",
    "with kept as (select 1) delete from deaths",
    "select * from deaths; delete from deaths",
    "drop table deaths",
    "attach database 'other.db' as other",
]


@pytest.fixture
def warehouse(settings, tmp_path):
    path = tmp_path / "warehouse.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("create table deaths (id text, age integer)")
        db.executemany("insert into deaths values (?, ?)", [(f"q{n}", n) for n in range(50)])
    settings.CTODP_SOURCE_DATABASES = {
        "warehouse": {"url": f"sqlite:///{path}", "agencies": ["alpha"]},
        "beta-only": {"url": f"sqlite:///{path}", "agencies": ["beta"]},
    }
    return path


@pytest.fixture
def publication(agency_a, publisher_a):
    return services.publication_create(dataset=ocme_dataset(agency_a), acting_user=publisher_a)


def _rows(path) -> int:
    with sqlite3.connect(path) as db:
        return db.execute("select count(*) from deaths").fetchone()[0]


@pytest.mark.parametrize("query", WRITES)
def test_a_write_is_refused_at_attach_and_nothing_changes(
    warehouse, publication, publisher_a, query
):
    with pytest.raises(ValidationError, match="SELECT"):
        services.publication_attach_source(
            publication=publication, acting_user=publisher_a, database="warehouse", query=query
        )
    assert _rows(warehouse) == 50


@pytest.mark.parametrize("query", WRITES)
def test_the_connection_itself_refuses_writes(warehouse, settings, query):
    """Past the parse (say, a trick it misses), the read-only connection still refuses."""
    deadline = [time.monotonic() + 30]
    connection = sql._sqlite_read_only(str(warehouse), deadline)
    with pytest.raises(sqlite3.DatabaseError):  # denied, read-only, or two statements
        connection.execute(query)
    connection.close()
    assert _rows(warehouse) == 50


def test_a_select_is_read(warehouse, publication, publisher_a):
    check = attach(
        publication,
        publisher_a,
        database="warehouse",
        query="select id, age from deaths order by age;",
    ).check
    assert check.status == RunStatus.SUCCEEDED
    assert [c["field_name"] for c in publication.detected_columns] == ["id", "age"]


def test_a_slow_query_stops_at_the_timeout(warehouse, settings, publication):
    settings.CTODP_SOURCE_SQL_TIMEOUT = 0.5
    publication.source_kind, publication.source_database = "sql", "warehouse"
    publication.source_query = (
        "with recursive n(i) as (select 1 union all select i + 1 from n) "
        "select count(*) from n, deaths"
    )
    started = time.monotonic()
    with pytest.raises(sources.SourceError, match=r"longer than 0.5 seconds"):
        list(sources.read_chunks(publication, 100))
    assert time.monotonic() - started < 3


def test_the_row_cap_stops_a_large_result(warehouse, settings, publication):
    settings.CTODP_SOURCE_SQL_MAX_ROWS = 20
    publication.source_kind, publication.source_database = "sql", "warehouse"
    publication.source_query = "select * from deaths"
    with pytest.raises(sources.SourceError, match=r"more than 20 rows.*CTODP_SOURCE_SQL_MAX_ROWS"):
        list(sources.read_chunks(publication, 8))
    settings.CTODP_SOURCE_SQL_MAX_ROWS = 50
    assert sum(len(chunk) for chunk in sources.read_chunks(publication, 8)) == 50


def test_another_agencys_database_is_refused(warehouse, publication, publisher_a):
    with pytest.raises(ValidationError, match="'beta-only' is not available to"):
        services.publication_attach_source(
            publication=publication,
            acting_user=publisher_a,
            database="beta-only",
            query="select * from deaths",
        )


def test_a_grant_withdrawn_after_attach_stops_the_read(warehouse, settings, publication):
    publication.source_kind, publication.source_database = "sql", "warehouse"
    publication.source_query = "select * from deaths"
    settings.CTODP_SOURCE_DATABASES["warehouse"]["agencies"] = ["beta"]
    with pytest.raises(sources.SourceError, match="not available to"):
        list(sources.read_chunks(publication, 10))


def test_the_form_lists_only_the_agencys_databases(warehouse, agency_a, agency_b):
    choices = SourceForm(agency=agency_a).fields["database"].choices
    assert [name for name, _ in choices] == ["", "warehouse"]
    assert [name for name, _ in SourceForm(agency=agency_b).fields["database"].choices] == [
        "",
        "beta-only",
    ]


def test_a_database_listed_without_agencies_is_granted_to_none(settings, agency_a):
    settings.CTODP_SOURCE_DATABASES = {"old": "sqlite:///old.sqlite3"}
    assert sql.databases_for(agency_a) == []
    with pytest.raises(sql.QueryRefusedError, match="not available"):
        sql.check_database("old", agency_a)


def test_the_setting_keeps_its_old_form_and_takes_agencies():
    from ctodp.settings.sources import _source_databases

    parsed = _source_databases(
        "warehouse=postgresql://u:p@db/w?sslmode=require|ocme,dph,gis=sqlite:////srv/gis.db"
    )
    assert parsed == {
        "warehouse": {"url": "postgresql://u:p@db/w?sslmode=require", "agencies": ["ocme", "dph"]},
        "gis": {"url": "sqlite:////srv/gis.db", "agencies": []},
    }


# --- PostgreSQL -------------------------------------------------------------------------------


@pytest.fixture
def pg_warehouse(settings):
    """A table in the test's PostgreSQL server, reached through its own connection URL."""
    from sqlalchemy import create_engine

    url = os.environ["DATABASE_URL"].replace("postgres://", "postgresql://", 1)
    url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("drop table if exists ctodp_sql_source_probe")
        connection.exec_driver_sql("create table ctodp_sql_source_probe (id text, age integer)")
        connection.exec_driver_sql(
            "insert into ctodp_sql_source_probe select 'q' || n, n from generate_series(1, 50) n"
        )
    settings.CTODP_SOURCE_DATABASES = {"warehouse": {"url": url, "agencies": ["alpha"]}}
    yield engine
    with engine.begin() as connection:
        connection.exec_driver_sql("drop table ctodp_sql_source_probe")
    engine.dispose()


def _pg_rows(engine) -> int:
    with engine.connect() as connection:
        return connection.exec_driver_sql("select count(*) from ctodp_sql_source_probe").scalar()


@pytest.mark.postgres
@pytest.mark.parametrize(
    "query",
    [
        "delete from ctodp_sql_source_probe",
        "insert into ctodp_sql_source_probe values ('x', 1)",
        "update ctodp_sql_source_probe set age = 0",
        "with gone as (delete from ctodp_sql_source_probe returning *) select * from gone",
    ],
)
def test_postgres_writes_are_refused_by_the_read_only_transaction(pg_warehouse, settings, query):
    url = settings.CTODP_SOURCE_DATABASES["warehouse"]["url"]
    with pytest.raises(sql.QueryRefusedError, match="SELECT"):
        list(sql.read(url, query, 10))
    from sqlalchemy.exc import DBAPIError

    with pytest.raises((DBAPIError, sql.QueryRefusedError)):  # past the parse, PostgreSQL refuses
        list(sql._postgres(url, query, 10))
    assert _pg_rows(pg_warehouse) == 50


@pytest.mark.postgres
def test_postgres_queries_run_in_a_read_only_transaction_with_a_timeout(pg_warehouse, settings):
    settings.CTODP_SOURCE_SQL_TIMEOUT = 1.5
    url = settings.CTODP_SOURCE_DATABASES["warehouse"]["url"]
    query = (
        "select current_setting('transaction_read_only') as ro, "
        "current_setting('statement_timeout') as timeout"
    )
    assert list(sql.read(url, query, 10)) == [(["ro", "timeout"], [("on", "1500ms")])]


@pytest.mark.postgres
def test_postgres_slow_query_stops_at_the_statement_timeout(pg_warehouse, settings):
    settings.CTODP_SOURCE_SQL_TIMEOUT = 0.5
    url = settings.CTODP_SOURCE_DATABASES["warehouse"]["url"]
    started = time.monotonic()
    with pytest.raises(sql.QueryRefusedError, match=r"longer than 0\.5 seconds"):
        list(sql.read(url, "select pg_sleep(5)", 10))
    assert time.monotonic() - started < 3


@pytest.mark.postgres
def test_postgres_row_cap(pg_warehouse, settings):
    settings.CTODP_SOURCE_SQL_MAX_ROWS = 20
    url = settings.CTODP_SOURCE_DATABASES["warehouse"]["url"]
    with pytest.raises(sql.QueryRefusedError, match="more than 20 rows"):
        list(sql.read(url, "select * from ctodp_sql_source_probe", 8))
