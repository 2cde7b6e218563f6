"""Benchmark: full privacy screen of a 1,000,000-row, 10-column CSV vs a plain pandas read.

    .venv/bin/python bench/privacy_screen_bench.py [--rows N] [--repeat R]

Each measurement runs in its own child process so its peak memory (ru_maxrss) is its own.
With --repeat, read and screen alternate R times and the best time of each is compared: on a
shared machine the minimum is the figure least disturbed by other work.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
TOWNS = ["Hartford", "New Haven", "Bridgeport", "Stamford", "Waterbury", "Norwalk", "Danbury",
         "New Britain", "Bristol", "Meriden", "Avon", "Bethel", "Cheshire", "Enfield"]  # fmt: skip


def generate(path: Path, rows: int, seed: int = 2026) -> None:
    """Write a synthetic visit register: ids, dates, ages, sex, race, ZIP, town, text, amounts."""
    rng = np.random.default_rng(seed)
    days = pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 3 * 365, rows), "D")
    frame = pd.DataFrame({
        "record_id": np.char.add("R", np.arange(rows).astype(str)),
        "visit_date": days.strftime("%Y-%m-%d"),
        "age": rng.integers(0, 100, rows),
        "sex": rng.choice(["Female", "Male", "Unknown"], rows, p=[0.5, 0.49, 0.01]),
        "race": rng.choice(["White", "Black", "Asian", "Hispanic", "Other"], rows),
        "zip": np.char.add("06", rng.integers(100, 999, rows).astype(str)),
        "town": rng.choice(TOWNS, rows),
        "diagnosis": rng.choice(["asthma", "diabetes", "hypertension", "influenza"], rows),
        "amount": rng.integers(0, 5000, rows),
        "status": rng.choice(["open", "closed"], rows),
    })  # fmt: skip
    frame.to_csv(path, index=False)


def peak_rss_mib() -> int:
    """Peak resident memory of this process (VmHWM; unlike ru_maxrss it restarts at exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def phase(name: str, path: str) -> dict:
    sys.path.insert(0, str(ROOT))
    from privacy.engine.screen import screen_source  # imported before the clock starts

    started = time.perf_counter()
    if name == "read":
        rows = len(pd.read_csv(path))
        extra: dict = {"rows": rows}
    else:
        report = screen_source(path)
        extra = {"rows": report.rows, "k": report.k, "records_at_risk": report.records_at_risk,
                 "quasi_identifiers": report.quasi_identifiers}  # fmt: skip
    seconds = time.perf_counter() - started
    return {"phase": name, "seconds": round(seconds, 3), "peak_rss_mib": peak_rss_mib(), **extra}


def run_child(name: str, path: Path) -> dict:
    command = [sys.executable, __file__, "--phase", name, str(path)]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--phase", choices=["read", "screen"])
    parser.add_argument("path", nargs="?")
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase, args.path)))
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "visits.csv"
        started = time.perf_counter()
        generate(path, args.rows)
        size = path.stat().st_size / 2**20
        print(
            f"generated {args.rows} rows, {size:.0f} MiB in {time.perf_counter() - started:.1f} s"
        )
        runs = [(run_child("read", path), run_child("screen", path)) for _ in range(args.repeat)]
    for read, screen in runs:
        print(json.dumps(read))
        print(json.dumps(screen))
    read = min((pair[0] for pair in runs), key=lambda run: run["seconds"])
    screen = min((pair[1] for pair in runs), key=lambda run: run["seconds"])
    print(
        f"read {read['seconds']} s (peak {read['peak_rss_mib']} MiB); "
        f"screen {screen['seconds']} s (peak {screen['peak_rss_mib']} MiB); "
        f"ratio {screen['seconds'] / read['seconds']:.2f}"
    )


if __name__ == "__main__":
    main()
