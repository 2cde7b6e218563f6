"""Print how long the sandbox portal takes to upsert, re-upsert and page through N rows.

    python bench/sandbox_upsert.py [--rows 1000000] [--chunk 10000]

Uses a file-backed sandbox (as `make run` does) and the real sodapy client over HTTP.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

import requests
from sodapy import Socrata

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sandbox_portal import start_sandbox

COLUMNS = [
    {"fieldName": "id", "name": "ID", "dataTypeName": "number"},
    {"fieldName": "town", "name": "Town", "dataTypeName": "text"},
    {"fieldName": "reported", "name": "Reported", "dataTypeName": "calendar_date"},
]


def upsert_all(client: Socrata, dataset: str, rows: int, chunk: int, label: str) -> None:
    started = time.perf_counter()
    for start in range(0, rows, chunk):
        payload = [
            {"id": n, "town": f"{label} {n % 169}", "reported": "2024-01-02T03:04:05"}
            for n in range(start, min(rows, start + chunk))
        ]
        client.upsert(dataset, payload)
    elapsed = time.perf_counter() - started
    print(f"{label:>8}: {rows:,} rows in {elapsed:.1f} s ({rows / elapsed:,.0f} rows/s)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        sandbox = start_sandbox(data_dir=data_dir)
        adapter = {"prefix": "http://", "adapter": requests.adapters.HTTPAdapter()}
        client = Socrata(
            sandbox.domain, None, "sandbox", "sandbox", session_adapter=adapter, timeout=300
        )
        dataset = client.create("Bench", columns=COLUMNS, row_identifier="id")["id"]
        upsert_all(client, dataset, args.rows, args.chunk, "insert")
        upsert_all(client, dataset, args.rows, args.chunk, "update")
        started = time.perf_counter()
        count = sum(1 for _ in client.get_all(dataset, order=":id", limit=50_000))
        print(f"    read: {count:,} rows in {time.perf_counter() - started:.1f} s")
        client.close()
        sandbox.stop()


if __name__ == "__main__":
    main()
