"""Benchmark: the program dashboard for 100 agencies × 200 datasets, against a minimal page.

    .venv/bin/python bench/bench_dashboard.py [--agencies 100] [--datasets 200] [--repeat 5]

Builds a throwaway SQLite database (unless DATABASE_URL is set), bulk-creates the agencies, each
with an ADO, an inventory of N datasets, an approved plan with an item for every fifth dataset
(some to retire) and a publication for every tenth, six in seven of them made public, with a
run (some failed, some old enough to be stale), then requests /dashboard/ signed in as a DAPA
analyst, and /healthz, in the same run: the first request (cold: every agency's metadata score
is computed and cached) and the median of the next ones.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup(database_url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctodp.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    # No setup_test_environment(): it instruments template rendering (a copy of each
    # template's context, for the test client to record), which production does not pay.
    call_command("migrate", verbosity=0)


def _agencies(count: int) -> list:
    from django.contrib.auth.models import User

    from agencies.models import Agency, Membership

    Agency.objects.all().update(is_active=False)  # only the benchmark's agencies are counted
    agencies = Agency.objects.bulk_create(
        Agency(name=f"Bench agency {n:03d}", acronym=f"BA{n}", slug=f"bench-{n}")
        for n in range(count)
    )
    users = User.objects.bulk_create(
        User(username=f"ado{n}", email=f"ado{n}@ct.example", first_name="Ado", last_name=str(n))
        for n in range(count)
    )
    Membership.objects.bulk_create(
        Membership(user=u, agency=a, role="ado") for u, a in zip(users, agencies, strict=True)
    )
    return agencies


def _datasets(agencies: list, per_agency: int) -> tuple[list, list]:
    from inventories.models import Dataset, Inventory, default_due_date

    inventories = Inventory.objects.bulk_create(
        Inventory(agency=a, year=2026, status="submitted", due_date=default_due_date(2026))
        for a in agencies
    )
    datasets = [
        Dataset(
            inventory=inventory,
            agency=inventory.agency,
            title=f"Dataset {n:03d} of {inventory.agency.slug}",
            description="Programs licensed by the agency, with capacity and location. " * 3,
            data_owner="Licensing Division",
            contact_email="data@ct.example",
            criterion_b=True,
            update_frequency="Monthly",
            availability="portal" if n % 3 == 0 else "not_available",
            portal_id=f"{n:04d}-{inventory.pk:04d}" if n % 3 == 0 else "",
        )
        for inventory in inventories
        for n in range(per_agency)
    ]
    for dataset in datasets:
        dataset.refresh_metadata_score()  # what Dataset.save() does; bulk_create skips it
    datasets = Dataset.objects.bulk_create(datasets, batch_size=1000)
    return inventories, datasets


def _plans_and_publications(inventories: list, datasets: list, user) -> None:
    from django.utils import timezone

    from access_plans.models import AccessPlan, PlanItem
    from publishing.models import Publication, PublicationRun

    plans = AccessPlan.objects.bulk_create(
        AccessPlan(agency=i.agency, year=2026, inventory=i, status="approved") for i in inventories
    )
    by_inventory = {plan.inventory_id: plan for plan in plans}
    PlanItem.objects.bulk_create(
        (
            PlanItem(
                plan=by_inventory[d.inventory_id],
                dataset=d,
                intent="retire" if n % 25 == 0 else "publish_new",
                target_date=datetime.date(2026, 6, 30),
                update_frequency="Monthly",
            )
            for n, d in enumerate(datasets)
            if n % 5 == 0
        ),
        batch_size=1000,
    )
    chosen = [d for n, d in enumerate(datasets) if n % 10 == 0]
    now = timezone.now()
    publications = Publication.objects.bulk_create(
        # Six in seven made public (their figures then read the runs), as on a live portal.
        Publication(
            dataset=d,
            agency_id=d.agency_id,
            created_by=user,
            made_public_at=None if n % 7 == 3 else now - datetime.timedelta(days=90 + n % 30),
        )
        for n, d in enumerate(chosen)
    )
    runs = PublicationRun.objects.bulk_create(
        PublicationRun(
            publication=p,
            status="failed" if n % 7 == 0 else "succeeded",
            finished_at=now - datetime.timedelta(days=n % 60),
        )
        for n, p in enumerate(publications)
    )
    for publication, run in zip(publications, runs, strict=True):
        publication.last_run = run
    Publication.objects.bulk_update(publications, ["last_run"], batch_size=1000)


def _measure(client, path: str, repeat: int) -> tuple[float, float, float, int]:
    """First request, median wall time and median CPU seconds of this process (the database
    server's work is not in it) over the next ones, and the query count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, cpu = [], []
    for _ in range(repeat + 1):  # the first run warms caches and is not counted
        with CaptureQueriesContext(connection) as queries:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        assert response.status_code == 200, (path, response.status_code)
    return times[0], statistics.median(times[1:]), statistics.median(cpu[1:]), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=100)
    parser.add_argument("--datasets", type=int, default=200, help="per agency")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--postgres", action="store_true", help="a throwaway PostgreSQL server")
    parser.add_argument(
        "--profile", action="store_true", help="print where one request's time goes"
    )
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        if args.postgres:
            sys.path.insert(0, str(ROOT / "scripts"))
            from run_tests import find_pg_bindir, postgres

            os.environ["DATABASE_URL"] = stack.enter_context(postgres(find_pg_bindir()))
        run(args)


def run(args: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="ctodp-bench-"))
    _setup(os.environ.get("DATABASE_URL") or f"sqlite:///{folder / 'bench.sqlite3'}")
    from django.contrib.auth.models import Group, User
    from django.test import Client

    dapa = User.objects.create_user("dapa")  # force_login: no password needed
    dapa.groups.add(Group.objects.get_or_create(name="DAPA analyst")[0])
    inventories, datasets = _datasets(_agencies(args.agencies), args.datasets)
    _plans_and_publications(inventories, datasets, dapa)
    print(f"built {args.agencies} agencies × {args.datasets} datasets ({len(datasets)} in all)")
    del inventories, datasets  # a web worker holds none of the data it serves
    client = Client(HTTP_HOST="localhost")  # an allowed host without the test environment
    client.force_login(dapa)
    # What a gunicorn worker does once it has loaded the app (gunicorn.conf.py).
    gc.collect()
    gc.freeze()
    from django.db import connection

    load = os.getloadavg()[0]
    results = {p: _measure(client, p, args.repeat) for p in ["/healthz", "/dashboard/?year=2026"]}
    print(f"{connection.vendor}, load average {load:.2f} -> {os.getloadavg()[0]:.2f}")
    if args.profile:
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.runcall(client.get, "/dashboard/?year=2026")
        pstats.Stats(profile).sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(45)
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            client.get("/dashboard/?year=2026")
        for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:8]:
            print(query["time"], query["sql"][:300])
    base, base_cpu = results["/healthz"][1:3]
    print(
        f"{'path':<24}{'first ms':>10}{'median ms':>11}{'CPU ms':>9}{'queries':>9}"
        f"{'× healthz':>11}{'CPU ×':>8}"
    )
    for path, (first, seconds, cpu, queries) in results.items():
        print(
            f"{path:<24}{first * 1000:>10.1f}{seconds * 1000:>11.1f}{cpu * 1000:>9.1f}"
            f"{queries:>9}{seconds / base:>11.0f}{cpu / base_cpu:>8.0f}"
        )


if __name__ == "__main__":
    main()
