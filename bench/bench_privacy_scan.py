"""Time `manage.py privacy_scan` as a whole process against reading the same file with pandas.

    .venv/bin/python bench/bench_privacy_scan.py [--file PATH] [--repeat 7] [--before ../main]

Both sides are fresh interpreters started the same way, alternated `--repeat` times, so load from
other work on the machine hits both alike:
  * baseline: `python -c "import pandas; pandas.read_csv(PATH)"` (start-up, pandas, the read);
  * ctodp: `python manage.py privacy_scan PATH` (start-up, django.setup, the screen, the report).
Prints the best and the median of each, the ratio of the bests and the load average.
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OCME = ROOT.parent.parent / "shared/data/ct_ocme_accidental_drug_related_deaths_2012_2018.csv"


def timed(command: list[str], cwd: Path = ROOT) -> tuple[float, float]:
    """Wall seconds, and CPU seconds (user + system) of the child: the CPU figure moves far
    less than the wall figure when other work shares the cores."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ctodp.settings.local"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    default = OCME if OCME.exists() else Path("/work/shared/data") / OCME.name
    parser.add_argument("--file", type=Path, default=default)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument(
        "--before", type=Path, help="another checkout (say, main) whose command is timed too"
    )
    args = parser.parse_args()
    path = str(args.file.resolve())
    baseline = [sys.executable, "-c", f"import pandas; pandas.read_csv({path!r})"]
    command = [sys.executable, "manage.py", "privacy_scan", path]
    # The image compiles ctodp's bytecode once (Dockerfile); PYTHONDONTWRITEBYTECODE, if set
    # here, would leave every run compiling ctodp's modules anew.
    skip = re.compile(r"/(\.venv|node_modules|tests|bench|\.git)/")
    for checkout in filter(None, [ROOT, args.before]):
        compileall.compile_dir(checkout, quiet=1, rx=skip)
    timed(command)  # warm the file cache and the bytecode cache of both
    times: dict[str, list[tuple[float, float]]] = {"baseline": [], "privacy_scan": []}
    if args.before:
        times["before"] = []
    loads = [os.getloadavg()[0]]
    for _ in range(args.repeat):
        times["baseline"].append(timed(baseline))
        times["privacy_scan"].append(timed(command))
        if args.before:
            times["before"].append(timed(command, args.before))
        loads.append(os.getloadavg()[0])
    print(f"{Path(path).name}, {args.repeat} alternated runs each, whole processes")
    for name, values in times.items():
        wall, cpu = [v[0] for v in values], [v[1] for v in values]
        print(
            f"  {name:<13} wall best {min(wall):.2f} s, median {statistics.median(wall):.2f} s; "
            f"CPU best {min(cpu):.2f} s"
        )
    best = {
        name: (min(v[0] for v in values), min(v[1] for v in values))
        for name, values in times.items()
    }
    print(
        f"  ratio (best / best): wall {best['privacy_scan'][0] / best['baseline'][0]:.2f}x, "
        f"CPU {best['privacy_scan'][1] / best['baseline'][1]:.2f}x"
    )
    print(f"  load average (1 min) during the runs: {min(loads):.2f} to {max(loads):.2f}")


if __name__ == "__main__":
    main()
