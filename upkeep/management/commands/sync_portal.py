"""`manage.py sync_portal`: read the portal's catalog now, as the hourly beat entry does."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from publishing.portal import PortalError
from upkeep.sync import portal_sync


class Command(BaseCommand):
    help = "Read the portal's catalog, link assets to inventory datasets, list unclaimed ones."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--page-size", type=int, help="catalog results per request (default: the setting)"
        )

    def handle(self, *args, **options) -> None:
        page_size = options["page_size"]
        if page_size is not None and page_size < 1:
            raise CommandError("--page-size must be a positive number")
        try:
            run = portal_sync(trigger="command", page_size=page_size)
        except (PortalError, ImproperlyConfigured) as error:
            raise CommandError(f"portal sync failed: {error}") from error
        self.stdout.write(
            f"Assets read: {run.assets_read}\n"
            f"Linked to an agency: {run.linked}\n"
            f"Unclaimed: {run.unclaimed} ({run.newly_unclaimed} newly unclaimed)\n"
            f"Newly missing from the portal: {run.newly_missing}"
        )
