"""`manage.py suppress <path> --by COL,...`: aggregate and apply CT small-cell suppression."""

from __future__ import annotations

import requests
from django.core.management.base import BaseCommand, CommandError, CommandParser

from privacy.engine.sources import DEFAULT_CHUNKSIZE
from privacy.engine.suppression import suppress_source


def _names(value: str) -> list[str]:
    return [name.strip() for name in value.split(",") if name.strip()]


class Command(BaseCommand):
    help = (
        "Count (or sum --value) rows by the --by columns, suppress cells from 1 to --threshold "
        "with complementary suppression, and write a CSV with a `suppressed` column. "
        "A column may carry a generalisation: Date:year, Date:month, Age:band5, Age:band10, "
        "Zip:zip3."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="path or http(s) URL of a CSV or XLSX file")
        parser.add_argument("--by", type=_names, required=True, help="group columns, COL,COL")
        parser.add_argument("--value", help="sum this column instead of counting rows")
        parser.add_argument("--threshold", type=int, default=5)
        parser.add_argument("--out", required=True, help="CSV file to write")
        parser.add_argument("--totals", action="store_true", help="also write the total rows")
        parser.add_argument("--chunksize", type=int, default=DEFAULT_CHUNKSIZE)

    def handle(self, *args, **options) -> None:
        try:
            result = suppress_source(
                options["source"],
                options["by"],
                value=options["value"],
                threshold=options["threshold"],
                chunksize=options["chunksize"],
            )
        except (ValueError, OSError, requests.RequestException) as error:
            raise CommandError(f"cannot suppress {options['source']}: {error}") from error
        published = result.published(totals=options["totals"])
        published.to_csv(options["out"], index=False)
        hidden = int(result.table["suppressed"].sum())
        self.stdout.write(
            f"Wrote {len(published)} rows to {options['out']}: {hidden} of "
            f"{len(result.table)} cells suppressed (threshold {result.threshold})."
        )
