"""PostgreSQL timestamps parsed in compiled code (operations/timestamps.py) are exactly what
Django's own loader gives: the same instant, the same wall clock, the same time zone, for any
moment PostgreSQL can send, in the UTC sessions Django opens and in another session time zone."""

import datetime
import zoneinfo

import psycopg
import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import BaseTzLoader, register_tzloader
from hypothesis import given, settings
from hypothesis import strategies as st

from operations.timestamps import loader_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

moments = st.datetimes(
    min_value=datetime.datetime(1, 1, 2),
    max_value=datetime.datetime(9999, 12, 30),
    timezones=st.sampled_from(
        [datetime.UTC, zoneinfo.ZoneInfo("America/New_York"), zoneinfo.ZoneInfo("Asia/Kolkata")]
    ),
)


def _both(cursor, sql: str, params: list) -> tuple[list, list]:
    """The rows as ctodp's loader reads them, then as Django's own does."""
    cursor.execute(sql, params)
    fast = cursor.fetchall()
    register_tzloader(connection.timezone, cursor.cursor)  # Django's, on this cursor only
    cursor.execute(sql, params)
    return fast, cursor.fetchall()


def _same(a: datetime.datetime | None, b: datetime.datetime | None) -> bool:
    if a is None or b is None:
        return a is b
    return a == b and a.replace(tzinfo=None) == b.replace(tzinfo=None) and a.tzinfo == b.tzinfo


def test_a_new_connection_reads_timestamps_with_the_fast_loader():
    connection.ensure_connection()
    loader = connection.connection.adapters.get_loader(1184, 0)  # timestamptz, text

    assert loader.__name__ == "FastTzLoader"
    assert loader.timezone == connection.timezone  # so Django's cursors keep it


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), moments), min_size=1, max_size=20))
def test_any_moment_reads_as_djangos_loader_reads_it(values):
    with connection.cursor() as cursor:
        sql = "SELECT unnest(%s::timestamptz[])"
        fast, django = _both(cursor, sql, [values])

    assert all(_same(a[0], b[0]) for a, b in zip(fast, django, strict=True))
    # Both are the instants written (compared in UTC: a local time inside a DST change is never
    # equal to another zone's, by Python's rules, PEP 495).
    written = [v and v.astimezone(datetime.UTC) for v in values]
    assert [row[0] and row[0].astimezone(datetime.UTC) for row in fast] == written


@settings(max_examples=100, deadline=None)
@given(moments)
def test_a_session_in_another_time_zone_reads_the_same_too(value):
    with connection.cursor() as cursor:
        cursor.execute("SET TIME ZONE 'Asia/Kolkata'")
        try:
            fast, django = _both(cursor, "SELECT %s::timestamptz", [value])
        finally:
            cursor.execute("SET TIME ZONE 'UTC'")

    assert _same(fast[0][0], django[0][0])


@pytest.mark.parametrize("text", [b"infinity", b"-infinity", b"0044-03-15 12:00:00+00 BC"])
def test_what_iso_text_cannot_say_goes_to_djangos_loader(text):
    fast = loader_for(datetime.UTC)(1184, connection.connection)
    django = BaseTzLoader(1184, connection.connection)

    with pytest.raises(psycopg.DataError) as refused:
        fast.load(text)
    with pytest.raises(psycopg.DataError) as refused_by_django:
        django.load(text)
    assert str(refused.value) == str(refused_by_django.value)
