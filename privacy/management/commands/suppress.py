"""`manage.py suppress <path> --by COL,...`: aggregate and apply CT small-cell suppression."""

from __future__ import annotations

import requests
from django.core.management.base import BaseCommand, CommandError, CommandParser

from privacy.engine.sources import DEFAULT_CHUNKSIZE
from privacy.engine.suppression import SuppressedTable, suppress_source, unprotectable

SHOWN_FAILURES = 20


def _names(value: str) -> list[str]:
    return [name.strip() for name in value.split(",") if name.strip()]


class Command(BaseCommand):
    help = (
        "Count (or sum --value) rows by the --by columns, suppress cells from 1 to --threshold "
        "with complementary suppression, and write a CSV with a `suppressed` column. "
        "A column may carry a generalisation: Date:year, Date:month, Age:age5, Age:age10 "
        "(5- or 10-year bands, 90+ top-coded), Zip:zip3. The result is audited on the "
        "assumption that every line total is known; a table that fails is not written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="path or http(s) URL of a CSV or XLSX file")
        parser.add_argument("--by", type=_names, required=True, help="group columns, COL,COL")
        parser.add_argument("--value", help="sum this column instead of counting rows")
        parser.add_argument("--threshold", type=int, default=5)
        parser.add_argument("--out", required=True, help="CSV file to write")
        parser.add_argument("--totals", action="store_true", help="also write the total rows")
        parser.add_argument("--chunksize", type=int, default=DEFAULT_CHUNKSIZE)
        parser.add_argument(
            "--audit", action="store_true", help="print the interval of every suppressed cell"
        )

    def handle(self, *args, **options) -> None:
        try:
            result = suppress_source(
                options["source"],
                options["by"],
                value=options["value"],
                threshold=options["threshold"],
                chunksize=options["chunksize"],
                strict=False,
            )
        except (ValueError, OSError, requests.RequestException) as error:
            raise CommandError(f"cannot suppress {options['source']}: {error}") from error
        self.stdout.write("\n".join(audit_lines(result, every=options["audit"])))
        if result.audit is not None and not result.audit.passed:
            raise CommandError(f"not written: {unprotectable(result)}")
        published = result.published(totals=options["totals"])
        published.to_csv(options["out"], index=False)
        hidden = int(result.table["suppressed"].sum())
        self.stdout.write(
            f"Wrote {len(published)} rows to {options['out']}: {hidden} of "
            f"{len(result.table)} cells suppressed (threshold {result.threshold})."
        )


def audit_lines(result: SuppressedTable, *, every: bool = False) -> list[str]:
    """The audit in words: a summary, then the failing cells (or every cell with `every`)."""
    audit = result.audit
    if audit is None:
        return []
    frame = result.audit_frame()
    failing = frame[frame["problem"] != ""]
    verdict = "PASSED" if audit.passed else f"FAILED for {len(failing)} cell(s)"
    lines = [
        f"Audit (every line total assumed known): {verdict}; {len(frame)} suppressed cells, "
        f"{audit.added} complementary suppression(s) added.",
    ]
    shown = frame if every else failing.head(SHOWN_FAILURES)
    for row in shown.itertuples(index=False):
        record = row._asdict()
        labels = " × ".join(str(record[name]) for name in result.by)
        kind = "primary" if record["primary"] else "complement"
        status = record["problem"] or "ok"
        lines.append(
            f"  {labels}: {kind}, between {record['low']:g} and {record['high']:g}: {status}"
        )
    if not every and len(failing) > SHOWN_FAILURES:
        lines.append(f"  ... and {len(failing) - SHOWN_FAILURES} more")
    return lines
