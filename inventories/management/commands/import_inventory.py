from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from agencies.models import Agency
from inventories.importer import commit_import, preview_import
from inventories.models import Inventory


class Command(BaseCommand):
    help = (
        "Check a CSV/XLSX inventory spreadsheet and print the preview and every error by row and "
        "column. Writes only with --commit, and only when the file has no errors."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("agency", help="agency slug, e.g. ocme")
        parser.add_argument("year", type=int)
        parser.add_argument("file", type=Path)
        parser.add_argument("--commit", action="store_true", help="write the rows")

    def handle(self, *args, agency: str, year: int, file: Path, commit: bool, **options) -> None:
        inventory = Inventory.objects.filter(agency__slug=agency, year=year).first()
        if inventory is None:
            if not Agency.objects.filter(slug=agency).exists():
                raise CommandError(f"No agency with the slug {agency!r}.")
            raise CommandError(f"{agency} has no {year} inventory. Start it first.")
        try:
            raw = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        preview = preview_import(inventory=inventory, raw=raw, filename=file.name)
        for row in preview.rows:
            if row.status != "error":
                changes = f" ({', '.join(row.changes)})" if row.changes else ""
                self.stdout.write(f"row {row.row}: {row.status}: {row.title}{changes}")
        for error in preview.errors:
            self.stderr.write(f"error: {error}")
        self.stdout.write(
            f"{len(preview.rows)} rows: {preview.count_new} new, {preview.count_changed} "
            f"changed, {preview.count_unchanged} unchanged, {len(preview.errors)} errors."
        )
        if preview.errors:
            raise CommandError("The file has errors; nothing was imported.")
        if not commit:
            self.stdout.write("Dry run: nothing written. Add --commit to import.")
            return
        try:
            created, updated = commit_import(inventory=inventory, preview=preview, acting_user=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"Imported: {created} added, {updated} updated."))
