from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from catalog.portal import catalog_publications_setup


class Command(BaseCommand):
    help = (
        "Create the portal publications of the CT Data Catalog and the retired-assets list "
        "(idempotent). Their first run is started from the publishing page."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--as", dest="username", required=True, help="The acting user (CDO).")

    def handle(self, *args, username: str, **options) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user is named {username!r}.")
        try:
            publications = catalog_publications_setup(acting_user=user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        for publication in publications:
            self.stdout.write(f"Publication {publication.pk}: {publication.dataset.title}")
