"""Demo data for `make run`: staff, and an ADO and a publisher for a few agencies.

Idempotent: running it again changes nothing. Refuses to run under production settings.
"""

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from access_plans import demo as access_plans_demo
from agencies import services
from agencies.directory import load_agencies
from agencies.models import Agency, Membership, Role, StaffGroup
from inventories import demo as inventories_demo
from sharing import demo as sharing_demo

DEMO_PASSWORD = "ctodp-demo"
DEMO_AGENCIES = ["ocme", "dph", "dot"]
STAFF = [
    ("cdo", "Casey", "Donovan", StaffGroup.CDO),
    ("dapa", "Dana", "Patel", StaffGroup.DAPA),
    ("portal", "Pat", "Orlov", StaffGroup.PORTAL_ADMIN),
]


class Command(BaseCommand):
    help = "Create demo agencies, users and data (idempotent). Never under production settings."

    def handle(self, *args, **options) -> None:
        if settings.CTODP_ENVIRONMENT == "production":
            raise CommandError("seed_demo refuses to run under production settings.")
        with transaction.atomic():
            load_agencies(Agency)
            for username, first, last, group in STAFF:
                user = self._user(username, first, last)
                user.groups.add(Group.objects.get(name=group))
            for slug in DEMO_AGENCIES:
                self._agency_people(Agency.objects.get(slug=slug))
            inventories_demo.seed(year=timezone.localdate().year)
            access_plans_demo.seed(year=timezone.localdate().year)
            sharing_demo.seed(year=timezone.localdate().year)
            # By name: catalog is program's peer, neither imports the other (ADR 0013, 0030).
            call_command("setup_catalog_publications", "--as", "cdo", stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(self.summary()))

    def _user(self, username: str, first: str, last: str) -> User:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@ct.example"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        return user

    def _agency_people(self, agency: Agency) -> None:
        acronym = agency.acronym or agency.slug.upper()
        ado = self._user(f"ado.{agency.slug}", "Data Officer", acronym)
        publisher = self._user(f"pub.{agency.slug}", "Publisher", acronym)
        viewer = self._user(f"viewer.{agency.slug}", "Viewer", acronym)
        if agency.current_ado() is None:
            services.membership_designate_ado(
                agency=agency, user=ado, reason="Demo data", acting_user=None
            )
        for person, role in [(publisher, Role.PUBLISHER), (viewer, Role.VIEWER)]:
            if not Membership.objects.current().filter(agency=agency, user=person).exists():
                services.membership_add(agency=agency, user=person, role=role, acting_user=None)

    def summary(self) -> str:
        logins = ", ".join(
            ["cdo", "dapa", "portal"]
            + [f"{kind}.{slug}" for slug in DEMO_AGENCIES for kind in ("ado", "pub", "viewer")]
        )
        return f"Demo data ready. Logins (password '{DEMO_PASSWORD}'): {logins}"
