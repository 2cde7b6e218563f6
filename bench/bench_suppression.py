"""Benchmark: suppression + audit of the OCME town × year × sex table vs a plain groupby.

    .venv/bin/python bench/bench_suppression.py [--city ResidenceCity|DeathCity] [--repeat R]

The baseline is the plain pandas groupby of the same table (the records already in memory);
the measured step is `suppress()` on the aggregated grid: primary cells, complements, and the
audit against an attacker who knows every line total (LPs included). Both run R times in this
process, alternately, and the best time of each is kept: on a shared machine the minimum is the
figure least disturbed by other work. The machine's load average is printed with them.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "ct_ocme_accidental_drug_related_deaths_2012_2018.csv"
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--city", default="ResidenceCity", choices=["ResidenceCity", "DeathCity"])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--source", type=Path, default=DATA)
    args = parser.parse_args()

    from privacy.engine.generalise import apply_to_column
    from privacy.engine.suppression import aggregate, suppress

    by = [args.city, "Date:year", "Sex"]
    labels = [args.city, "Date_year", "Sex"]
    raw = pd.read_csv(args.source, dtype=object)
    keyed = raw.assign(year=apply_to_column(raw["Date"], "year")).fillna("(missing)")
    grid = aggregate(args.source, by)
    baseline, measured, result = [], [], None
    for _ in range(args.repeat):
        start = time.perf_counter()
        keyed.groupby([args.city, "year", "Sex"]).size().unstack(fill_value=0)
        baseline.append(time.perf_counter() - start)
        start = time.perf_counter()
        result = suppress(grid, labels, "count", 5, strict=False)
        measured.append(time.perf_counter() - start)
    audit = result.audit
    failing = audit.failures
    hidden = int(result.table["suppressed"].sum())
    primary = int((result.table["reason"] == "primary").sum())
    print(f"table: {' × '.join(labels)}, {len(result.table)} cells, {hidden} suppressed")
    print(f"  ({primary} primary, {audit.added} complementary)")
    print(f"audit: {'passed' if audit.passed else 'failed'}; {len(failing)} cell(s) given away")
    print(f"  by the line totals alone; {audit.lps} LPs in the last run")
    print(f"baseline groupby: best {min(baseline) * 1000:.1f} ms of {args.repeat}")
    print(f"suppress + audit: best {min(measured) * 1000:.1f} ms of {args.repeat}")
    print(f"ratio: {min(measured) / min(baseline):.0f}x")
    print(f"load average (1, 5, 15 min): {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
