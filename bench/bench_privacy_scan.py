"""Time `manage.py privacy_scan` as a whole process against reading the same file with pandas.

    .venv/bin/python bench/bench_privacy_scan.py [--file PATH] [--repeat 7]

Both sides are fresh interpreters started the same way, alternated `--repeat` times, so load from
other work on the machine hits both alike:
  * baseline: `python -c "import pandas; pandas.read_csv(PATH)"` (start-up, pandas, the read);
  * ctodp: `python manage.py privacy_scan PATH` (start-up, django.setup, the screen, the report).
Prints the best and the median of each, the ratio of the bests and the load average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OCME = ROOT.parent.parent / "shared/data/ct_ocme_accidental_drug_related_deaths_2012_2018.csv"


def timed(command: list[str]) -> float:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ctodp.settings.local"}
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    default = OCME if OCME.exists() else Path("/work/shared/data") / OCME.name
    parser.add_argument("--file", type=Path, default=default)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    path = str(args.file.resolve())
    baseline = [sys.executable, "-c", f"import pandas; pandas.read_csv({path!r})"]
    command = [sys.executable, "manage.py", "privacy_scan", path]
    timed(command)  # warm the file cache and the bytecode cache of both
    times: dict[str, list[float]] = {"baseline": [], "privacy_scan": []}
    loads = [os.getloadavg()[0]]
    for _ in range(args.repeat):
        times["baseline"].append(timed(baseline))
        times["privacy_scan"].append(timed(command))
        loads.append(os.getloadavg()[0])
    print(f"{Path(path).name}, {args.repeat} alternated runs each, whole processes")
    for name, values in times.items():
        print(f"  {name:<13} best {min(values):.2f} s, median {statistics.median(values):.2f} s")
    ratio = min(times["privacy_scan"]) / min(times["baseline"])
    print(f"  ratio (best / best): {ratio:.2f}x")
    print(f"  load average (1 min) during the runs: {min(loads):.2f} to {max(loads):.2f}")


if __name__ == "__main__":
    main()
