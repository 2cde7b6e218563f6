from django.core.management.base import BaseCommand

from agencies.directory import load_agencies
from agencies.models import Agency


class Command(BaseCommand):
    help = "Load the shipped list of participating agencies (idempotent: existing ones are kept)."

    def handle(self, *args, **options) -> None:
        created, present = load_agencies(Agency)
        self.stdout.write(f"{created} agencies created, {present} already present.")
