"""Inventory spreadsheet import: preview and commit N rows, against pandas merely reading the file.

    .venv/bin/python bench/bench_inventory_import.py [--rows 10000]

Prints the seconds and rows/s of the preview (every row checked by the dataset form's rules, ADR
0022) and of the commit, the ratio of their sum to `pandas.read_csv` of the same bytes measured in
the same run, and the load average before and after (the machine may be shared).
"""

import argparse
import io
import os
import statistics
import time

import _django

_django.setup()

import pandas as pd  # noqa: E402

from agencies.models import Agency  # noqa: E402
from inventories import services  # noqa: E402
from inventories.importer import commit_import, preview_import  # noqa: E402
from inventories.spreadsheet import HEADERS, write_csv  # noqa: E402

CATEGORIES = ["Health and Human Services", "Education", "Transportation", "Public Safety"]


def make_csv(rows: int) -> bytes:
    blank = dict.fromkeys(HEADERS, "")
    records = []
    for n in range(rows):
        record = dict(blank)
        record.update(
            {
                "Title": f"Dataset number {n}",
                "Description": f"Synthetic dataset {n} for the import benchmark.",
                "Contact email": "data@ct.example",
                "High-value criteria": "B;C" if n % 2 else "A",
                "Access level": "public" if n % 5 else "non-public",
                "Reason not public": "" if n % 5 else "Confidential by statute.",
                "Category": CATEGORIES[n % len(CATEGORIES)],
                "Update frequency": "Monthly",
                "Available now": "CT Open Data Portal" if n % 3 == 0 else "Not available",
                "Portal ID": f"ab{n % 100:02d}-{n % 10000:04d}" if n % 3 == 0 else "",
                "Machine-readable": "yes",
            }
        )
        records.append([record[h] for h in HEADERS])
    handle = io.StringIO()
    write_csv(records, handle)
    return handle.getvalue().encode("utf-8")


def run(raw: bytes, rows: int, agency: Agency) -> tuple[float, float, float, float]:
    """(pandas.read_csv, preview, commit) seconds for the same bytes, into a new inventory, and
    the CPU seconds of preview + commit (what other work on a shared machine does not inflate)."""
    inventory = services.inventory_start(agency=agency, year=2031, acting_user=None)

    start = time.perf_counter()
    pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False)
    pandas_seconds = time.perf_counter() - start

    cpu = time.process_time()
    start = time.perf_counter()
    preview = preview_import(inventory=inventory, raw=raw, filename="bench.csv")
    preview_seconds = time.perf_counter() - start
    assert preview.ok, preview.errors[:5]

    start = time.perf_counter()
    created, _ = commit_import(inventory=inventory, preview=preview, acting_user=None)
    commit_seconds = time.perf_counter() - start
    assert created == rows
    return pandas_seconds, preview_seconds, commit_seconds, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs; the median is printed")
    args = parser.parse_args()
    raw = make_csv(args.rows)
    load_before = os.getloadavg()
    agencies = Agency.objects.order_by("slug")[: args.repeat]  # a first inventory each: all new
    runs = [run(raw, args.rows, agency) for agency in agencies]
    load_after = os.getloadavg()
    medians = (statistics.median(r) for r in zip(*runs, strict=True))
    pandas_seconds, preview_seconds, commit_seconds, cpu_seconds = medians
    total = statistics.median(preview + commit for _, preview, commit, _ in runs)
    ratio = statistics.median((preview + commit) / read for read, preview, commit, _ in runs)

    rows = args.rows
    print(f"rows: {rows} ({len(raw) / 1e6:.1f} MB CSV), median of {args.repeat} runs")
    print(f"load average (1, 5, 15 min): {_load(load_before)} before, {_load(load_after)} after")
    print(f"pandas.read_csv:    {pandas_seconds:7.3f} s  ({rows / pandas_seconds:,.0f} rows/s)")
    print(f"preview (validate): {preview_seconds:7.3f} s  ({rows / preview_seconds:,.0f} rows/s)")
    print(f"commit:             {commit_seconds:7.3f} s  ({rows / commit_seconds:,.0f} rows/s)")
    print(f"preview + commit:   {total:7.3f} s; ratio to pandas.read_csv: {ratio:.0f}x")
    print(f"preview + commit:   {cpu_seconds:7.3f} s of CPU time")


def _load(averages: tuple[float, float, float]) -> str:
    return " ".join(f"{value:.2f}" for value in averages)


if __name__ == "__main__":
    main()
