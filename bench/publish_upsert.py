"""Publish an N-row, 10-column CSV to the sandbox portal by upsert, against plain `requests`.

    .venv/bin/python bench/publish_upsert.py [--rows 100000,1000000] [--chunk 10000]

For each size, in the same run, each side against its own fresh sandbox portal (a separate
process, file-backed as under `make run`, started the same way for both):
  * baseline: the same JSON chunks (built beforehand, one at a time) POSTed with plain
    `requests` to a fresh dataset; only the POSTs are timed;
  * ctodp: a Publication with the CSV as its uploaded source, run through `run_start` (eager
    task): survey pass (header, types, content hash), then the chunked upsert through
    PortalClient/sodapy, with the run's counters updated per chunk.
Each side runs in its own child process, so its peak RSS (ru_maxrss) is its own.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOWNS = ["Hartford", "New Haven", "Stamford", "Bridgeport", "Waterbury", "Norwalk", "Danbury"]
HEADER = ["ID", "Town", "County", "Year", "Amount", "Reported", "Category", "Open", "Note", "Count"]


def make_csv(path: Path, rows: int) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(rows):
            town = TOWNS[n % len(TOWNS)]
            writer.writerow(
                [n, town, f"{town} County", 2012 + n % 12, f"{(n * 7919) % 100000 / 100:.2f}",
                 f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}", f"Category {n % 10}",
                 "true" if n % 3 else "false", f"Record {n}, \"quoted\"", n % 97]
            )  # fmt: skip


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- children ------------------------------------------------------------------------------


def _django(domain: str, media: str) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    os.environ["CTODP_MEDIA_ROOT"] = media
    os.environ["SOCRATA_DOMAIN"] = domain
    import _django as bench_django

    bench_django.setup()
    from django.conf import settings

    settings.SOCRATA_TIMEOUT = 300.0
    settings.SOCRATA_CHUNK_SIZE = CHUNK


def child_baseline(path: Path, domain: str, media: str) -> dict:
    import requests

    _django(domain, media)
    from publishing import payload, sources

    with path.open("rb") as handle:
        columns = sources.infer_columns(next(sources._csv_chunks(handle, sources.SAMPLE_ROWS)))
    session = requests.Session()
    session.auth = ("sandbox", "sandbox")
    base = f"http://{domain}"
    view = {
        "name": "Baseline",
        "columns": [
            {"fieldName": c["field_name"], "name": c["name"], "dataTypeName": c["type"]}
            for c in columns
        ],
        "metadata": {"rowIdentifier": "id"},
    }
    dataset = session.post(f"{base}/api/views.json", data=json.dumps(view), timeout=60).json()["id"]
    posting = 0.0
    started = time.perf_counter()
    fields = [c["field_name"] for c in columns]
    with path.open("rb") as handle:
        for number, chunk in enumerate(sources._csv_chunks(handle, CHUNK)):
            body = payload.body(fields, payload.chunk_cells(chunk, columns, number * CHUNK + 1))
            before = time.perf_counter()
            answer = session.post(f"{base}/resource/{dataset}.json", data=body, timeout=300)
            answer.raise_for_status()
            posting += time.perf_counter() - before
    return {"post_seconds": posting, "wall_seconds": time.perf_counter() - started}


def child_publish(path: Path, domain: str, media: str) -> dict:
    _django(domain, media)
    from django.contrib.auth.models import User
    from django.core.files import File

    from agencies.models import Agency
    from inventories.models import Dataset, Inventory
    from publishing import services

    user = User.objects.create(username="bench")
    agency = Agency.objects.create(name="Bench agency", slug="bench")
    inventory = Inventory.objects.create(agency=agency, year=2026, due_date="2026-12-31")
    dataset = Dataset.objects.create(inventory=inventory, agency=agency, title="Bench rows")
    publication = services.publication_create(dataset=dataset, acting_user=user)
    with path.open("rb") as handle:
        services.publication_attach_source(
            publication=publication, acting_user=user, file=File(handle, name=path.name)
        )
    services.publication_confirm_columns(
        publication=publication, acting_user=user, row_identifier="id"
    )
    before = peak_mb()
    started = time.perf_counter()
    run = services.run_start(publication=publication, acting_user=user)  # eager: runs now
    seconds = time.perf_counter() - started
    run.refresh_from_db()
    assert run.status == "succeeded", run.error
    return {
        "wall_seconds": seconds,
        "rows_created": run.rows_created,
        "chunks": run.chunks_done,
        "peak_mb_before_run": before,
    }


CHUNK = 10_000


def child(kind: str, path: str, domain: str, media: str, chunk: int) -> None:
    global CHUNK
    CHUNK = chunk
    work = child_baseline if kind == "baseline" else child_publish
    result = work(Path(path), domain, media)
    result["peak_mb"] = peak_mb()
    print(json.dumps(result))


# --- the orchestra -------------------------------------------------------------------------


def start_sandbox(data: Path) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ctodp.settings.test"}
    command = [sys.executable, "-m", "sandbox_portal", "--port", "0", "--data", str(data)]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline()  # "Sandbox portal on http://127.0.0.1:PORT/ (data in …)"
    return process, line.split("http://", 1)[1].split("/", 1)[0]


def run_child(kind: str, path: Path, domain: str, media: Path, chunk: int) -> dict:
    command = [sys.executable, __file__, "--child", kind, str(path), domain, str(media)]
    command += ["--chunk", str(chunk)]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ctodp.settings.test", "CTODP_TASKS_EAGER": "1"}
    env.pop("DATABASE_URL", None)  # each child migrates its own throwaway SQLite file
    out = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if out.returncode:
        raise SystemExit(f"{kind} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(rows: int, base: dict, ours: dict) -> None:
    ratio = ours["wall_seconds"] / base["post_seconds"]
    print(
        f"{rows:>9,} rows | baseline requests: {base['post_seconds']:7.1f} s POSTing "
        f"({rows / base['post_seconds']:8,.0f} rows/s), peak {base['peak_mb']:5.0f} MB | "
        f"ctodp run: {ours['wall_seconds']:7.1f} s ({rows / ours['wall_seconds']:8,.0f} rows/s), "
        f"peak {ours['peak_mb']:5.0f} MB (before the run {ours['peak_mb_before_run']:.0f} MB) | "
        f"ratio {ratio:.2f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", default="100000,1000000")
    parser.add_argument("--chunk", type=int, default=10_000)
    parser.add_argument("--child", nargs=4, metavar=("KIND", "PATH", "DOMAIN", "MEDIA"))
    args = parser.parse_args()
    if args.child:
        return child(*args.child, chunk=args.chunk)
    with tempfile.TemporaryDirectory(prefix="ctodp-bench-publish-") as tmp:
        work = Path(tmp)
        for rows in (int(n) for n in args.rows.split(",")):
            path = work / f"rows-{rows}.csv"
            make_csv(path, rows)
            size = path.stat().st_size / 1e6
            print(f"{rows:,} rows x {len(HEADER)} columns, {size:.0f} MB CSV", flush=True)
            base = measure("baseline", path, work / f"sandbox-{rows}-baseline", args.chunk)
            ours = measure("publish", path, work / f"sandbox-{rows}-publish", args.chunk)
            report(rows, base, ours)
            path.unlink()


def measure(kind: str, path: Path, data: Path, chunk: int) -> dict:
    """One side on its own fresh sandbox, so neither writes into a portal the other filled."""
    sandbox, domain = start_sandbox(data)
    try:
        return run_child(kind, path, domain, data / "media", chunk)
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=30)


if __name__ == "__main__":
    main()
