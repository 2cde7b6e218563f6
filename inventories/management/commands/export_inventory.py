from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inventories.exporting import export_csv, export_xlsx
from inventories.models import Inventory


class Command(BaseCommand):
    help = "Export an inventory in the template's columns, as CSV or XLSX (by the file's suffix)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("agency", help="agency slug, e.g. ocme")
        parser.add_argument("year", type=int)
        parser.add_argument("out", type=Path, help="out.csv or out.xlsx")

    def handle(self, *args, agency: str, year: int, out: Path, **options) -> None:
        inventory = Inventory.objects.filter(agency__slug=agency, year=year).first()
        if inventory is None:
            raise CommandError(f"No {year} inventory for {agency!r}.")
        suffix = out.suffix.lower()
        if suffix not in {".csv", ".xlsx"}:
            raise CommandError("The output file must end in .csv or .xlsx.")
        datasets = inventory.datasets.order_by("title")
        out.write_bytes(export_xlsx(datasets) if suffix == ".xlsx" else export_csv(datasets))
        self.stdout.write(f"Wrote {datasets.count()} datasets to {out}.")
