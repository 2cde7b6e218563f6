"""`manage.py sync_geo_portal`: read the Geo Data Portal's items now, as the hourly beat does."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from upkeep.geo import GeoPortalError, geo_sync


class Command(BaseCommand):
    help = "Read the CT Geo Data Portal's items, link them to inventory datasets."

    def handle(self, *args, **options) -> None:
        try:
            run = geo_sync(trigger="command")
        except GeoPortalError as error:
            raise CommandError(f"Geo Data Portal sync failed: {error}") from error
        self.stdout.write(
            f"Items read: {run.assets_read}\n"
            f"In an inventory: {run.linked}\n"
            f"In no inventory: {run.unclaimed} ({run.newly_unclaimed} new)\n"
            f"Newly missing from the Geo Data Portal: {run.newly_missing}"
        )
