"""Benchmark: /data.json (and the public catalog) over 10,000 datasets, against /healthz.

    .venv/bin/python bench/bench_data_json.py [--datasets N] [--repeat R] [--keep] [--postgres]

Builds a throwaway SQLite database (DATABASE_URL is set here, before Django starts), migrates it,
bulk-creates one accepted inventory per agency and N datasets spread over them, then requests each
page R times with Django's test client, printing the median time, the query count and the size.
Set DATABASE_URL yourself to measure on another database (it is then migrated and filled), or
pass --postgres to start a throwaway PostgreSQL server as scripts/run_tests.py does.

For /data.json it also prints the baseline of the same run (a raw SELECT of the same datasets'
columns with their agency and year, then `json.dumps`: the least any server could do), the first
request (empty cache: the body is built) and the ratio of the median to the baseline.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PATHS = ["/healthz", "/data.json", "/catalog/", "/catalog.csv"]


def _setup(database_url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctodp.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()  # lets the test client's host in
    call_command("migrate", verbosity=0)


def _build(count: int) -> None:
    from agencies.models import Agency
    from inventories.choices import AccessLevel, Category, GeographicUnit, UpdateFrequency
    from inventories.models import Dataset, Inventory, default_due_date

    agencies = list(Agency.objects.order_by("pk"))
    inventories = Inventory.objects.bulk_create(
        Inventory(agency=a, year=2025, status="accepted", due_date=default_due_date(2025))
        for a in agencies
    )
    levels, frequencies = AccessLevel.values, UpdateFrequency.values
    Dataset.objects.bulk_create(
        (
            Dataset(
                inventory=inventories[n % len(inventories)],
                agency=agencies[n % len(agencies)],
                title=f"Dataset {n:05d} of the benchmark",
                description="Programs licensed by the agency, with capacity and location. " * 3,
                data_owner="Licensing Division",
                contact_email="" if n % 7 == 0 else "data@ct.example",
                criterion_b=True,
                access_level=levels[n % 3],
                access_reason="" if n % 3 == 0 else "Confidential under state statute.",
                category=Category.values[n % len(Category.values)],
                geographic_unit=GeographicUnit.MUNICIPALITY,
                update_frequency=frequencies[n % len(frequencies)],
                temporal_coverage="2012-2018",
                tags="licensing; child care; programs",
                portal_id=f"{n // 10000:04d}-{n % 10000:04d}" if n % 2 else "",
            )
            for n in range(count)
        ),
        batch_size=1000,
    )
    print(f"built {count} datasets over {len(agencies)} agencies' accepted inventories")


def _baseline(repeat: int) -> float:
    """A raw SELECT of the listed datasets' columns and json.dumps of the rows: median seconds."""
    from django.db import connection

    from catalog.selectors import PUBLIC_FIELDS, data_json_datasets

    columns = [f'"{field}"' for field in PUBLIC_FIELDS if "__" not in field]
    sql = (
        f"SELECT {', '.join('d.' + c for c in columns)}, a.name, a.slug, a.attribution, "  # noqa: S608
        "a.contact_email, i.year FROM inventories_dataset d "
        "JOIN agencies_agency a ON a.id = d.agency_id "
        "JOIN inventories_inventory i ON i.id = d.inventory_id WHERE d.id IN ({ids})"
    )
    ids = ", ".join(str(pk) for pk in data_json_datasets().values_list("pk", flat=True))
    times = []
    for _ in range(repeat + 1):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql.format(ids=ids))
            names = [column[0] for column in cursor.description]
            rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        json.dumps(rows, default=str)
        times.append(time.perf_counter() - started)
    return statistics.median(times[1:])


def _first(path: str) -> float:
    from django.core.cache import cache
    from django.test import Client

    cache.clear()
    started = time.perf_counter()
    Client().get(path)
    return time.perf_counter() - started


def _measure(path: str, repeat: int) -> tuple[float, int, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client, times = Client(), []
    for _ in range(repeat + 1):  # the first run warms caches and is not counted
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(times[1:]), len(queries), len(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file")
    parser.add_argument("--postgres", action="store_true", help="a throwaway PostgreSQL server")
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        if args.postgres:
            sys.path.insert(0, str(ROOT / "scripts"))
            from run_tests import find_pg_bindir, postgres

            os.environ["DATABASE_URL"] = stack.enter_context(postgres(find_pg_bindir()))
        run(args)


def run(args: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="ctodp-bench-"))
    database = os.environ.get("DATABASE_URL") or f"sqlite:///{folder / 'bench.sqlite3'}"
    _setup(database)
    _build(args.datasets)
    from django.db import connection

    load = os.getloadavg()[0]
    first = _first("/data.json")
    results = {path: _measure(path, args.repeat) for path in PATHS}
    baseline = _baseline(args.repeat)
    print(f"{connection.vendor}, load average {load:.2f} -> {os.getloadavg()[0]:.2f}")
    print(f"{'path':<14}{'median ms':>11}{'queries':>9}{'bytes':>12}{'× healthz':>11}")
    base = results["/healthz"][0]
    for path, (seconds, queries, size) in results.items():
        print(f"{path:<14}{seconds * 1000:>11.1f}{queries:>9}{size:>12,}{seconds / base:>11.0f}")
    median = results["/data.json"][0]
    print(
        f"/data.json: first request (empty cache) {first * 1000:.0f} ms; median {median * 1000:.1f}"
        f" ms; baseline raw SELECT + json.dumps {baseline * 1000:.0f} ms; "
        f"ratio median/baseline {median / baseline:.2f}, first/baseline {first / baseline:.2f}"
    )
    if not args.keep and database.startswith("sqlite") and folder.exists():
        for file in folder.iterdir():
            file.unlink()
        folder.rmdir()


if __name__ == "__main__":
    main()
