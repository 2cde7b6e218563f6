"""python manage.py publish <publication-id> [--wait]: start a run; with --wait, follow it."""

from __future__ import annotations

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from publishing import services
from publishing.models import Publication, PublicationRun, RunStatus


class Command(BaseCommand):
    help = "Start a run of a publication; with --wait, print its progress until it ends."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("publication_id", type=int)
        parser.add_argument("--wait", action="store_true", help="Follow the run until it ends.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")

    def handle(self, *args, publication_id: int, wait: bool, interval: float, **options) -> None:
        publication = Publication.objects.filter(pk=publication_id).first()
        if publication is None:
            raise CommandError(f"No publication {publication_id}.")
        try:
            run = services.run_start(publication=publication, acting_user=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Run {run.pk} of publication {publication_id} queued.")
        if wait:
            self._follow(run, interval)

    def _follow(self, run: PublicationRun, interval: float) -> None:
        last = None
        while True:
            run.refresh_from_db()
            line = (
                f"run {run.pk}: {run.status} {run.percent}% "
                f"({run.chunks_done}/{run.chunks_total or '?'} chunks, "
                f"{run.rows_created} created, {run.rows_updated} updated, "
                f"{run.rows_deleted} deleted, {run.rows_unknown} unknown)"
            )
            if line != last:
                self.stdout.write(line)
                last = line
            if not run.is_active:
                break
            time.sleep(interval)
        if run.status != RunStatus.SUCCEEDED:
            raise CommandError(f"Run {run.pk} {run.status}: {run.error or 'no reason given'}")
        if run.unchanged:
            self.stdout.write("Content unchanged since the last success: nothing was written.")
        if run.warning:
            self.stdout.write(self.style.WARNING(f"Warning: {run.warning}"))
        self.stdout.write(self.style.SUCCESS(f"Run {run.pk} succeeded."))
