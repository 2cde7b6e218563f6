"""50 scheduled refreshes falling due in the same minute, against 4 worker slots, with the portal
answering some writes with 429 (the CT Open Data Hub refreshes about 50 of 400 datasets nightly).

    .venv/bin/python bench/bench_scheduled_refreshes.py [--refreshes 50] [--rows 2000]
        [--concurrency 4] [--throttled 20]

Starts, all throwaway: PostgreSQL and Redis (as scripts/run_tests.py does), the sandbox portal
(`python -m sandbox_portal`, file-backed) and a real Celery worker (`--concurrency 4`, prefork)
on Redis. Builds N publications with an uploaded CSV source of R rows (row identifier `id`) and a
daily schedule, all due now. Then:
  * baseline: one more publication's run, alone on the same worker: its time T1. With 4 slots
    the ideal for N runs is ceil(N / 4) x T1.
  * the refreshes: `schedules_run_due()` (what beat runs every minute) fires every due schedule;
    the sandbox answers the next `--throttled` row writes with 429 and Retry-After: 1 s. Timed
    until every run has ended.
Prints the time, the ratio to the ideal, the load average, and the checks that none was lost or
duplicated: one run per schedule, every run succeeded, and every asset holds exactly R rows with
R distinct identifiers (read back from the sandbox).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from run_tests import find_pg_bindir, postgres, redis  # noqa: E402

ENDED = {"succeeded", "failed", "cancelled"}


def make_csv(path: Path, rows: int, salt: int) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ID", "Town", "Amount", "Reported"])
        for n in range(rows):
            writer.writerow([n, f"Town {(n + salt) % 169}", n * 3 % 1000, "2024-01-02"])


def start_sandbox(data: Path) -> tuple[subprocess.Popen, str]:
    command = [sys.executable, "-m", "sandbox_portal", "--port", "0", "--data", str(data)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline()  # "Sandbox portal on http://127.0.0.1:PORT/ (data in …)"
    return process, line.split("http://", 1)[1].split("/", 1)[0]


def start_worker(concurrency: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "celery", "-A", "ctodp", "worker", "--pool=prefork"]
    command += [f"--concurrency={concurrency}", "--loglevel=ERROR", "--without-gossip"]
    command += ["--without-mingle", "--hostname=bench@%h"]
    return subprocess.Popen(command, cwd=ROOT, env=os.environ.copy())


def wait_for_worker(worker: subprocess.Popen) -> None:
    from ctodp.celery import app

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise SystemExit(f"the worker exited with {worker.returncode}")
        with contextlib.suppress(Exception):
            if app.control.ping(timeout=0.5):
                return
        time.sleep(0.5)
    raise SystemExit("the worker did not answer within two minutes")


def publication(user, agency, inventory, path: Path, n: int):
    from django.core.files import File

    from inventories.models import Dataset
    from publishing import services

    dataset = Dataset.objects.create(inventory=inventory, agency=agency, title=f"Refresh {n:03d}")
    pub = services.publication_create(dataset=dataset, acting_user=user)
    with path.open("rb") as handle:
        services.publication_attach_source(
            publication=pub, acting_user=user, file=File(handle, name=path.name)
        )
    services.publication_confirm_columns(publication=pub, acting_user=user, row_identifier="id")
    return pub


def wait_until_ended(run_ids: list[int], timeout: float) -> float:
    from publishing.models import PublicationRun

    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        ended = PublicationRun.objects.filter(pk__in=run_ids, status__in=ENDED).count()
        if ended == len(run_ids):
            return time.perf_counter() - started
        time.sleep(0.2)
    raise SystemExit(f"not every run ended within {timeout:.0f} s")


def rows_on_portal(domain: str, view_id: str) -> list[str]:
    answer = requests.get(
        f"http://{domain}/resource/{view_id}.json",
        params={"$limit": 1_000_000, "$select": "id"},
        auth=("sandbox", "sandbox"),
        timeout=120,
    )
    answer.raise_for_status()
    return [row["id"] for row in answer.json()]


def bench(args: argparse.Namespace, work: Path, domain: str) -> None:
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from agencies.models import Agency
    from inventories.models import Inventory
    from publishing import services
    from publishing.models import PublicationRun, PublicationSchedule
    from publishing.schedules import services as schedules

    user = User.objects.create(username="bench")
    agency = Agency.objects.create(name="Bench agency", slug="bench")
    inventory = Inventory.objects.create(agency=agency, year=2026, due_date="2026-12-31")
    publications = []
    for n in range(args.refreshes + 1):
        path = work / f"source-{n}.csv"
        make_csv(path, args.rows, n)
        publications.append(publication(user, agency, inventory, path, n))
    alone, refreshed = publications[0], publications[1:]
    for pub in refreshed:
        schedules.schedule_set(publication=pub, acting_user=user, kind="daily")
    PublicationSchedule.objects.update(next_run_at=timezone.now() - datetime.timedelta(seconds=5))

    worker = start_worker(args.concurrency)
    try:
        wait_for_worker(worker)
        run = services.run_start(publication=alone, acting_user=user)
        single = wait_until_ended([run.pk], timeout=600)
        faults = {"status": 429, "retry_after": 1, "count": args.throttled}
        throttle = {**faults, "path_prefix": "/resource/", "method": "POST"}
        requests.post(f"http://{domain}/__sandbox__/faults", json=throttle, timeout=10)
        load = os.getloadavg()[0]
        started = time.perf_counter()
        fired = schedules.schedules_run_due()
        run_ids = [outcome.run_id for outcome in fired if outcome.run_id]
        wait_until_ended(run_ids, timeout=3600)
        total = time.perf_counter() - started
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    runs = PublicationRun.objects.filter(pk__in=run_ids).select_related("publication")
    statuses = sorted({run.status for run in runs})
    per_schedule = PublicationRun.objects.filter(publication__in=refreshed).count()
    short = []
    for run in runs:
        ids = rows_on_portal(domain, run.publication.portal_id)
        if len(ids) != args.rows or len(set(ids)) != args.rows:
            short.append((run.publication_id, len(ids), len(set(ids))))
    attempts = sum(run.attempts for run in runs)
    ideal = math.ceil(len(refreshed) / args.concurrency) * single
    print(
        f"{len(refreshed)} refreshes of {args.rows:,} rows due in the same minute, "
        f"{args.concurrency} worker slots, {args.throttled} row writes answered 429 "
        f"(Retry-After 1 s); load average {load:.2f} -> {os.getloadavg()[0]:.2f}"
    )
    print(f"  one run alone: {single:.1f} s; ideal with {args.concurrency} slots: {ideal:.1f} s")
    print(
        f"  all {len(run_ids)} fired runs ended in {total:.1f} s; "
        f"ratio to the ideal {total / ideal:.2f}x"
    )
    print(f"  statuses: {statuses}; attempts in all: {attempts}; runs per schedule: {per_schedule}")
    lost = len(refreshed) - len(run_ids)
    print(
        f"  lost: {lost} schedule(s) without a run; assets not holding exactly {args.rows:,} "
        f"distinct rows: {short or 'none'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--refreshes", type=int, default=50)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--throttled", type=int, default=20)
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="ctodp-bench-")))
        os.environ["DATABASE_URL"] = stack.enter_context(postgres(find_pg_bindir()))
        os.environ["REDIS_URL"] = stack.enter_context(redis("redis-server"))
        sandbox, domain = start_sandbox(work / "portal")
        stack.callback(sandbox.wait, timeout=30)
        stack.callback(sandbox.terminate)
        os.environ.update(
            DJANGO_SETTINGS_MODULE="ctodp.settings.test",
            CTODP_TASKS_EAGER="0",
            CTODP_MEDIA_ROOT=str(work / "media"),
            SOCRATA_DOMAIN=domain,
            SOCRATA_BACKOFF_MAX="2",
        )
        bench(args, work, domain)


if __name__ == "__main__":
    main()
